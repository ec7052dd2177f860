"""Vendors, modules, users and API tokens."""
