"""The evidence tests' calculator module (CAL) and scan helper, reused for snapshots."""

from tests.governance.evidence.conftest import cal_module, calc_repo, scan_now

__all__ = ["cal_module", "calc_repo", "scan_now"]
