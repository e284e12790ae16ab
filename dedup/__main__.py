"""``python -m dedup``: the same as the ``dedup`` command."""

from .cli import main

if __name__ == "__main__":  # pragma: no cover
    main(prog_name="dedup")
