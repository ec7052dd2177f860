"""sql: sqlglot-based checks, parse errors as findings."""

from __future__ import annotations

from collections import Counter

import pytest

from scanners.base import Batch
from scanners.errors import ScannerConfigError
from scanners.sql_scanner import SqlScanner, check_sql
from tests.scanners.scanner_samples import sample


def test_none_one_many() -> None:
    assert check_sql("a.sql", "CREATE TABLE t (id INT PRIMARY KEY);\nSELECT id FROM t;") == []
    (one,) = check_sql("a.sql", "SELECT a.* FROM a;")
    assert (one.rule, one.severity) == ("sql:select-star", "minor")
    many = check_sql("a.sql", "DROP TABLE a; TRUNCATE b; DROP VIEW v;")
    assert [d.tool_rule for d in many] == ["drop-table", "truncate", "drop-view"]


def test_real_sample_exact_rules() -> None:
    result = SqlScanner({"dialect": "postgres"}).scan(Batch(files=(sample("sql/001_schema.sql"),)))
    assert Counter((f.rule, f.line) for f in result.findings) == Counter(
        {
            ("sql:table-naming", 7): 1,
            ("sql:column-naming", 9): 1,
            ("sql:no-primary-key", 7): 1,
            ("sql:select-star", 12): 1,
            ("sql:destructive-ddl", 16): 1,
            ("sql:destructive-ddl", 18): 1,
            ("sql:destructive-ddl", 20): 1,
            ("sql:parse-error", 22): 1,
        }
    )


def test_unparsable_file_is_a_finding_not_a_crash() -> None:
    (draft,) = check_sql("a.sql", "SELECT 'never closed")
    assert draft.rule == "sql:parse-error"


def test_unknown_dialect_is_a_config_error() -> None:
    with pytest.raises(ScannerConfigError):
        SqlScanner({"dialect": "no-such-sql"})


def test_naming_pattern_is_configurable() -> None:
    sql = "CREATE TABLE UserAccount (Id INT PRIMARY KEY);"
    assert len(check_sql("a.sql", sql)) == 2
    assert check_sql("a.sql", sql, pattern=r"^[A-Z][A-Za-z]*$") == []


def test_sensitive_columns_in_clear_are_flagged_and_protected_ones_are_not() -> None:
    from scanners.sql_scanner import check_sql

    sql = (
        "CREATE TABLE person (id INT PRIMARY KEY, id_card_no VARCHAR(18), bank_account_enc TEXT,\n"
        " mobile VARCHAR(20), name VARCHAR(50));\nALTER TABLE person ADD COLUMN passport VARCHAR(20);"
    )
    flagged = [
        (d.line, d.message.split("'")[1]) for d in check_sql("m.sql", sql) if d.rule == "sql:sensitive-column"
    ]
    assert flagged == [(1, "id_card_no"), (1, "mobile"), (3, "passport")] or flagged == [
        (1, "id_card_no"),
        (2, "mobile"),
        (3, "passport"),
    ]
