"""The generation stages: schema model -> emitted text -> formatted -> written."""
