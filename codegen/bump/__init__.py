"""Provider-bump tooling: what a new schema changes for the targets and their overrides."""
