"""The deployment's shape for the scale rehearsal: 12 modules of 4 vendors, their
repositories (a real sdist's package plus generated Java and SQL, several deliveries whose
messages name requirements) and their requirement registers (XLSX, as PMs keep them).

``scale`` scales the generated volume and the requirement count; below ``SMOKE_BELOW`` each
module takes a small sdist instead of a large one, so a smoke run costs minutes, not hours.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_requirements import make_sheet
from benchmarks.common import lines_of, sdist
from benchmarks.generate import JAVA, METHOD, SQL, build, change_one_percent
from governance.db import Database
from governance.registry import service as registry
from governance.requirements.spreadsheets import import_requirements

TARGET_LINES = 3_000_000  # measured here at scale 1 (the floor)
REQUIREMENTS = 5510
SMOKE_BELOW = 0.25
LANGUAGES = (".py", ".java", ".sql")
JAVA_SHARE = 0.94  # of the generated lines; the rest are SQL migrations
JAVA_FILE_LINES = JAVA.count("\n") + 12 * METHOD.count("\n")
SQL_FILE_LINES = SQL.count("\n")


@dataclass(frozen=True)
class Part:
    """One module: who delivers it and which released package is its Python part."""

    key: str
    vendor: str
    full: tuple[str, str]  # (requirement, package directory inside the sdist)
    smoke: tuple[str, str]


CATALOGUE = (
    Part("BUD", "Northwind Systems", ("django==5.1.4", "django"), ("packaging==24.2", "src/packaging")),
    Part(
        "TRE", "Northwind Systems", ("sqlalchemy==2.0.36", "lib/sqlalchemy"), ("pluggy==1.5.0", "src/pluggy")
    ),
    Part("PAY", "Northwind Systems", ("requests==2.32.3", "src/requests"), ("tomli==2.2.1", "src/tomli")),
    Part("ACC", "Eastgate Software", ("networkx==3.4.2", "networkx"), ("blinker==1.9.0", "src/blinker")),
    Part("TAX", "Eastgate Software", ("click==8.1.7", "src/click"), ("iniconfig==2.0.0", "src/iniconfig")),
    Part(
        "PRO", "Eastgate Software", ("docutils==0.21.2", "docutils"), ("markupsafe==3.0.2", "src/markupsafe")
    ),
    Part(
        "AST", "Riverbank Tech", ("pygments==2.18.0", "pygments"), ("itsdangerous==2.2.0", "src/itsdangerous")
    ),
    Part("DEB", "Riverbank Tech", ("flask==3.1.0", "src/flask"), ("platformdirs==4.3.6", "src/platformdirs")),
    Part("GRA", "Riverbank Tech", ("pip==24.3.1", "src/pip"), ("filelock==3.16.1", "src/filelock")),
    Part("REP", "Summit Data", ("sphinx==8.1.3", "sphinx"), ("sniffio==1.3.1", "sniffio")),
    Part("AUD", "Summit Data", ("jinja2==3.1.4", "src/jinja2"), ("zipp==3.21.0", "zipp")),
    Part(
        "INV", "Summit Data", ("attrs==24.2.0", "src/attr"), ("exceptiongroup==1.2.2", "src/exceptiongroup")
    ),
)


@dataclass(frozen=True)
class Module:
    """A built module: its repository and how many requirements it has."""

    part: Part
    index: int
    repo: Path
    requirements: int

    @property
    def key(self) -> str:
        return self.part.key

    def ref(self, number: int) -> str:
        """A requirement key of this module (``BUD-0042``), wrapping within its register."""
        return f"{self.key}-{number % self.requirements + 1:04d}"


def chosen(part: Part, scale: float) -> tuple[str, str]:
    """The sdist (requirement, package directory) this scale takes for the module."""
    return part.smoke if scale < SMOKE_BELOW else part.full


def python_source(part: Part, scale: float) -> Path:
    requirement, package = chosen(part, scale)
    return sdist(requirement) / package


def generated_files(python_lines: int, scale: float) -> tuple[int, int]:
    """Java and SQL files per module so that all modules together reach ``TARGET_LINES × scale``."""
    missing = max(0.0, TARGET_LINES * scale - python_lines) / len(CATALOGUE)
    java = math.ceil(missing * JAVA_SHARE / JAVA_FILE_LINES)
    sql = math.ceil(missing * (1 - JAVA_SHARE) / SQL_FILE_LINES)
    return max(1, java), max(1, sql)


def requirement_counts(scale: float) -> list[int]:
    """``REQUIREMENTS × scale`` spread over the modules (the first take the remainder)."""
    total = max(len(CATALOGUE), round(REQUIREMENTS * scale))
    share, extra = divmod(total, len(CATALOGUE))
    return [share + (index < extra) for index in range(len(CATALOGUE))]


def build_modules(work: Path, scale: float, deliveries: int) -> list[Module]:
    """Every module's repository: the initial delivery, then ``deliveries`` more (1% of files each)."""
    sources = [python_source(part, scale) for part in CATALOGUE]
    python_lines = sum(lines_of([p for p in s.rglob("*") if p.is_file()]) for s in sources)
    java, sql = generated_files(python_lines, scale)
    modules = []
    for index, (part, counts) in enumerate(zip(CATALOGUE, requirement_counts(scale), strict=True)):
        module = Module(part, index, work / "vendors" / part.key.lower(), counts)
        build(
            module.repo,
            sources[index],
            java_files=java,
            sql_files=sql,
            seed=100 + index,
            table=f"{part.key.lower()}_ledger",
            message=f"{module.ref(0)}: initial delivery",
        )
        for number in range(1, deliveries + 1):
            change(module, seed=1000 + 100 * index + number, what=f"delivery {number}")
        modules.append(module)
    return modules


def change(module: Module, *, seed: int, what: str) -> int:
    """1% of the module's files edited, committed with a message naming two of its requirements."""
    rng = random.Random(seed)
    refs = f"{module.ref(rng.randrange(10**6))} {module.ref(rng.randrange(10**6))}"
    return change_one_percent(module.repo, seed, suffixes=LANGUAGES, message=f"{refs}: {what}")


def tracked_lines(modules: list[Module]) -> dict[str, int]:
    """Lines of the modules' files by language (the measured size of the rehearsal)."""
    counts: dict[str, int] = {}
    for module in modules:
        for path in module.repo.rglob("*"):
            if path.is_file() and ".git" not in path.relative_to(module.repo).parts:
                language = path.suffix if path.suffix in LANGUAGES else "other"
                counts[language] = counts.get(language, 0) + lines_of([path])
    return counts


def register(database: Database, modules: list[Module]) -> None:
    """Vendors and modules through the registry service, as `govern vendor/module add` do."""
    with database.session() as session:
        for vendor in dict.fromkeys(module.part.vendor for module in modules):
            registry.create_vendor(session, name=vendor, actor="bench")
        for module in modules:
            registry.create_module(
                session, key=module.key, vendor=module.part.vendor, remote=str(module.repo), actor="bench"
            )


def import_registers(database: Database, modules: list[Module], work: Path) -> dict[str, int]:
    """Each module's register written as XLSX and imported as `govern requirements import` does."""
    created: dict[str, int] = {}
    for module in modules:
        sheet = make_sheet(
            work / f"{module.key}.xlsx", module.requirements, random.Random(module.index), prefix=module.key
        )
        with database.session() as session:
            result = import_requirements(
                session, module=registry.get_module(session, module.key), path=sheet, actor="bench"
            )
        created[module.key] = result.summary()["created"]
    return created
