"""Notices: an outbox written with the state change, delivered after commit by e-mail and signed webhooks."""
