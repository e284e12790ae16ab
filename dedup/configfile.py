"""Read options from ``[tool.dedup]`` in pyproject.toml or ``[dedup]`` in setup.cfg."""

from __future__ import annotations

import configparser
import sys
from pathlib import Path
from typing import Any

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def find_config(start: Path | None = None) -> tuple[Path | None, dict[str, Any]]:
    """Search ``start`` and its parents for the first file with a dedup section."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            section = _from_pyproject(pyproject)
            if section is not None:
                return pyproject, section
        setup_cfg = directory / "setup.cfg"
        if setup_cfg.is_file():
            section = _from_setup_cfg(setup_cfg)
            if section is not None:
                return setup_cfg, section
    return None, {}


def read_config(path: Path) -> dict[str, Any]:
    """The dedup section of a named pyproject.toml (``[tool.dedup]``) or setup.cfg (``[dedup]``)."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such file")
    section = _from_pyproject(path) if path.suffix == ".toml" else _from_setup_cfg(path)
    return section or {}


def _from_pyproject(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    section = data.get("tool", {}).get("dedup")
    if section is not None and not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.dedup] must be a table")
    return section


def _from_setup_cfg(path: Path) -> dict[str, Any] | None:
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if not parser.has_section("dedup"):
        return None
    return dict(parser.items("dedup"))
