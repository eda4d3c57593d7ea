"""The generator's own error: always a complete, user-facing message (file and key)."""


class GeneratorError(Exception):
    pass
