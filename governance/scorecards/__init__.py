"""Vendor scorecards per quarter and the monthly portfolio report (月报): figures, storage, the job."""
