"""sql: SQL files and migrations checked with a real SQL parser (sqlglot).

Each statement is parsed on its own (tokens split at ``;``), so one statement sqlglot
cannot read becomes a ``sql:parse-error`` finding and the rest of the file is still
checked; the dialect is configurable (``""`` is sqlglot's generic dialect).

Rules and severities:
- ``sql:parse-error`` (major): a statement that does not parse (a finding, not a crash);
- ``sql:select-star`` (minor): ``SELECT *`` or ``t.*`` in a select list (``COUNT(*)`` is fine);
- ``sql:destructive-ddl`` (critical): DROP TABLE/VIEW/SCHEMA/DATABASE/INDEX, ALTER TABLE
  … DROP COLUMN/CONSTRAINT, TRUNCATE — ``tool_rule`` says which;
- ``sql:no-primary-key`` (major): CREATE TABLE with columns but no PRIMARY KEY;
- ``sql:table-naming`` / ``sql:column-naming`` (minor): names created by CREATE TABLE /
  ALTER TABLE ADD not matching ``naming_pattern`` (default snake_case);
- ``sql:sensitive-column`` (critical): a column whose name says it holds personal data
  (ID-card number, bank account or card, passport, phone) unless its name says it is
  protected (``_enc``, ``_encrypted``, ``_hash``, ``_masked``, ``_cipher``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import Token, TokenType, exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError

from scanners._common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Draft,
    FileResult,
)
from scanners.base import Severity, SourceFile
from scanners.govern_rules import SQL_RULES
from scanners.perfile import PerFileScanner
from scanners.rules import RuleDoc
from scanners.wording import Wording, worded

TOOL = "sql"
_DESTRUCTIVE_KINDS = {"TABLE", "VIEW", "SCHEMA", "DATABASE", "INDEX"}
_SENSITIVE = re.compile(
    r"(id_?card|idcard_?no|id_?no|identity_?(no|number)|citizen_?id|身份证|bank_?(account|card)|"
    r"account_?no|card_?(no|number)|银行|passport|phone|mobile|手机)",
    re.IGNORECASE,
)
_PROTECTED = re.compile(r"(_enc|_encrypted|_hash|_hashed|_masked|_mask|_cipher|_digest)$", re.IGNORECASE)


@dataclass(frozen=True)
class SqlOptions:
    """``dialect``: a sqlglot dialect name (``postgres``, ``mysql``, ``oracle``…)."""

    dialect: str = ""
    naming_pattern: str = r"^[a-z][a-z0-9_]*$"
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        Dialect.get_or_raise(self.dialect or None)
        re.compile(self.naming_pattern)


@dataclass(frozen=True)
class Statement:
    """One statement's tokens and where it sits in the file."""

    tokens: list[Token]
    line: int
    end_line: int


def split_statements(tokens: list[Token]) -> Iterator[Statement]:
    """Split a token stream at semicolons, keeping each statement's line span."""
    chunk: list[Token] = []
    for token in [*tokens, None]:
        if token is not None and token.token_type != TokenType.SEMICOLON:
            chunk.append(token)
            continue
        if chunk:
            yield Statement(chunk, chunk[0].line, chunk[-1].line)
        chunk = []


def _line(node: exp.Expression, default: int) -> int:
    found = node.meta.get("line") if node.meta else None
    if found is None and isinstance(node.this, exp.Expression):
        return _line(node.this, default)
    return int(found) if found else default


#: What a naming rule names, as its message says it.
_NAMED: dict[str, Wording] = {"table": worded("table"), "column": worded("column")}


