"""Triage on the fingerprint: waivers requested by vendors, decided by PMs, honoured by every scan."""
