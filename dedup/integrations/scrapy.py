"""A Scrapy item pipeline that removes the echoes from an item's text fields.

    ITEM_PIPELINES = {"dedup.integrations.scrapy.DedupPipeline": 300}

Settings (all optional):

``DEDUP_FIELDS``
    Fields of text to clean, read as ``dedup clean --field`` reads them (a value that
    starts with a tag is HTML and stays HTML). Default ``["text"]``, or none when
    ``DEDUP_HTML_FIELDS`` is set.
``DEDUP_HTML_FIELDS``
    Fields of HTML (``response.text``) to clean; the cleaned value is text, as
    ``dedup clean --html-field FIELD -f text`` writes it.
``DEDUP_OUTPUT_FIELD``
    Where the cleaned value goes. Unset: back into its own field. ``{field}`` in it is
    the name of the field cleaned (``"{field}_clean"``); with more than one field it must
    hold ``{field}``, so that no two fields write one place.
``DEDUP_REMOVALS_KEY``
    Where the removals go: a list of dicts, the list the command line writes under
    ``"dedup"``. Default ``"dedup"`` for one field, ``"dedup_{field}"`` for several;
    ``None`` or ``""`` stores none.
``DEDUP_<OPTION>``
    Every ``dedup.Config`` option: ``DEDUP_JACCARD``, ``DEDUP_MIN_CHARS``,
    ``DEDUP_INCLUDE_ALT``...

A wrong value, or a ``DEDUP_`` setting that names nothing, is a ``dedup.ConfigError``
naming the setting when the crawler starts.

Items are dicts, ``scrapy.Item``, dataclass or attrs objects (anything ``ItemAdapter``
takes), changed in place. A missing or None field is no text: the item passes with an
empty list of removals. A field that holds something else than text, or text over a
limit (``DEDUP_MAX_BYTES``), is named in a warning and left as it is. An item class that
does not declare a field the pipeline writes (a ``scrapy.Item`` without
``dedup = scrapy.Field()``, a dataclass without the attribute) gets one warning per class
and field, and that value is not stored; the rest is.
"""

from __future__ import annotations

import difflib
import logging
from collections import Counter
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from ..api import Cleaner, Result
from ..config import Config
from ..errors import ConfigError, InputError
from ..streams import written_format

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

__all__ = ["DedupPipeline"]

logger = logging.getLogger(__name__)

PREFIX = "DEDUP_"
_OWN = ("FIELDS", "HTML_FIELDS", "OUTPUT_FIELD", "REMOVALS_KEY")
_KIND_NAMES = {bool: "true or false", int: "an integer", float: "a number"}


@dataclass(frozen=True)
class Target:
    """One field the pipeline cleans, and where its cleaned value and removals go."""

    field: str
    html: bool
    output: str
    removals: str | None


