"""Govern: standards package."""
