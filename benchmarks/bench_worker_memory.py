"""Peak memory of a scan worker at two corpus sizes (issue 4: it must stay flat).

Each size runs in a fresh process (so the peak is that run's), with the local pool and no
cache: half of pip 24.2's source, then all of it. Workers report their own peak resident
memory with every unit (also recorded in each scan's metrics as ``worker_peak_mib``).
Workers are recycled after a number of units, so a worker's peak should depend on the
largest unit, not on the corpus size.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from benchmarks.common import emit, lines_of, sdist

CHILD = """
import json, resource, sys
from pathlib import Path
from scanners.registry import build_registry
from governance.executors.local import local_executor
from governance.scans.cache import MemoryCache
from governance.scans.engine import analyse
from governance.scans.files import DiskFiles
from governance.scans.planner import Planner
root = Path(sys.argv[1]); paths = [root / p for p in json.loads(sys.argv[2])]
files = DiskFiles(paths, base=root)
executor = local_executor(2)
try:
    done = analyse(files.entries(), Planner(registry=build_registry(enabled=["pylint", "bandit", "radon"]),
                   cache=MemoryCache(), read=files.read), executor)
finally:
    executor.close()
print(done.worker_peak_mib)
"""


def _peak(root: Path, files: list[str]) -> float:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), json.dumps(files)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    root = sdist("pip==24.2")
    files = sorted(str(p.relative_to(root)) for p in (root / "src" / "pip").rglob("*.py"))
    half = files[::2]
    sizes = {"half": half, "full": files}
    peaks = {name: _peak(root, chosen) for name, chosen in sizes.items()}
    emit(
        "worker_memory",
        {
            "corpus": "pip==24.2",
            "sizes": {
                name: {
                    "files": len(chosen),
                    "lines": lines_of([root / f for f in chosen]),
                    "peak_worker_mib": peaks[name],
                }
                for name, chosen in sizes.items()
            },
            "growth_full_over_half": peaks["full"] / peaks["half"],
            "coordinator_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        },
    )


if __name__ == "__main__":
    main()
