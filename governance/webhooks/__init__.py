"""Outgoing webhooks: HMAC-signed JSON for scan events, retried with backoff."""
