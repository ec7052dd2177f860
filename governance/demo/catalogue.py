"""What the demo world holds, as data: vendors, modules, their requirements and histories.

Modelled on a provincial finance department: budget, payments, accounting and assets,
delivered by three vendors of uneven discipline so that every standard has something to say.
Each vendor delivers one module by pushing into Govern's central repository (PAY, ACC, AST);
BUD is mirrored from its vendor's remote.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoModule:
    """One demo module: its registry entry, requirements and the commits that build it."""

    key: str
    name: str
    vendor: str
    package: str
    klass: str
    table: str
    schedule: str | None
    requirements: tuple[tuple[str, str], ...]  # (title, status)
    steps: tuple[tuple[str, tuple[str, ...]], ...]  # (commit message, files touched)
    pushed: bool = False  # fed by vendor pushes into its central repository, not mirrored


VENDORS = (
    ("Huaxin Software", "pm@huaxin.example"),
    ("Lianchuang Technology", "delivery@lianchuang.example"),
    ("Dongfang Data", "support@dongfang.example"),
)

_BASE_STEPS = (
    ("{key}-0001: project skeleton and architecture notes", ("readme", "architecture", "package")),
    ("{key}-0001: base tables", ("migration1",)),
    ("{key}-0002: booking service with balances", ("service",)),
    ("{key}-0002: tests for booking and balances", ("tests",)),
    ("quick fix for monthly report", ("report",)),
    ("{key}-0003: change log table", ("migration2",)),
    ("{key}-0004: API contract", ("openapi",)),
    ("cleanup", ("migration3",)),
)

_REQUIREMENTS = (
    ("Record budget entries per account", "verified"),
    ("Query balances by account", "implemented"),
    ("Keep a change log of every entry", "in_progress"),
    ("Publish the balance API", "approved"),
    ("Monthly report by region", "approved"),
    ("Export to the national reporting format", "proposed"),
)

MODULES = (
    DemoModule(
        "BUD",
        "Budget management",
        "Huaxin Software",
        "budget",
        "Budget",
        "budget_entry",
        "0 2 * * *",
        _REQUIREMENTS,
        (*_BASE_STEPS, ("{key}-0005: container image", ("docker",))),
    ),
    DemoModule(
        "PAY",
        "Treasury payments",
        "Huaxin Software",
        "payments",
        "Payment",
        "payment",
        "30 2 * * *",
        _REQUIREMENTS,
        _BASE_STEPS,
        pushed=True,
    ),
    DemoModule(
        "ACC",
        "General ledger accounting",
        "Lianchuang Technology",
        "ledger",
        "Ledger",
        "ledger_line",
        None,
        _REQUIREMENTS[:5],
        # the vendor reviews its flawed report late on: the last scan shows it fixed and passes
        (*_BASE_STEPS[:5], ("{key}-0005: monthly report reviewed and fixed", ("report_clean",))),
        pushed=True,
    ),
    DemoModule(
        "AST",
        "Fixed assets",
        "Dongfang Data",
        "assets",
        "Asset",
        "asset_book",
        "0 3 * * 0",
        _REQUIREMENTS,
        (*_BASE_STEPS, ("approval routing", ("java",))),
        pushed=True,
    ),
)

USERS = (
    ("admin", "admin", None),
    ("pm", "pm", None),
    ("auditor", "auditor", None),
    ("huaxin", "vendor", "Huaxin Software"),
    ("lianchuang", "vendor", "Lianchuang Technology"),
    ("dongfang", "vendor", "Dongfang Data"),
)
