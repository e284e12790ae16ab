"""The command line's options, defined once, and the config file as their defaults.

A config file (``[tool.dedup]`` in pyproject.toml, ``[dedup]`` in setup.cfg, or the file
``--config`` names) becomes the command's ``default_map``: click then takes each option from
the command line, else from the file, else from its own default, so flags win and nothing
merges them by hand. Help texts show ``Config``'s own defaults.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from ..config import Config, coerce, find_config, read_config
from ..errors import ConfigError, InputError
from ..io.formats import DOCUMENTS, OUTPUTS, STREAMS, Format
from ..io.inputs import DEFAULT_INCLUDE, STDIN, Source, expand
from ..report import REPORT_FORMATS, format_for_path
from ..run.records import OnError

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
E = TypeVar("E", bound=Enum)

_DEFAULTS = Config()
# Settings a config file may hold besides the Config fields: the directory walk's globs.
_WALK_KEYS = ("include", "exclude")


def _names(cls: type) -> tuple[str, ...]:
    """The field names of a dataclass: the parameters it gathers."""
    return tuple(f.name for f in fields(cls))


_CONFIG_FIELDS = _names(Config)


def stacked(*decorators: Decorator) -> Decorator:
    """One decorator applying several, the first outermost (as if written one above the other)."""

    def apply(f: Callable[..., Any]) -> Callable[..., Any]:
        for decorator in reversed(decorators):
            f = decorator(f)
        return f

    return apply


def collect(name: str, build: Callable[..., Any], keys: Sequence[str]) -> Decorator:
    """Hand the command's parameters named in ``keys`` on as one, ``build(**those)``."""

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(f)
        def command(**params: Any) -> Any:
            params[name] = build(**{key: params.pop(key) for key in keys if key in params})
            return f(**params)

        return command

    return decorate


class EnumChoice(click.Choice):
    """A choice among the members of a str-valued enum, written as their values.

    ``auto``, when allowed, is given as None. (click's own enum choices go by member name.)
    """

    def __init__(self, members: Sequence[E], auto: bool = False) -> None:
        self.members: dict[str, Enum] = {m.value: m for m in members}
        super().__init__([*(["auto"] if auto else []), *self.members])

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Enum | None:
        if isinstance(value, Enum):
            return value
        return self.members.get(super().convert(value, param, ctx))


# ---------------------------------------------------------------- the config file


def file_defaults(path: str | None) -> dict[str, Any]:
    """A config file's section as option defaults, checked: an unknown key or a bad value
    raises ConfigError. ``path`` names the file; None searches from the current directory."""
    if path:
        where: Path | None = Path(path)
        section = read_config(Path(path))
    else:
        where, section = find_config()
    section = dict(section)
    globs = {}
    walk: dict[str, Any] = {}
    for key in list(section):
        if key.replace("-", "_") in _WALK_KEYS:
            globs[key.replace("-", "_")] = _globs(section.pop(key))
        elif key.replace("-", "_") == "force_exclude":
            walk["force_exclude"] = coerce(section.pop(key), bool, key, str(where))
    config = Config.from_mapping(section, str(where) if where else "options")
    names = [key.replace("-", "_") for key in section]
    defaults: dict[str, Any] = {name: getattr(config, name) for name in names}
    # An empty include is the default one, not "take nothing".
    defaults.update({name: value for name, value in globs.items() if value})
    defaults.update(walk)
    return defaults


