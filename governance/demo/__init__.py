"""The demo world: vendors, modules with real git histories, requirements and users."""
