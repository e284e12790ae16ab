"""One configuration object for every step, built from keyword options or a config file."""

from __future__ import annotations

import configparser
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Config:
    """How echoes are found and which copy is kept.

    Thresholds apply to exact shingle sets (never to MinHash estimates): ``jaccard`` for
    two copies of the same text, ``containment`` for a shorter block found inside a longer
    one (a pull quote, a truncated caption). ``min_chars`` is the shortest block, in
    normalised characters, that can ever be removed: shorter repeats ("Share",
    "Advertisement", "Yes") carry too little text to tell an echo from a coincidence. A
    character of Chinese, Japanese or Korean counts as three, since it carries about a word
    (seven of them are a headline, as twenty letters are in English).
    ``min_contained_chars`` is the same floor for removal by containment, higher because a
    short phrase (a name, a place) inside a paragraph is a mention, not an echo; a copy
    truncated with an ellipsis only needs ``min_chars``.

    Limits keep time and memory bounded whatever the input: a document over ``max_bytes``
    or with more than ``max_blocks`` blocks is refused with an InputError; a block longer
    than ``max_block_chars`` characters is kept as it is, never compared.
    """

    jaccard: float = 0.8
    containment: float = 0.97
    min_chars: int = 20
    min_contained_chars: int = 60
    shingle_size: int = 5
    # 32 permutations banded at 0.4 (10 bands of 3 rows) propose a pair at Jaccard 0.8 with
    # probability 0.9992, as 64 at 0.5 (0.9994) did, for half the hashing: exact
    # verification follows, so extra candidates cost a check each, never a wrong removal.
    num_perm: int = 32
    lsh_threshold: float = 0.4
    anchors: int = 8
    seed: int = 1
    include_alt: bool = False
    remove_table_cells: bool = False
    max_bytes: int = 64 << 20
    max_blocks: int = 250_000
    max_block_chars: int = 1_000_000

    def __post_init__(self) -> None:
        for f in fields(self):
            value, kind = getattr(self, f.name), type(getattr(Config, f.name))
            # An int is a float's value too; a bool is no number.
            fits = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
            if not fits and not (kind is float and type(value) is int):
                raise ConfigError(
                    f"{f.name} must be {_KIND_NAMES[kind]}, got {value!r} "
                    f"({type(value).__name__}); Config.from_mapping reads strings"
                )
        for name in ("jaccard", "containment", "lsh_threshold"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ConfigError(f"{name} must be in (0, 1], got {value}")
        for name in (
            "min_chars",
            "min_contained_chars",
            "max_bytes",
            "max_blocks",
            "max_block_chars",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")
        if not 2 <= self.shingle_size <= 32:
            raise ConfigError(f"shingle_size must be between 2 and 32, got {self.shingle_size}")
        if not 8 <= self.num_perm <= 1024:
            raise ConfigError(f"num_perm must be between 8 and 1024, got {self.num_perm}")
        if not 1 <= self.anchors <= 64:
            raise ConfigError(f"anchors must be between 1 and 64, got {self.anchors}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], origin: str = "options") -> Config:
        """Build a Config from a mapping (a config file section); unknown keys are errors."""
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in values.items():
            name = key.replace("-", "_")
            if name not in known:
                raise ConfigError(f"{origin}: unknown option {key!r}")
            default = getattr(cls, name)
            kwargs[name] = coerce(value, type(default), key, origin)
        return cls(**kwargs)

    def replace(self, **changes: Any) -> Config:
        """A copy with some options changed, checked as a new Config's are (a value of the
        wrong type is a ConfigError; ``from_mapping`` is what reads strings)."""
        known = {f.name for f in fields(self)}
        for name in changes:
            if name not in known:
                raise ConfigError(f"unknown option {name!r}")
        return Config(**{**asdict(self), **changes})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_KIND_NAMES = {bool: "true or false", int: "an integer", float: "a number"}


def coerce(value: Any, kind: type, key: str, origin: str) -> Any:
    """A setting's value as ``kind`` (``"yes"`` is true, ``"10"`` is 10); ConfigError
    naming ``key`` and where it was set when it is none."""
    try:
        if kind is bool:
            if isinstance(value, str):
                lowered = value.strip().lower()
                if lowered in ("1", "true", "yes", "on"):
                    return True
                if lowered in ("0", "false", "no", "off"):
                    return False
                raise ValueError(value)
            return bool(value)
        if kind is int and isinstance(value, float) and not value.is_integer():
            raise ValueError(value)
        return kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{origin}: {key} must be {kind.__name__}, got {value!r}") from None


# ---------------------------------------------------------------- config files


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
