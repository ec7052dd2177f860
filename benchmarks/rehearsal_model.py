"""Where a leg's time goes, and what it comes to at 29.31M lines on M machines.

A scan records the seconds of its steps (``Scan.timings``: mirror, tree, plan, analyse,
project, cross-module, evaluate, total, taken before the commit is written); the benchmark
times the whole ``run_scan`` call, so the commit (rows, tickets, notices) is the difference.
Workers report each unit's seconds by scanner (``metrics.seconds_by_scanner``; ``facts`` are
the project checks' per-blob units). The execute step's wall time beyond the units' seconds
divided by the workers is its *gap*: the pool's start, the last unit's tail and the
coordinator reading blobs and storing results; Celery's gap less the local pool's on the same
work is the broker's cost.

The model: the units' seconds are the CPU that scales out (2 cores per machine); every
other phase runs on the coordinator, one scan after another, and does not shrink with M.
Both are taken as proportional to lines (the per-scan fixed costs too, so a small run
overstates them: read the full run's figures). The first bottleneck is the largest phase at
M = 1; the machine count where the workers' share falls below the largest coordinator phase
is where it moves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from governance.scans.models import Scan

DEPLOYMENT_LINES = 29_310_000
CORES_PER_MACHINE = 2
MACHINES = (1, 4, 16)

#: Coordinator phases, from the scan's step timings (seconds are summed over the steps).
STEPS = {
    "git": ("mirror", "tree"),
    "planning": ("plan",),
    "project_checks": ("project", "cross-module"),
    "database": ("evaluate",),  # tracking against the baseline, traceability links, judging inputs
}

#: What moves each bottleneck (the remedies named by the numbers).
REMEDIES = {
    "workers": "more worker machines on Celery (M), or pylint's rules by the ruff engine where it "
    "has parity (bench_ruff_engine)",
    "database": "fewer, larger writes per scan (bulk finding rows, tracking in SQL), PostgreSQL on its "
    "own machine, and scans of different modules on parallel coordinators",
    "git": "syncing the modules in parallel and one long-lived cat-file per scan",
    "planning": "cache keys of unchanged trees kept (the import-closure digests), parallel coordinators",
    "project_checks": "project facts cached per blob and cross-module checks only against changed peers",
    "broker": "larger work units (fewer round trips), a wider in-flight window, results by a faster "
    "backend than polling",
    "execute_gap": "larger scans (the pool's start and the last unit's tail are paid per scan) and "
    "reading blobs and storing results off the coordinator's thread",
}


@dataclass(frozen=True)
class Figures:
    """One scan: its wall time and where it went."""

    key: str
    wall: float
    timings: Mapping[str, float]
    unit_seconds: Mapping[str, float]
    analysed: int
    from_cache: int
    findings: int

    @classmethod
    def of(cls, key: str, wall: float, scan: Scan) -> Figures:
        metrics = scan.metrics
        return cls(
            key,
            wall,
            {name: float(value) for name, value in scan.timings.items()},
            {name: float(value) for name, value in metrics.get("seconds_by_scanner", {}).items()},
            int(metrics.get("analysed", 0)),
            int(metrics.get("from_cache", 0)),
            int(metrics.get("findings", 0)),
        )

    def phases(self) -> dict[str, float]:
        seconds = {name: sum(self.timings.get(s, 0.0) for s in steps) for name, steps in STEPS.items()}
        seconds["database"] += max(0.0, self.wall - self.timings.get("total", self.wall))  # the commit
        seconds["executing"] = self.timings.get("analyse", 0.0)
        return seconds


def _added(into: dict[str, float], more: Mapping[str, float]) -> None:
    for name, value in more.items():
        into[name] = into.get(name, 0.0) + value


def leg(scans: Sequence[Figures], wall: float, workers: int) -> dict[str, Any]:
    """A leg's totals over its scans: phases, units' seconds by scanner, pylint's share."""
    phases: dict[str, float] = {}
    steps: dict[str, float] = {}
    units: dict[str, float] = {}
    for figures in scans:
        _added(phases, figures.phases())
        _added(steps, figures.timings)
        _added(units, figures.unit_seconds)
    unit_total = sum(units.values())
    phases["execute_gap"] = max(0.0, phases["executing"] - unit_total / workers)
    return {
        "wall_seconds": wall,
        "phases_seconds": phases,
        "steps_seconds": steps,
        "unit_seconds_by_scanner": units,
        "unit_seconds_total": unit_total,
        "pylint_share_of_units": units.get("pylint", 0.0) / unit_total if unit_total else 0.0,
        "analysed": sum(f.analysed for f in scans),
        "from_cache": sum(f.from_cache for f in scans),
        "findings": sum(f.findings for f in scans),
        "per_module_wall_seconds": {f.key: f.wall for f in scans},
    }


