"""Campaigns are measured from real scans of a real repository (the scans and tickets fixtures)."""

from tests.governance.scans.conftest import pay_module, scan_now, vendor_repo  # noqa: F401
from tests.governance.tickets.conftest import notices, people  # noqa: F401
