"""Campaigns: a PM's target over a set of modules, a burn-up from scans, the result at the deadline."""