def coordinator_per_line(measured: Mapping[str, Any], lines: int, broker: float) -> dict[str, float]:
    """Seconds per line of each phase that does not scale out."""
    phases = measured["phases_seconds"]
    serial = {name: phases[name] / lines for name in (*STEPS, "execute_gap")}
    serial["broker"] = max(0.0, broker) / lines
    return serial


def projection(measured: Mapping[str, Any], lines: int, broker: float) -> dict[str, Any]:
    """Hours at the deployment's lines for each machine count, by phase, and the bottleneck."""
    serial = coordinator_per_line(measured, lines, broker)
    worker_hours = measured["unit_seconds_total"] / lines * DEPLOYMENT_LINES / 3600
    serial_hours = {name: value * DEPLOYMENT_LINES / 3600 for name, value in serial.items()}
    by_machines = {}
    for machines in MACHINES:
        hours = {"workers": worker_hours / (CORES_PER_MACHINE * machines), **serial_hours}
        by_machines[f"{machines}_machines"] = {
            "hours": sum(hours.values()),
            "hours_by_phase": hours,
            "bottleneck": max(hours, key=hours.__getitem__),
        }
    return {
        "cpu_seconds_per_1000_lines": measured["unit_seconds_total"] / lines * 1000,
        "coordinator_seconds_per_1000_lines": {name: v * 1000 for name, v in serial.items()},
        "by_machines": by_machines,
        **_moves(worker_hours, serial_hours),
    }


def _moves(worker_hours: float, serial_hours: Mapping[str, float]) -> dict[str, Any]:
    """The first bottleneck (at one machine), the next one, and the machine count between them."""
    single = {"workers": worker_hours / CORES_PER_MACHINE, **serial_hours}
    first = max(single, key=single.__getitem__)
    coordinator = max(serial_hours, key=serial_hours.__getitem__)
    largest = serial_hours[coordinator]
    crossover = worker_hours / (CORES_PER_MACHINE * largest) if largest else float("inf")
    return {
        "first_bottleneck": first,
        "first_bottleneck_pylint_bound": first == "workers",
        "next_bottleneck": coordinator if first == "workers" else "workers",
        "machines_where_workers_stop_being_the_bottleneck": crossover,
    }


def verdict(cold: Mapping[str, Any], nightly: Mapping[str, Any], pylint_share: float) -> str:
    """The short text: the first bottleneck, what moves it, what comes next."""
    first, following = cold["first_bottleneck"], cold["next_bottleneck"]
    one = cold["by_machines"]["1_machines"]
    name = f"worker CPU (pylint {pylint_share:.0%} of it)" if first == "workers" else first
    text = (
        f"Cold, one 2-core machine: {one['hours']:.1f} h, first bottleneck {name} "
        f"({one['hours_by_phase'][first]:.1f} h); it moves with {REMEDIES[first]}."
    )
    if first == "workers":
        text += (
            f" Beyond about {cold['machines_where_workers_stop_being_the_bottleneck']:.0f} machines "
            f"the coordinator's {following} leads ({one['hours_by_phase'][following]:.2f} h at any M); "
            f"that moves with {REMEDIES[following]}."
        )
    nightly_one = nightly["by_machines"]["1_machines"]
    return text + (
        f" Nightly (1% changed), one machine: {nightly_one['hours']:.2f} h, "
        f"bottleneck {nightly['first_bottleneck']}."
    )
