"""Generated resource modules, one per type."""
