"""Govern: reports package."""
