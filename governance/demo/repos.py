"""Makes the demo vendors' git repositories: real commits, real files, real flaws."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from git import Actor, Repo

from governance.demo.catalogue import DemoModule

FILES = Path(__file__).with_name("files")

# piece name -> (template, destination path pattern)
PIECES: dict[str, tuple[str, str]] = {
    "architecture": ("architecture.md", "docs/architecture.md"),
    "migration1": ("V001__create_tables.sql", "migrations/V001__create_tables.sql"),
    "migration2": ("V002__add_audit.sql", "migrations/V002__add_audit.sql"),
    "migration3": ("V003__cleanup.sql", "migrations/V003__cleanup.sql"),
    "service": ("ledger_service.py", "src/{package}/service.py"),
    "report": ("report_flawed.py", "src/{package}/report.py"),
    "report_clean": ("report_clean.py", "src/{package}/report.py"),
    "tests": ("test_ledger.py", "tests/test_service.py"),
    "openapi": ("openapi.yaml", "api/openapi.yaml"),
    "docker": ("Dockerfile", "Dockerfile"),
    "java": ("Approval.java", "java/src/main/java/gov/finance/{package}/Approval.java"),
}


def _values(module: DemoModule) -> dict[str, str]:
    return {
        "title": module.name,
        "klass": module.klass,
        "table": module.table,
        "package": module.package,
        "key": module.key,
        "req1": f"{module.key}-0001",
        "req2": f"{module.key}-0002",
    }


def _write_piece(root: Path, module: DemoModule, piece: str) -> list[str]:
    values = _values(module)
    if piece == "readme":
        text = (
            f"# {module.name}\n\nDelivered by {module.vendor}. Requirements use the prefix {module.key}-.\n"
        )
        return [_write(root, "README.md", text)]
    if piece == "package":
        init = f'"""{module.name}."""\n'
        return [_write(root, f"src/{module.package}/__init__.py", init)]
    template, destination = PIECES[piece]
    text = (FILES / f"{template}.tmpl").read_text(encoding="utf-8").format(**values)
    return [_write(root, destination.format(**values), text)]


def _write(root: Path, relative: str, text: str) -> str:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return relative


def build_repository(root: Path, module: DemoModule, *, start: datetime | None = None) -> Repo:
    """Create ``root`` as the vendor's working repository with the module's history."""
    repo = Repo.init(root, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", module.vendor)
        config.set_value("user", "email", f"dev@{module.package}.example")
    author = Actor(f"{module.vendor} developer", f"dev@{module.package}.example")
    when = start or datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    for number, (message, pieces) in enumerate(module.steps):
        touched = [path for piece in pieces for path in _write_piece(root, module, piece)]
        repo.index.add(touched)
        stamp = f"{int((when + timedelta(days=3 * number)).timestamp())} +0000"
        repo.index.commit(
            message.format(key=module.key),
            author=author,
            committer=author,
            author_date=stamp,
            commit_date=stamp,
        )
    return repo
