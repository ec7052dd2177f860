"""Benchmark: evaluate the default profile over 1,000,000 generated findings.

Prints one JSON object: the evaluation's wall and CPU time (best of ``--repeat`` runs,
without tracing; CPU time is the fairer figure on a shared, loaded machine), the peak
memory allocated during one traced evaluation (tracemalloc) and the process's peak RSS
(which includes the million generated findings themselves). Targets (issue 5): under 5 s
and under 1 GiB. Not a test: no assertion on timing, just figures to report.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import time
import tracemalloc
from datetime import date

from scanners.base import Finding, Severity
from standards.evaluate import evaluate
from standards.facts import CommitFact, RepositoryFacts, RequirementFact
from standards.loader import load_builtin_standards
from standards.profiles import builtin_profiles, effective_profile
from standards.results import Waiver

PYLINT: list[tuple[str, Severity]] = [
    ("C0301", "minor"),
    ("C0114", "info"),
    ("W0611", "minor"),
    ("W0612", "minor"),
    ("E1101", "major"),
    ("R0913", "minor"),
    ("W0702", "major"),
    ("W1203", "minor"),
    ("R0915", "minor"),
    ("W0141", "minor"),
    ("F0401", "critical"),
    ("R0801", "minor"),
]
OTHERS: list[tuple[str, str, Severity]] = [
    ("bandit", "B105", "major"),
    ("bandit", "B608", "major"),
    ("bandit", "B602", "critical"),
    ("radon", "cc", "minor"),
    ("lizard", "ccn", "minor"),
    ("lizard", "length", "minor"),
    ("secrets", "AWSKeyDetector", "blocker"),
    ("sql", "select-star", "minor"),
    ("sql", "naming", "minor"),
    ("repository", "duplicate-code", "minor"),
]
RULES = [("pylint", rule, severity) for rule, severity in PYLINT] + OTHERS


def make_findings(n: int, n_paths: int, seed: int) -> list[Finding]:
    """``n`` findings over ``n_paths`` files with unique fingerprints."""
    rng = random.Random(seed)
    paths = [f"src/pkg{i % 97}/module_{i}.py" for i in range(n_paths)]
    out = []
    for i in range(n):
        tool, tool_rule, severity = RULES[rng.randrange(len(RULES))]
        out.append(
            Finding(
                rule=f"{tool}:{tool_rule}",
                tool=tool,
                tool_rule=tool_rule,
                severity=severity,
                path=paths[rng.randrange(n_paths)],
                line=i % 500 + 1,
                end_line=i % 500 + 1,
                message="generated",
                fingerprint=f"{i:040x}",
            )
        )
    return out


def make_inputs(n_paths: int) -> tuple[dict[str, dict[str, float]], RepositoryFacts]:
    """Per-file metrics and repository facts of a module of ``n_paths`` files."""
    metrics = {
        f"src/pkg{i % 97}/module_{i}.py": {
            "radon.mi": 5.0 + i % 90,
            "radon.cc_max": float(i % 30),
            "sloc": 50.0 + i % 900,
            "loc": 80.0 + i % 1200,
            "comments": float(i % 40),
            "pylint.score": 5 + (i % 50) / 10,
        }
        for i in range(n_paths)
    }
    requirements = tuple(RequirementFact(key=f"BUD-{i:04d}", status="implemented") for i in range(5510))
    commits = tuple(
        CommitFact(
            sha=f"{i:040x}",
            requirement_refs=(f"BUD-{i % 5510:04d}",) if i % 7 else (),
            paths=(f"src/pkg1/module_{i % n_paths}.py",),
        )
        for i in range(20000)
    )
    facts = RepositoryFacts(
        paths=(*metrics, "README.md", "CHANGELOG.md", "Dockerfile", "tests/test_a.py"),
        commits=commits,
        requirements=requirements,
        test_markers={f"BUD-{i:04d}": ("tests/test_a.py::t",) for i in range(0, 5510, 2)},
        tags=("v1.0.0",),
        coverage_percent=71.5,
    )
    return metrics, facts


def main() -> None:
    """Generate inputs, evaluate, print JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--paths", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    profile = effective_profile("default", profiles=builtin_profiles(), catalogue=load_builtin_standards())
    findings = make_findings(args.findings, args.paths, seed=1)
    metrics, facts = make_inputs(args.paths)
    new = {f.fingerprint for f in findings[::100]}
    waivers = [Waiver(reason="accepted", fingerprint=f.fingerprint) for f in findings[::1000]]
    waivers.append(Waiver(reason="approved DDL", rule="DAT-006", expires=date(2030, 1, 1)))
    kwargs = dict(
        as_of=date(2026, 11, 25),
        findings=findings,
        metrics=metrics,
        facts=facts,
        new_fingerprints=new,
        waivers=waivers,
    )

    times, cpu = [], []
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = evaluate(profile, **kwargs)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    tracemalloc.start()
    evaluate(profile, **kwargs)  # type: ignore[arg-type]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "findings": args.findings,
                "paths": args.paths,
                "rules": len(profile.rules),
                "evaluate_seconds_best": round(min(times), 3),
                "evaluate_seconds_all": [round(t, 3) for t in times],
                "evaluate_cpu_seconds_best": round(min(cpu), 3),
                "load_average_1m": round(os.getloadavg()[0], 2),
                "cpus": os.cpu_count(),
                "evaluate_peak_alloc_mib": round(peak / 2**20, 1),
                "process_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "score": result.score,
                "level": result.level,
                "gate_passed": result.gate_passed,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