def _globs(value: Any) -> tuple[str, ...]:
    """Globs from a config file: a list, or one string of comma- or space-separated globs."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v for v in value.replace(",", " ").split() if v)
    return tuple(str(v) for v in value)


def _use_config_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # Eager, so it runs before the other options take their defaults from the map it sets.
    try:
        ctx.default_map = {**file_defaults(value), **(ctx.default_map or {})}
    except ConfigError as exc:
        raise click.UsageError(str(exc), ctx) from None
    return value


def config_from(flags: Mapping[str, Any]) -> Config:
    """The run's Config: each field from its flag, else from the config file (the fields
    without a flag too), else Config's default."""
    ctx = click.get_current_context()
    values = {}
    for name in _CONFIG_FIELDS:
        value = flags.get(name)
        if value is None:
            value = ctx.lookup_default(name)
        if value is not None:
            values[name] = value
    try:
        return Config.from_mapping(values)
    except ConfigError as exc:
        raise click.UsageError(str(exc), ctx) from None


def _tuning(flag: str, kind: click.ParamType, text: str) -> Decorator:
    """An option for the Config field named like ``flag``; its help ends with the default."""
    default = getattr(_DEFAULTS, flag.lstrip("-").replace("-", "_"))
    return click.option(flag, type=kind, help=f"{text} [{default}]")


_FRACTION = click.FloatRange(0, 1, min_open=True)

config_options = stacked(
    _tuning(
        "--jaccard", _FRACTION, "Exact shingle Jaccard similarity that makes two blocks copies."
    ),
    _tuning(
        "--containment",
        _FRACTION,
        "Share of a block that must lie inside the kept one to be its echo.",
    ),
    _tuning(
        "--min-chars",
        click.IntRange(1),
        "Shortest block (normalised characters; a CJK one counts as 3) that can be removed.",
    ),
    _tuning(
        "--min-contained-chars",
        click.IntRange(1),
        "Shortest block removable for lying inside another.",
    ),
    click.option(
        "--alt/--no-alt",
        "include_alt",
        default=None,
        help="Treat img alt/title text as blocks (alt echoes of captions go).",
    ),
    click.option(
        "--remove-table-cells/--keep-table-cells",
        default=None,
        help="Allow removing repeated table cells (kept by default).",
    ),
    _tuning("--shingle-size", click.IntRange(2, 32), "Characters per shingle."),
    _tuning("--num-perm", click.IntRange(8, 1024), "MinHash permutations."),
    _tuning(
        "--max-bytes", click.IntRange(1), "Refuse a document (or JSONL line) larger than this."
    ),
    _tuning("--max-blocks", click.IntRange(1), "Refuse a document with more blocks than this."),
    _tuning(
        "--max-block-chars",
        click.IntRange(1),
        "Keep a longer block as it is, without comparing it.",
    ),
    click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        is_eager=True,
        expose_value=False,
        callback=_use_config_file,
        help="Read options from this pyproject.toml or setup.cfg instead of searching.",
    ),
    collect("config", lambda **flags: config_from(flags), _CONFIG_FIELDS),
)


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Reading:
    """Which inputs a command reads, and how."""

    inputs: tuple[str, ...]
    input_format: Format | None  # None: by extension, then content
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    field: str
    html_field: str | None
    force_exclude: bool = False
    records: bool = False  # a field was named: inputs whose name says no format are JSONL

    def sources(self, skip: tuple[Path, ...] = ()) -> Iterator[Source | InputError]:
        """Every input file in order (a missing one as an InputError), none under ``skip``."""
        return expand(self.inputs, self.include, self.exclude, skip, self.force_exclude)

    def several(self) -> bool:
        """Whether the inputs may be more than one file (so an output is a directory)."""
        return len(self.inputs) > 1 or any(
            os.path.isdir(i) or not os.path.exists(i) for i in self.inputs if i != STDIN
        )


