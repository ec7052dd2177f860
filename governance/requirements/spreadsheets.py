"""Import and export requirements as the CSV/XLSX spreadsheets PMs use.

Import is all-or-nothing: the whole file is read and checked first (format, headers, every
row, keys of other modules, workflow moves), and any problem refuses the file with *every*
problem listed. Only a clean file is written, in bulk (a handful of statements, no per-row
queries), in the caller's transaction.

Decisions:

* Re-import updates existing keys; only columns present in the file are compared, and a row
  whose values equal the stored ones changes nothing (so export → import is a no-op). An
  empty cell clears a text field, except Priority (empty keeps it) and Status (empty: no move).
* A status change through import must be one allowed workflow move (see
  :mod:`governance.requirements.workflow`); otherwise that row is a problem in the Status
  column. Moves are recorded in the history with the reason "imported from <file>".
* A *new* key may arrive in any status (PMs migrate registers from older systems); its
  history starts with that status and the same reason.
* The Parent column places a requirement under another of the same module (see
  :mod:`governance.requirements.hierarchy`). The parent may be created by the same file, on
  any row; a parent that exists neither in the module nor in the file, a requirement named
  as its own parent, or a cycle (checked on the register as the file would leave it) is a
  problem on that row, so the whole file is refused and nothing changes.
* The audit trail gets one ``requirement.import`` event carrying the counts and the keys
  created, updated and moved (one event stays cheap at 5,510 rows; one per row would not).
  An import that changes nothing records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance import audit
from governance.errors import InvalidInput, Problem, RejectedFile, said
from governance.registry.models import Module
from governance.requirements.hierarchy import parent_problem
from governance.requirements.models import Requirement, RequirementStatus, RequirementTransition
from governance.requirements.rows import Record, column_label, parse_rows
from governance.requirements.tables import read_table, write_csv, write_xlsx
from governance.requirements.vocabulary import COLUMNS, LANGS, Lang, priority_word, status_word
from governance.requirements.workflow import move_problem
from governance.timeutil import utcnow
from scanners.wording import worded

Format = Literal["csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx")
_FIELDS = ("title", "description", "priority", "acceptance_criteria", "owner", "parent_key")
_CLEARED_TO_NONE = ("owner", "parent_key")


@dataclass
class ImportResult:
    """What an import did, by key."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    moved: dict[str, str] = field(default_factory=dict)
    unchanged: int = 0

    def summary(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "moved": len(self.moved),
            "unchanged": self.unchanged,
        }


@dataclass
class _Plan:
    creates: list[Record] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    moves: list[tuple[int, str, RequirementStatus, RequirementStatus]] = field(default_factory=list)
    result: ImportResult = field(default_factory=ImportResult)


def _foreign_keys(session: Session, module: Module) -> dict[str, str]:
    """Keys with this module's prefix registered under another module (key → that module's key).

    One query whatever the file's size: modules rarely share a prefix, so this is usually empty.
    """
    pattern = module.requirement_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"
    query = (
        select(Requirement.key, Module.key)
        .join(Module, col(Module.id) == Requirement.module_id)
        .where(col(Requirement.key).like(pattern, escape="\\"), Requirement.module_id != module.id)
    )
    return dict(session.exec(query).all())


def _existing(session: Session, module: Module) -> dict[str, dict[str, Any]]:
    table = Requirement.__table__  # type: ignore[attr-defined]
    columns = [table.c.id, table.c.key, table.c.status, *(table.c[name] for name in _FIELDS)]
    rows = session.execute(sa.select(*columns).where(table.c.module_id == module.id)).all()
    return {row.key: row._asdict() for row in rows}


def _norm(value: object) -> str:
    return "" if value is None else str(value).replace("\r\n", "\n").strip()


def _changes(record: Record, stored: dict[str, Any]) -> dict[str, Any]:
    """Fields whose value differs; an empty Priority cell keeps the priority, empty Owner/Parent clear."""
    changes: dict[str, Any] = {
        name: value
        for name, value in record.fields.items()
        if name in _FIELDS and _norm(stored[name]) != _norm(value) and (value or name != "priority")
    }
    for name in _CLEARED_TO_NONE:
        if name in changes:
            changes[name] = _norm(changes[name]) or None
    return changes


def _plan_existing(plan: _Plan, record: Record, stored: dict[str, Any], problems: list[Problem]) -> None:
    current = RequirementStatus(stored["status"])
    target = record.status if record.status is not None and record.status != current else None
    if target is not None:
        problem = move_problem(record.key, current, target)
        if problem:
            problems.append(Problem(problem, record.row, column_label("status")))
            return
        plan.moves.append((stored["id"], record.key, current, target))
        plan.result.moved[record.key] = f"{current.value}→{target.value}"
    changes = _changes(record, stored)
    if changes:
        plan.updates.append({"id": stored["id"], **changes})
        plan.result.updated.append(record.key)
    elif target is None:
        plan.result.unchanged += 1


def _plan(session: Session, module: Module, records: list[Record], problems: list[Problem]) -> _Plan:
    plan = _Plan()
    existing = _existing(session, module)
    foreign = _foreign_keys(session, module)
    for record in records:
        if record.key in foreign:
            problems.append(
                Problem(
                    worded(
                        "key %(key)s is already registered in module %(module)s",
                        key=record.key,
                        module=foreign[record.key],
                    ),
                    record.row,
                    column_label("key"),
                )
            )
        elif record.key in existing:
            _plan_existing(plan, record, existing[record.key], problems)
        else:
            plan.creates.append(record)
            plan.result.created.append(record.key)
    problems.extend(_hierarchy_problems(existing, records))
    return plan


