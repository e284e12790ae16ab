"""A batched map function for Hugging Face ``datasets`` (``pip install 'dedup[datasets]'``).

::

    from dedup.integrations import hf

    kwargs = {"html_field": "html", "min_chars": 30}
    schema = hf.features(ds.features, **kwargs)
    ds = ds.map(hf.clean_batch, batched=True, fn_kwargs=kwargs, features=schema)

Each row's document is cleaned on its own, as ``dedup.clean`` cleans it, and the row gets
its cleaned text and its removals, the records ``dedup clean`` writes for JSONL under
``dedup`` (``index``, ``duplicate_of``, ``similarity``, ``reason``, ``kind``, ``text``).

Which column gets what:

- ``field`` (``text``) is read, and by default replaced by its cleaned text; what it holds
  is told as ``dedup.clean`` tells it (``format=`` says: ``text``, ``markdown``, ``html``).
- ``html_field`` names a column of raw HTML to read instead: it is kept as it was, and the
  page's cleaned *text* goes to ``field`` (``text``), so that an HTML column never holds
  text; writing over ``html_field`` is refused.
- ``output_field`` puts the cleaned text in a column of its own instead of ``field``.
- ``removals_key`` (``dedup``) is the column of removals; None adds none.

The output is always text (``Result.text``), and the removals are the text's plan
(``Result.removed``): what ``dedup.clean_records(..., output_format="text")`` writes. A
document is text, or bytes (a binary column, decoded as ``dedup.clean`` decodes bytes); a
row whose document is None passes with None and no removals.

``clean_batch`` returns only the columns it writes; ``map`` keeps the others. Pass
``features=features(ds.features, **kwargs)`` to ``map``: the removals column is then typed
whatever a batch holds (without it, a first batch with no removals types the column as
nulls, and the first removal after it fails to cast), and ``save_to_disk`` and
``to_parquet`` write that schema.

Every ``dedup.Config`` option is a keyword (``jaccard=0.9``, ``min_chars=30``,
``include_alt=True``), or ``config=`` a whole ``Config``; a wrong name or type is a
``dedup.ConfigError``. The cleaner is built once per process for each configuration (a
small cache keyed by it), never per batch, so ``num_proc=N`` builds one in each worker.

This module imports ``datasets`` only in ``features`` and ``removals_feature``:
``clean_batch`` is plain Python over the batch's lists.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..api import Cleaner
from ..config import Config
from ..errors import ConfigError, InputError
from ..io.decode import FORMATS
from ..streams import record_title

if TYPE_CHECKING:
    from datasets import Features

__all__ = ["clean_batch", "cleaner", "features", "removals_feature"]

_OPTIONS = tuple(f.name for f in fields(Config))


@dataclass(frozen=True)
class _Columns:
    """Which column is read (and as what), which gets the cleaned text and which the removals."""

    source: str
    format: str | None
    output: str
    removals: str | None


def _columns(
    field: object,
    html_field: object,
    output_field: object,
    removals_key: object,
    format: object,
) -> _Columns:
    for name, value, nullable in (
        ("field", field, False),
        ("html_field", html_field, True),
        ("output_field", output_field, True),
        ("removals_key", removals_key, True),
    ):
        if not (isinstance(value, str) and value) and not (nullable and value is None):
            what = "a column name" + (" or None" if nullable else "")
            raise ConfigError(f"clean_batch: {name} must be {what}, got {value!r}")
    if format is not None and format not in FORMATS:
        raise ConfigError(
            f"clean_batch: unknown input format {format!r}; choose one of {', '.join(FORMATS)}"
        )
    assert isinstance(field, str)
    output = output_field if isinstance(output_field, str) else field
    fmt: str | None
    if isinstance(html_field, str):
        if format not in (None, "html"):
            raise ConfigError(f"clean_batch: html_field is read as HTML, not as {format!r}")
        if output == html_field:
            raise ConfigError(
                f"clean_batch: the cleaned text of html_field {html_field!r} goes to a text "
                f"column (field or output_field), not back into {html_field!r}; "
                "map(..., remove_columns=[...]) drops the HTML"
            )
        source, fmt = html_field, "html"
    else:
        source, fmt = field, format if isinstance(format, str) else None
    if removals_key == output:
        raise ConfigError(
            f"clean_batch: removals_key {removals_key!r} is the column of the cleaned text"
        )
    if removals_key == source:
        raise ConfigError(f"clean_batch: removals_key {removals_key!r} is the column read")
    return _Columns(source, fmt, output, removals_key if isinstance(removals_key, str) else None)


def _config(config: object, options: Mapping[str, Any]) -> Config:
    """``config`` (the defaults when None) with ``options`` changed; ConfigError naming a
    wrong option, with the closest right name."""
    if config is not None and not isinstance(config, Config):
        raise ConfigError(f"clean_batch: config must be a dedup.Config, got {config!r}")
    for name in options:
        if name not in _OPTIONS:
            close = difflib.get_close_matches(name, _OPTIONS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ConfigError(
                f"clean_batch: unknown option {name!r}; {hint}the options are {', '.join(_OPTIONS)}"
            )
    base = config or Config()
    try:
        return base.replace(**options) if options else base
    except ConfigError as exc:
        raise ConfigError(f"clean_batch: {exc}") from None


@lru_cache(maxsize=8)
def cleaner(config: Config) -> Cleaner:
    """The cleaner of ``config`` in this process: built on first use, then reused by every
    batch (a worker of ``map(num_proc=N)`` builds its own)."""
    return Cleaner(config)


def clean_batch(
    batch: Mapping[str, Sequence[Any]],
    *,
    field: str = "text",
    html_field: str | None = None,
    output_field: str | None = None,
    removals_key: str | None = "dedup",
    format: str | None = None,
    config: Config | None = None,
    **options: Any,
) -> dict[str, list[Any]]:
    """Clean each row of a batch: ``dataset.map(clean_batch, batched=True, fn_kwargs=...)``.

    Args:
        batch: columns of equal length, as ``map(batched=True)`` passes them.
        field: the column of text to clean, and where its cleaned text goes (``text``).
        html_field: a column of raw HTML to clean instead; it stays as it is, and the
            page's cleaned text goes to ``output_field``, else ``field``.
        output_field: the column for the cleaned text, instead of ``field``.
        removals_key: the column of each row's removals (``dedup``); None: no column.
        format: what ``field`` holds (``text``, ``markdown``, ``html``); by default told
            from each row's content, as ``dedup.clean`` tells it.
        config: a ``dedup.Config`` to start from.
        **options: ``dedup.Config`` options (``jaccard=0.9``, ``min_chars=30``).

    Returns:
        The columns it writes: the cleaned text (None where the document was None) and,
        unless ``removals_key`` is None, the removals, a list of dicts a row.

    Raises:
        ConfigError: an option or column name is wrong, or the batch is one row (``map``
            without ``batched=True``).
        InputError: the column is missing, or a row holds something else than text, bytes
            or None, or a document is over a limit; the message names the row.
    """
    columns = _columns(field, html_field, output_field, removals_key, format)
    worker = cleaner(_config(config, options))
    if not isinstance(batch, Mapping):
        raise ConfigError(
            f"clean_batch: a batch is a mapping of columns, not {type(batch).__name__}"
        )
    if columns.source not in batch:
        names = ", ".join(repr(k) for k in list(batch)[:12]) or "none"
        close = difflib.get_close_matches(columns.source, [str(k) for k in batch], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InputError(f"no column {columns.source!r} in the batch (its columns: {names}){hint}")
    values = batch[columns.source]
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise ConfigError(
            "clean_batch cleans a batch of rows: call map(clean_batch, batched=True, ...)"
        )
    texts: list[str | None] = []
    removals: list[list[dict[str, Any]]] = []
    for row, value in enumerate(values):
        if value is None:
            texts.append(None)
            removals.append([])
            continue
        if not isinstance(value, (str, bytes)):
            raise InputError(
                f"{_where(batch, row)}: column {columns.source!r} holds "
                f"{type(value).__name__}, not text"
            )
        try:
            result = worker.clean(value, format=columns.format, name=f"row {row}")
        except InputError as exc:
            raise InputError(f"{_where(batch, row)}: {exc}") from None
        texts.append(result.text)
        removals.append([r.as_dict() for r in result.removed])
    out: dict[str, list[Any]] = {columns.output: texts}
    if columns.removals is not None:
        out[columns.removals] = removals
    return out


def _where(batch: Mapping[str, Sequence[Any]], row: int) -> str:
    """A row as messages name it: its place in the batch, and its ``url`` or ``id``."""
    keys = [key for key in ("url", "id") if key in batch]
    title = record_title({key: batch[key][row] for key in keys}) if keys else None
    return f"row {row} of the batch" + (f" ({title})" if title else "")


def removals_feature() -> Any:
    """The ``datasets`` feature of the removals column: a list of structs, typed as
    ``clean_batch`` fills them (``duplicate_of`` is the kept block's index in the same
    document, an integer; ``similarity`` a 64-bit float, so values come back exactly)."""
    import datasets

    struct = {
        "index": datasets.Value("int64"),
        "duplicate_of": datasets.Value("int64"),
        "similarity": datasets.Value("float64"),
        "reason": datasets.Value("string"),
        "kind": datasets.Value("string"),
        "text": datasets.Value("string"),
    }
    # ``datasets.List`` (4.0 on) is a list of the struct; ``Sequence`` of a dict would be a
    # struct of lists. Before 4.0 a one-item Python list said "list of" in a schema.
    list_of = getattr(datasets, "List", None)
    return list_of(struct) if list_of is not None else [struct]


def features(
    dataset_features: Mapping[str, Any] | None = None,
    *,
    field: str = "text",
    html_field: str | None = None,
    output_field: str | None = None,
    removals_key: str | None = "dedup",
    format: str | None = None,
    config: Config | None = None,
    **options: Any,
) -> Features:
    """The schema of a dataset after ``map(clean_batch, ...)`` with the same keywords, to
    pass as ``map(..., features=...)``: ``dataset_features`` (``ds.features``) with the
    cleaned text's column a string and the removals column typed (``removals_feature``).
    The keywords are checked as ``clean_batch`` checks them, so one dict serves both.
    Without ``dataset_features``: only the two columns ``clean_batch`` writes."""
    import datasets

    columns = _columns(field, html_field, output_field, removals_key, format)
    _config(config, options)
    schema = dict(dataset_features or {})
    if dataset_features is not None and columns.source not in schema:
        names = ", ".join(repr(k) for k in schema) or "none"
        raise InputError(f"no column {columns.source!r} in the dataset (its columns: {names})")
    schema[columns.output] = datasets.Value("string")
    if columns.removals is not None:
        schema[columns.removals] = removals_feature()
    return datasets.Features(schema)