class _Checker:
    """Applies every rule to one parsed statement; one small method per rule."""

    def __init__(self, path: str, stmt: Statement, pattern: re.Pattern[str]) -> None:
        self.path, self.stmt, self.pattern = path, stmt, pattern
        self.drafts: list[Draft] = []

    def add(self, rule: str, tool_rule: str, severity: Severity, message: Wording, line: int) -> None:
        end = max(line, self.stmt.end_line) if line == self.stmt.line else line
        draft = Draft(rule, TOOL, tool_rule, severity, self.path, line, end, str(message), wording=message)
        self.drafts.append(draft)

    def check(self, tree: exp.Expression) -> list[Draft]:
        self.select_star(tree)
        self.destructive(tree)
        self.create_table(tree)
        self.added_columns(tree)
        return self.drafts

    def select_star(self, tree: exp.Expression) -> None:
        for select in tree.find_all(exp.Select):
            for item in select.expressions:
                if isinstance(item, exp.Star) or (
                    isinstance(item, exp.Column) and isinstance(item.this, exp.Star)
                ):
                    self.add(
                        "sql:select-star",
                        "select-star",
                        "minor",
                        worded("SELECT * (list the columns you need)"),
                        self.stmt.line,
                    )

    def destructive(self, tree: exp.Expression) -> None:
        """DROP (of a table, column, schema …) and TRUNCATE lose data a migration cannot restore."""
        for drop in tree.find_all(exp.Drop):
            kind = str(drop.args.get("kind") or "").upper()
            if isinstance(tree, exp.Alter) or kind in _DESTRUCTIVE_KINDS:
                what = kind or "COLUMN"
                self.add(
                    "sql:destructive-ddl",
                    f"drop-{what.lower()}",
                    "critical",
                    worded("destructive DDL: DROP %(what)s", what=what),
                    self.stmt.line,
                )
        for _ in tree.find_all(exp.TruncateTable):
            self.add(
                "sql:destructive-ddl",
                "truncate",
                "critical",
                worded("destructive DDL: TRUNCATE"),
                self.stmt.line,
            )

    def create_table(self, tree: exp.Expression) -> None:
        """A new table: its name, its columns' names and personal data, and a primary key."""
        if not isinstance(tree, exp.Create) or str(tree.args.get("kind")).upper() != "TABLE":
            return
        schema = tree.this
        if not isinstance(schema, exp.Schema):
            return
        table = schema.this
        self.name("sql:table-naming", "table", table, self.stmt.line)
        columns = [c for c in schema.expressions if isinstance(c, exp.ColumnDef)]
        for column in columns:
            self.name("sql:column-naming", "column", column, self.stmt.line)
            self.sensitive(column)
        has_key = schema.find(exp.PrimaryKeyColumnConstraint) or schema.find(exp.PrimaryKey)
        if columns and not has_key:
            self.add(
                "sql:no-primary-key",
                "no-primary-key",
                "major",
                worded("table %(table)s has no primary key", table=table.name),
                self.stmt.line,
            )

    def added_columns(self, tree: exp.Expression) -> None:
        if not isinstance(tree, exp.Alter):
            return
        for column in tree.find_all(exp.ColumnDef):
            self.name("sql:column-naming", "column", column, self.stmt.line)
            self.sensitive(column)

    def sensitive(self, column: exp.Expression) -> None:
        name = column.name
        if name and _SENSITIVE.search(name) and not _PROTECTED.search(name):
            self.add(
                "sql:sensitive-column",
                "sensitive-column",
                "critical",
                worded(
                    "column %(name)r holds personal data in clear: store it encrypted or masked", name=name
                ),
                _line(column, self.stmt.line),
            )

    def name(self, rule: str, what: str, node: exp.Expression, default: int) -> None:
        name = node.name
        if name and not self.pattern.match(name):
            self.add(
                rule,
                f"{what}-naming",
                "minor",
                worded(
                    "%(what)s name %(name)r does not match %(pattern)s",
                    what=_NAMED[what],
                    name=name,
                    pattern=self.pattern.pattern,
                ),
                _line(node, default),
            )


def check_sql(
    path: str, sql: str, dialect: str = "", pattern: str = SqlOptions.naming_pattern
) -> list[Draft]:
    """All drafts for one SQL text (pure: no I/O); parse errors become findings."""
    engine = Dialect.get_or_raise(dialect or None)
    try:
        tokens = engine.tokenize(sql)
    except TokenError as exc:
        return [Draft("sql:parse-error", TOOL, "tokenize", "major", path, 1, 1, str(exc)[:200])]
    compiled = re.compile(pattern)
    drafts: list[Draft] = []
    for stmt in split_statements(tokens):
        try:
            trees = engine.parser().parse(stmt.tokens, sql)
        except ParseError as exc:
            error = exc.errors[0] if exc.errors else {}
            line = int(error.get("line") or stmt.line)
            message = worded("does not parse: %(reason)s", reason=str(error.get("description", exc)))
            drafts.append(
                Draft(
                    "sql:parse-error", TOOL, "parse", "major", path, line, line, str(message), wording=message
                )
            )
            continue
        for tree in trees:
            if isinstance(tree, exp.Expression):
                drafts.extend(_Checker(path, stmt, compiled).check(tree))
    return drafts


class SqlScanner(PerFileScanner):
    """Per-file checks of SQL scripts and migrations."""

    name = "sql"
    revision = "worded-1"
    options_type = SqlOptions
    distributions = ("sqlglot",)
    suffixes = (".sql",)

    def rules(self) -> tuple[RuleDoc, ...]:
        """The rules this scanner reports, as documents (see :mod:`scanners.rules`)."""
        return SQL_RULES

    def analyse(self, source: SourceFile) -> FileResult:
        """One file: every statement checked; no metrics."""
        opts = self.options
        drafts = check_sql(source.path, source.text(), opts.dialect, opts.naming_pattern)
        return drafts, {}