def _parent_of(record: Record) -> str | None:
    return _norm(record.fields.get("parent_key")) or None


def _hierarchy_problems(existing: dict[str, dict[str, Any]], records: list[Record]) -> list[Problem]:
    """Parents named by the file, checked against the register as the file would leave it."""
    parents: dict[str, str | None] = {key: stored["parent_key"] for key, stored in existing.items()}
    named = [record for record in records if "parent_key" in record.fields]
    parents.update({record.key: _parent_of(record) for record in named})
    parents.update({record.key: None for record in records if record.key not in parents})
    return [
        Problem(problem, record.row, column_label("parent_key"))
        for record in named
        if (problem := parent_problem(record.key, _parent_of(record), parents))
    ]


def _new_row(module: Module, record: Record, now: Any) -> dict[str, Any]:
    values = {name: record.fields.get(name, "") for name in _FIELDS}
    return {
        **values,
        "key": record.key,
        "module_id": module.id,
        "owner": values["owner"] or None,
        "parent_key": None,  # set once every new row exists (see _apply)
        "priority": values["priority"] or "medium",
        "status": record.status or RequirementStatus.proposed,
        "created_at": now,
        "updated_at": None,
    }


def _apply(session: Session, module: Module, plan: _Plan, *, actor: str, reason: str) -> None:
    now = utcnow()
    if plan.creates:
        rows = [_new_row(module, record, now) for record in plan.creates]
        session.execute(Requirement.__table__.insert(), rows)  # type: ignore[attr-defined]
    query = select(Requirement.key, Requirement.id).where(Requirement.module_id == module.id)
    ids = dict(session.exec(query).all())
    placed = [{"id": ids[r.key], "parent_key": _parent_of(r)} for r in plan.creates if _parent_of(r)]
    if placed:  # after the insert: a parent may be a row of the same file, on any row
        session.execute(sa.update(Requirement), placed)
    updates = {row["id"]: {**row, "updated_at": now} for row in plan.updates}
    for requirement_id, _key, _current, target in plan.moves:
        updates.setdefault(requirement_id, {"id": requirement_id, "updated_at": now})["status"] = target
    if updates:
        session.execute(sa.update(Requirement), list(updates.values()))
    transitions = [
        {
            "requirement_id": ids[record.key],
            "from_status": None,
            "at": now,
            "actor": actor,
            "reason": reason,
            "to_status": (record.status or RequirementStatus.proposed).value,
        }
        for record in plan.creates
    ] + [
        {
            "requirement_id": requirement_id,
            "from_status": current.value,
            "to_status": target.value,
            "at": now,
            "actor": actor,
            "reason": reason,
        }
        for requirement_id, _key, current, target in plan.moves
    ]
    if transitions:
        session.execute(RequirementTransition.__table__.insert(), transitions)  # type: ignore[attr-defined]


def import_requirements(session: Session, *, module: Module, path: Path, actor: str) -> ImportResult:
    """Import a CSV/XLSX file into ``module``; any problem refuses the whole file (see module doc)."""
    table = read_table(path)
    records, problems = parse_rows(table, prefix=module.requirement_prefix)
    plan = _plan(session, module, records, problems)  # valid rows too: report every problem at once
    if problems:
        raise RejectedFile(path.name, sorted(problems, key=lambda p: p.row or 0))
    _apply(session, module, plan, actor=actor, reason=f"imported from {path.name}")
    result = plan.result
    data = {
        "file": path.name,
        **result.summary(),
        "created_keys": result.created,
        "updated_keys": result.updated,
        "moves": result.moved,
    }
    if result.created or result.updated or result.moved:
        audit.record(
            session,
            actor=actor,
            action="requirement.import",
            target_type="module",
            target_id=module.key,
            data=data,
        )
    session.flush()
    return result


def _sort_key(key: str) -> tuple[int, str]:
    number = key.rsplit("-", 1)[-1]
    return (int(number) if number.isdigit() else 0, key)


def export_rows(session: Session, *, module: Module, lang: Lang) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a module's requirements, in key order, in one language."""
    requirements = session.exec(select(Requirement).where(Requirement.module_id == module.id)).all()
    header = [column.header(lang) for column in COLUMNS]
    rows = []
    for requirement in sorted(requirements, key=lambda r: _sort_key(r.key)):
        values = {name: _norm(getattr(requirement, name)) for name in _FIELDS}
        values.update(
            key=requirement.key,
            status=status_word(requirement.status, lang),
            priority=priority_word(values["priority"], lang),
        )
        rows.append([values[column.field] for column in COLUMNS])
    return header, rows


def export_requirements(session: Session, *, module: Module, fmt: str, lang: str = "en") -> bytes:
    """The module's requirements as CSV (UTF-8 with BOM) or XLSX bytes; re-importing them changes nothing."""
    if fmt not in FORMATS:
        raise said(InvalidInput, "unknown format %(fmt)s: use csv or xlsx", fmt=repr(fmt))
    if lang not in LANGS:
        raise said(InvalidInput, "unknown language %(lang)s: use en or zh", lang=repr(lang))
    header, rows = export_rows(session, module=module, lang=lang)
    if fmt == "csv":
        return write_csv(header, rows)
    return write_xlsx(f"{module.key} requirements", header, rows)
