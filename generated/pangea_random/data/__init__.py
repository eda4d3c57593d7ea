"""Generated data source modules, one per type."""
