"""Factories for requirements tests: a registered module, spreadsheets, real git repositories."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import git
import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from sqlmodel import Session, func, select

from governance import audit
from governance.db import Database
from governance.mirrors.models import Commit
from governance.registry import service as registry
from governance.registry.models import Module
from governance.requirements.models import Requirement, RequirementLink, RequirementTransition

EN = ["Key", "Title", "Description", "Priority", "Status", "Acceptance criteria", "Owner"]
ZH = ["需求编号", "需求名称", "描述", "优先级", "状态", "验收标准", "负责人"]


@pytest.fixture
def world(database: Database) -> Database:
    """Vendor Acme with modules BUD and TAX (both empty)."""
    with database.session() as session:
        registry.create_vendor(session, name="Acme", actor="setup")
        registry.create_vendor(session, name="Other", actor="setup")
        registry.create_module(session, key="BUD", vendor="Acme", actor="setup")
        registry.create_module(session, key="TAX", vendor="Other", actor="setup")
    return database


def module(session: Session, key: str = "BUD") -> Module:
    return registry.get_module(session, key)


def counts(database: Database) -> dict[str, int]:
    """Rows that an import or a move could change, plus the audit length."""
    with database.session() as session:
        return {
            "requirements": session.exec(select(func.count()).select_from(Requirement)).one(),
            "transitions": session.exec(select(func.count()).select_from(RequirementTransition)).one(),
            "links": session.exec(select(func.count()).select_from(RequirementLink)).one(),
            "audit": audit.head(session).count,
            "fingerprint": hash(
                tuple(
                    (
                        r.key,
                        r.title,
                        r.description,
                        r.priority,
                        r.status.value,
                        r.acceptance_criteria,
                        r.owner,
                        r.parent_key,
                    )
                    for r in session.exec(select(Requirement).order_by(Requirement.key)).all()
                )
            ),
        }


def write_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


@pytest.fixture
def sheet(tmp_path: Path) -> Callable[..., Path]:
    """Write a spreadsheet: ``sheet("a.xlsx", header, rows)`` or ``sheet("a.csv", …, encoding=…)``."""

    def make(name: str, header: Sequence[str], rows: Sequence[Sequence[object]], **kwargs: str) -> Path:
        path = tmp_path / name
        if name.endswith(".xlsx"):
            return write_xlsx(path, header, rows)
        return write_csv(path, header, [[str(c) for c in row] for row in rows], **kwargs)

    return make


def make_repo(path: Path, files: dict[str, str], message: str = "initial") -> git.Repo:
    """A real git repository with ``files`` committed on ``main``."""
    repo = git.Repo.init(path, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", "Tester")
        config.set_value("user", "email", "tester@example.com")
    for name, text in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    repo.index.add(list(files))
    repo.index.commit(message)
    return repo


def repo_files(repo: git.Repo) -> list[tuple[str, str]]:
    """``(path, text)`` of the head commit, read with GitPython as the scan pipeline would."""
    return [
        (item.path, item.data_stream.read().decode("utf-8"))
        for item in repo.head.commit.tree.traverse()
        if item.type == "blob"
    ]


def add_commits(session: Session, module_: Module, commits: Sequence[tuple[str, list[str], int]]) -> None:
    """Insert Commit rows directly: ``(sha, requirement_refs, parent count)``."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    for sha, refs, parents in commits:
        session.add(
            Commit(
                module_id=module_.id,
                sha=sha,
                author_name="dev",
                author_email="dev@example.com",
                authored_at=at,
                committed_at=at,
                message=f"{' '.join(refs)} work {sha}",
                parents=[f"p{i}" for i in range(parents)],
                requirement_refs=refs,
            )
        )
    session.flush()


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """Collect the SQL statements run on the database (executemany counts once): an N+1 guard."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    sa.event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(database.engine, "before_cursor_execute", record)
