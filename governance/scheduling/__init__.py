"""Cron schedules for scans, fired once each even with several schedulers running."""
