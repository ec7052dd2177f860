"""Govern: portal package."""
