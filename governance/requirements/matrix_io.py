"""The traceability matrix as JSON, CSV or XLSX (one row per requirement).

Parent and Flagged by came last, after the columns earlier exports had, so sheets built on
those column positions keep working.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from governance.errors import InvalidInput, said
from governance.requirements.matrix import FileStatus, TraceMatrix
from governance.requirements.tables import write_csv, write_xlsx

MATRIX_FORMATS = ("csv", "xlsx", "json")
HEADER = (
    "Key",
    "Title",
    "Status",
    "Priority",
    "Owner",
    "Commits",
    "Files",
    "Tests",
    "Scan status",
    "Verification",
    "Coverage %",
    "Parent",
    "Flagged by",
)


def _scan_text(statuses: tuple[FileStatus, ...]) -> str:
    return "\n".join(
        f"{s.path}: {s.status}" + (f" ({s.findings}, worst {s.worst})" if s.findings else "")
        for s in statuses
    )


def matrix_table(matrix: TraceMatrix) -> list[list[str]]:
    """Rows of text cells, lists joined by newlines (one cell per column)."""
    return [
        [
            row.key,
            row.title,
            row.status,
            row.priority,
            row.owner or "",
            "\n".join(row.commits),
            "\n".join(row.files),
            "\n".join(row.tests),
            _scan_text(row.scan),
            row.verification,
            "" if row.coverage_pct is None else f"{row.coverage_pct:g}",
            row.parent or "",
            "\n".join(row.flagged_by),
        ]
        for row in matrix.rows
    ]


def matrix_json(matrix: TraceMatrix) -> dict[str, object]:
    data = asdict(matrix)
    data["coverage"] = matrix.coverage.as_dict()
    return data


def render_matrix(matrix: TraceMatrix, fmt: str) -> bytes:
    """The matrix in ``fmt`` (csv, xlsx or json)."""
    if fmt == "json":
        return json.dumps(matrix_json(matrix), ensure_ascii=False, indent=2).encode()
    if fmt == "csv":
        return write_csv(HEADER, matrix_table(matrix))
    if fmt == "xlsx":
        return write_xlsx(f"{matrix.module} traceability", HEADER, matrix_table(matrix))
    raise said(
        InvalidInput,
        "unknown format %(fmt)s: use %(matrix_formats)s",
        fmt=repr(fmt),
        matrix_formats=", ".join(MATRIX_FORMATS),
    )