def _excludes(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    # Excludes add up (the command line's and the config file's); includes replace.
    if ctx.get_parameter_source("exclude") is ParameterSource.COMMANDLINE:
        return value + tuple(ctx.lookup_default("exclude") or ())
    return value


def reading_options(required: bool) -> Decorator:
    """INPUTS and the options that say how to read them; ``required``: at least one input."""
    return stacked(
        click.argument("inputs", nargs=-1, required=required),
        click.option(
            "--input-format",
            type=EnumChoice((*DOCUMENTS, *STREAMS), auto=True),
            default="auto",
            show_default=True,
            help="How to read inputs; auto goes by extension (.jsonl, .warc.gz...), then content.",
        ),
        click.option(
            "--include",
            multiple=True,
            metavar="GLOB",
            default=DEFAULT_INCLUDE,
            help=f"File names to take from directories (repeatable). [{' '.join(DEFAULT_INCLUDE)}]",
        ),
        click.option(
            "--exclude",
            multiple=True,
            metavar="GLOB",
            callback=_excludes,
            help="Paths or directory names to skip (repeatable).",
        ),
        click.option(
            "--force-exclude/--no-force-exclude",
            default=False,
            help="Apply --exclude to files named on the command line too "
            "(pre-commit names every file).",
        ),
        click.option(
            "--field",
            default="text",
            show_default=True,
            help="JSONL: the field holding the text to clean.",
        ),
        click.option(
            "--html-field",
            metavar="FIELD",
            help="JSONL: clean this field as raw HTML instead of --field.",
        ),
        collect("reading", _reading, _names(Reading)),
    )


def _reading(**params: Any) -> Reading:
    """The inputs and how to read them; naming a field says the inputs are records."""
    ctx = click.get_current_context()
    named = ctx.get_parameter_source("field") is ParameterSource.COMMANDLINE
    return Reading(**params, records=named or params.get("html_field") is not None)


run_options = stacked(
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(1),
        default=1,
        show_default=True,
        help="Worker processes (output order is kept).",
    ),
    click.option("-q", "--quiet", is_flag=True, help="No summary line or progress on stderr."),
)


# ---------------------------------------------------------------- outputs (clean)


@dataclass(frozen=True)
class Output:
    """What ``clean`` writes, where, and what it reports."""

    output: str | None
    fmt: Format | None
    report_path: str | None
    report_format: str | None
    output_field: str | None
    removals_key: str
    no_removals: bool
    verbose: bool
    on_error: OnError

    def report_kind(self) -> str | None:
        """The report's kind: asked for, else by the file's extension; None: no report."""
        if not self.report_path:
            return None
        kind = self.report_format or format_for_path(self.report_path)
        if kind is None:
            raise click.UsageError(
                f"cannot tell the report format of {self.report_path}; use --report-format"
            )
        return kind


output_options = stacked(
    click.option(
        "-o",
        "--output",
        type=click.Path(),
        help="Write here instead of stdout "
        "(a directory when there are several inputs: the input tree is mirrored).",
    ),
    click.option(
        "-f",
        "--format",
        "fmt",
        type=EnumChoice(OUTPUTS),
        help="Output format. [the input's: text for HTML and text, markdown for Markdown]",
    ),
    click.option(
        "--report",
        "report_path",
        type=click.Path(dir_okay=False),
        help="Write a report here (.json, .diff/.patch or .html).",
    ),
    click.option(
        "--report-format",
        type=click.Choice(REPORT_FORMATS),
        help="Report kind when the file name does not tell.",
    ),
    click.option(
        "--output-field",
        metavar="FIELD",
        help="JSONL/WARC: write the cleaned text to this field. [the input field]",
    ),
    click.option(
        "--removals-key",
        default="dedup",
        show_default=True,
        help="JSONL/WARC: key under which each record lists its removals.",
    ),
    click.option("--no-removals", is_flag=True, help="JSONL/WARC: do not add the removals key."),
    click.option("-v", "--verbose", is_flag=True, help="Print every removal on stderr."),
    # --on-error too, though declared apart: the help lists it with the input options.
    collect("output", Output, _names(Output)),
)

on_error_option = click.option(
    "--on-error",
    type=EnumChoice(list(OnError)),
    default="pass",
    show_default=True,
    help="JSONL: write a line that cannot be cleaned through unchanged, or drop it.",
)
