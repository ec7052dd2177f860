"""Review snapshots: frozen, signed bundles of what a module's review rests on, verified offline."""
