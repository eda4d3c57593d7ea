"""Typed readers of the generator's inputs: the pin, the provider schema, overrides, the shapes lock."""
