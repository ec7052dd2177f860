"""Waivers are tested on real scans of a real repository (the scans fixtures)."""

from tests.governance.scans.conftest import pay_module, scan_now, vendor_repo  # noqa: F401
