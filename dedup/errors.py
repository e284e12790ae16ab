"""Exception types: one per kind of failure, caught and reported at the edge (the CLI)."""

from __future__ import annotations


class DedupError(Exception):
    """Base class of every error dedup raises on purpose."""


class InputError(DedupError):
    """An input cannot be read, decoded or parsed, or is no document (``None``, a number)."""


class ConfigError(DedupError, ValueError):
    """An option or a configuration file holds an invalid or unknown setting (also a
    ValueError, which an invalid argument is in Python)."""
