"""Server-side login sessions and login throttling, shared by every portal process."""
