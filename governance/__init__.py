"""Govern: governance package."""