class DedupPipeline:
    """Cleans the configured fields of every item with one ``dedup.Cleaner``."""

    def __init__(self, config: Config | None = None, targets: list[Target] | None = None) -> None:
        self.cleaner = Cleaner(config)
        self.targets = targets if targets is not None else plan_targets(["text"], [], None, "dedup")
        self.crawler: Crawler | None = None
        self.items = 0
        self.removed: Counter[str] = Counter()
        self._warned: set[tuple[type, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        config, targets = read_settings(crawler.settings)
        pipeline = cls(config, targets)
        pipeline.crawler = crawler
        return pipeline

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        log = self._logger(spider)
        adapter = ItemAdapter(item)
        name = _item_name(adapter)
        removed: Counter[str] = Counter()
        cleaned = False
        for target in self.targets:
            value = adapter.get(target.field)
            result: Result | None = None
            if value is not None and not isinstance(value, str):
                log.warning(
                    "dedup: %s: field %r holds %s, not text; left as it is",
                    name,
                    target.field,
                    type(value).__name__,
                )
                self._inc("dedup/fields_skipped")
                continue
            if value is not None:
                try:
                    result = self.cleaner.clean(
                        value, format="html" if target.html else None, name=name
                    )
                except InputError as exc:
                    log.warning("dedup: %s: field %r: %s; left as it is", name, target.field, exc)
                    self._inc("dedup/fields_skipped")
                    continue
            written = "text" if target.html or result is None else written_format(result, None)
            if result is not None:
                cleaned = True
                self._store(adapter, target.output, result.output(written), log)
            elif target.output != target.field and target.field in adapter:
                self._store(adapter, target.output, None, log)
            removals = result.removals(written) if result is not None else ()
            removed.update(str(r.kind) for r in removals)
            if target.removals is not None:
                self._store(adapter, target.removals, [r.as_dict() for r in removals], log)
        if cleaned:
            self.items += 1
            self._inc("dedup/items_cleaned")
        if removed:
            total = sum(removed.values())
            self.removed.update(removed)
            self._inc("dedup/blocks_removed", total)
            for kind, count in removed.items():
                self._inc(f"dedup/removed/{kind}", count)
            log.debug("dedup: %s: %s removed (%s)", name, _blocks(total), _counts(removed))
        return item

    def close_spider(self, spider: Spider | None = None) -> None:
        total = sum(self.removed.values())
        detail = f" ({_counts(self.removed)})" if total else ""
        items = f"{self.items} item{'s' if self.items != 1 else ''}"
        self._logger(spider).info("dedup: %s cleaned, %s removed%s", items, _blocks(total), detail)

    def _store(
        self,
        adapter: ItemAdapter,
        key: str,
        value: Any,
        log: logging.LoggerAdapter[Any] | logging.Logger,
    ) -> None:
        try:
            adapter[key] = value
        except KeyError:
            cls = type(adapter.item)
            if (cls, key) not in self._warned:
                self._warned.add((cls, key))
                log.warning(
                    "dedup: %s declares no field %r, so it is not stored; declare it "
                    "(in a scrapy.Item: %s = scrapy.Field()) or change the DEDUP_ setting",
                    cls.__name__,
                    key,
                    key,
                )
            self._inc("dedup/undeclared_field")

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)

    def _logger(self, spider: Spider | None) -> logging.LoggerAdapter[Any] | logging.Logger:
        spider = spider or (self.crawler.spider if self.crawler else None)
        return spider.logger if spider is not None else logger


def read_settings(settings: BaseSettings) -> tuple[Config, list[Target]]:
    """The cleaner's ``Config`` and the fields to clean, from ``DEDUP_*`` settings; a
    ConfigError naming the setting when one is wrong."""
    options = {f.name: type(f.default) for f in fields(Config)}
    known = {PREFIX + name for name in _OWN} | {PREFIX + name.upper() for name in options}
    for key in settings:
        if isinstance(key, str) and key.startswith(PREFIX) and key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise ConfigError(f"{key}: no such dedup setting{hint}")
    values: dict[str, Any] = {}
    for name, kind in options.items():
        key = PREFIX + name.upper()
        if settings.get(key) is None:
            continue
        values[name] = _setting(settings, key, kind)
        try:
            Config(**{name: values[name]})
        except ConfigError as exc:
            raise ConfigError(f"{key}: {exc}") from None
    html_fields = _names(settings, PREFIX + "HTML_FIELDS", [])
    text_default = [] if html_fields else ["text"]
    text_fields = _names(settings, PREFIX + "FIELDS", text_default)
    output = settings.get(PREFIX + "OUTPUT_FIELD") or None
    # Set to None or "": no removals stored. Unset: "dedup", as the command line writes.
    removals_key = PREFIX + "REMOVALS_KEY"
    several = len(text_fields) + len(html_fields) > 1
    removals = (
        (settings[removals_key] or None)
        if removals_key in settings
        else "dedup_{field}"
        if several
        else "dedup"
    )
    for name, value in ((PREFIX + "OUTPUT_FIELD", output), (removals_key, removals)):
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{name} must be a field name, got {value!r}")
    return Config(**values), plan_targets(text_fields, html_fields, output, removals)


def plan_targets(
    text_fields: list[str], html_fields: list[str], output: str | None, removals: str | None
) -> list[Target]:
    """Each field with the names it writes; a ConfigError when two writes would meet."""
    both = set(text_fields) & set(html_fields)
    if both:
        raise ConfigError(f"DEDUP_FIELDS and DEDUP_HTML_FIELDS both name {', '.join(sorted(both))}")
    sources = [*text_fields, *html_fields]
    if not sources:
        raise ConfigError("DEDUP_FIELDS and DEDUP_HTML_FIELDS name no field to clean")
    for key, template in (("DEDUP_OUTPUT_FIELD", output), ("DEDUP_REMOVALS_KEY", removals)):
        if template is not None and len(sources) > 1 and "{field}" not in template:
            raise ConfigError(
                f"{key} is {template!r} for {len(sources)} fields ({', '.join(sources)}): "
                f"put {{field}} in it (e.g. '{{field}}_clean') so that each has its own"
            )
    targets = [
        Target(
            field,
            field in html_fields,
            output.replace("{field}", field) if output else field,
            removals.replace("{field}", field) if removals else None,
        )
        for field in sources
    ]
    outputs = [t.output for t in targets]
    for t in targets:
        if t.output != t.field and (t.output in sources or outputs.count(t.output) > 1):
            raise ConfigError(
                f"DEDUP_OUTPUT_FIELD: {t.output!r} would be written twice (it is a field "
                f"cleaned, or two fields' output)"
            )
        if t.removals is not None and (
            t.removals in sources
            or t.removals in outputs
            or [u.removals for u in targets].count(t.removals) > 1
        ):
            raise ConfigError(
                f"DEDUP_REMOVALS_KEY: {t.removals!r} is also a field cleaned or written"
            )
    return targets


def _setting(settings: BaseSettings, key: str, kind: type) -> Any:
    """A setting read with Scrapy's getter for its option's type."""
    raw = settings.get(key)
    try:
        if kind is bool:
            return settings.getbool(key)
        if isinstance(raw, bool) or (
            kind is int and isinstance(raw, float) and not raw.is_integer()
        ):
            raise ValueError(raw)
        return settings.getint(key) if kind is int else settings.getfloat(key)
    except (TypeError, ValueError):
        raise ConfigError(f"{key} must be {_KIND_NAMES[kind]}, got {raw!r}") from None


def _names(settings: BaseSettings, key: str, default: list[str]) -> list[str]:
    if settings.get(key) is None:
        return default
    names = settings.getlist(key)
    if not all(isinstance(n, str) and n.strip() for n in names):
        raise ConfigError(f"{key} must be a list of field names, got {settings.get(key)!r}")
    return [n.strip() for n in names]


def _item_name(adapter: ItemAdapter) -> str:
    url = adapter.get("url")
    return url if isinstance(url, str) and url else type(adapter.item).__name__


def _blocks(n: int) -> str:
    return f"{n} block{'s' if n != 1 else ''}"


def _counts(counts: Counter[str]) -> str:
    return ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items()))
