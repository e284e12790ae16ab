"""A datatrove formatter that removes each document's echoes: ``DedupFormatter``.

datatrove's text-changing steps are formatters (``PIIFormatter``, ``FTFYFormatter``); this
one cleans ``Document.text``, or the raw HTML a reader left in ``Document.metadata``, with
one ``dedup.Cleaner``, and records what it removed in the metadata, in the form the command
line writes under ``dedup``. It needs ``pip install 'dedup[datatrove]'``; importing
``dedup`` never imports it.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, Literal

# datatrove ships no type information (no py.typed): mypy sees these as Any (the
# ignore_missing_imports override in pyproject.toml), so the subclass needs no ignore.
from datatrove.data import Document
from datatrove.pipeline.formatters.base import BaseFormatter
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.logging import logger
from datatrove.utils.typeshelper import StatHints

from ..api import Cleaner, Result
from ..config import Config
from ..errors import ConfigError, InputError
from ..model import Removal

__all__ = ["DedupFormatter"]

_FORMATS = ("html", "text", "markdown")
_ON_ERROR = ("raise", "pass", "skip")
# Documents that cannot be cleaned are each logged up to this many times a task, then
# only counted (the "errors" stat), as the command line says a repeated error three times.
_LOGGED_ERRORS = 3


class DedupFormatter(BaseFormatter):
    """Removes duplicate paragraphs and caption echoes from each document.

    Args:
        config: a ``dedup.Config`` to start from; ``options`` (``min_chars=30``,
            ``include_alt=True``... every ``Config`` field) change single settings.
        html_key: clean the raw HTML held in ``Document.metadata[html_key]`` and write the
            cleaned text to ``Document.text`` (the HTML stays in the metadata as it was).
            None (the default): clean ``Document.text`` itself.
        format: what the cleaned source holds, ``html``, ``text`` or ``markdown``. By
            default ``Document.text`` is read as ``dedup clean --field text`` reads a field
            (HTML when it starts with a tag, else plain text), and ``html_key``'s value is
            HTML.
        output_format: what ``Document.text`` becomes: ``text``, ``markdown`` or ``html``
            (the page with the echo elements cut out). By default text from ``html_key``,
            and ``Document.text`` in its own kind: HTML stays HTML, as on the command line.
        removals_key: the metadata key that receives the list of removals (each
            ``Removal.as_dict()``: index, duplicate_of, similarity, reason, kind, text),
            as the command line writes them under ``dedup``; None: none is added.
        exclusion_writer: a datatrove writer that receives, for each document that lost
            at least one block, one document with the same id whose text is the removed
            blocks joined by blank lines, and whose metadata is the source document's
            (without the raw HTML under ``html_key``) with the removals under
            ``removals_key`` (``dedup`` when that is None).
        on_error: what becomes of a document that cannot be cleaned (no ``html_key`` in
            its metadata, a value that is no text, a document over ``max_bytes`` or
            ``max_blocks``): ``pass`` sends it on unchanged, ``skip`` drops it, both
            counting it under ``errors`` and logging the first three; ``raise`` stops the
            task with the ``dedup.InputError``.

    Stats (``self.stat_update``, in the logging directory's ``stats`` files): ``total``
    documents, ``changed`` (documents that lost at least one block), ``blocks`` and
    ``removed`` (per document), ``removed_<kind>`` (``removed_caption``,
    ``removed_paragraph``...), ``errors``, ``empty`` (a null source: the text becomes "")
    and datatrove's ``doc_len``.

    The step is pickled to each task with its settings only: its ``Cleaner`` is built in
    the task, on the first document.

    The removals are plain JSON data (numbers and strings), which every writer takes;
    ``ParquetWriter`` takes its schema from the first document it writes, and an empty
    list there fits no later list of removals: give it ``schema=``.
    """

    name = "🪞 Dedup echoes"

    def __init__(
        self,
        config: Config | None = None,
        *,
        html_key: str | None = None,
        format: str | None = None,
        output_format: str | None = None,
        removals_key: str | None = "dedup",
        exclusion_writer: DiskWriter | None = None,
        on_error: Literal["raise", "pass", "skip"] = "pass",
        **options: Any,
    ) -> None:
        super().__init__()
        # Checked here, in the process that builds the pipeline, so a wrong setting fails
        # before any task starts.
        self.config = (config or Config()).replace(**options) if options else (config or Config())
        for what, value in (("format", format), ("output_format", output_format)):
            if value is not None and value not in _FORMATS:
                raise ConfigError(f"{what} must be one of {', '.join(_FORMATS)}, got {value!r}")
        if on_error not in _ON_ERROR:
            raise ConfigError(f"on_error must be one of {', '.join(_ON_ERROR)}, got {on_error!r}")
        self.html_key = html_key
        # Not ``self.format``: that is the formatter's method.
        self.input_format = "html" if html_key is not None and format is None else format
        self.output_format = output_format
        self.removals_key = removals_key
        self.exclusion_writer = exclusion_writer
        self.on_error = on_error
        self._cleaner: Cleaner | None = None
        self._errors = 0

    def __getstate__(self) -> dict[str, Any]:
        # datatrove pickles (or deep-copies) the pipeline for each task: the settings go,
        # the Cleaner (and what its parser learnt of a site's class names) is built there.
        state = self.__dict__.copy()
        state["_cleaner"] = None
        return state

    @property
    def cleaner(self) -> Cleaner:
        """This step's Cleaner, built on first use in the process that runs the task."""
        if self._cleaner is None:
            self._cleaner = Cleaner(self.config)
        return self._cleaner

    def clean(self, source: str, name: str = "<document>") -> Result:
        """One source (``Document.text`` or the HTML under ``html_key``) cleaned as this
        step cleans it."""
        # A name with no file extension, so that only the content says the format.
        return self.cleaner.clean(source, format=self.input_format, name=name)

    def written_format(self, result: Result) -> str:
        """The format ``Document.text`` is written in for ``result``."""
        if self.output_format is not None:
            return self.output_format
        return "text" if self.html_key is not None else result.format

    def format(self, text: str) -> str:
        """``text`` cleaned as ``Document.text`` is (``BaseFormatter``'s one-text method;
        ``run`` is what reaches the metadata)."""
        result = self.clean(text)
        return result.output(self.written_format(result))

    def run(
        self, data: Iterable[Document], rank: int = 0, world_size: int = 1
    ) -> Iterator[Document]:
        # BaseFormatter.run hands format() the text alone; the HTML in the metadata and
        # the removals need the whole document.
        writer_context: Any = self.exclusion_writer or contextlib.nullcontext()
        with writer_context as writer:
            for doc in data:
                self.stat_update(StatHints.total)
                failed: InputError | None = None
                with self.track_time():
                    try:
                        removals = self._clean_document(doc)
                    except InputError as exc:
                        # The cleaner's messages say what is wrong; this says where.
                        failed = InputError(f"document {doc.id!r}: {exc}")
                        if self.on_error == "raise":
                            raise failed from exc
                if failed is not None:
                    self._count_error(failed)
                    if self.on_error == "pass":
                        yield doc
                    else:
                        self.stat_update(StatHints.dropped)
                    continue
                if removals and writer is not None:
                    writer.write(self._excluded(doc, removals), rank)
                self.update_doc_stats(doc)
                yield doc

    def _clean_document(self, doc: Document) -> tuple[Removal, ...]:
        """Clean one document in place; its removals (those of the text it now holds)."""
        source = self._source(doc)
        if source is None:
            self.stat_update("empty")
            removals: tuple[Removal, ...] = ()
            doc.text = ""
        else:
            result = self.clean(source, f"<document {doc.id}>")
            written = self.written_format(result)
            removals = result.removals(written)
            doc.text = result.output(written)
            self.stat_update("blocks", value=len(result.blocks))
        self.stat_update("removed", value=len(removals))
        if removals:
            self.stat_update("changed")
            for kind, count in Counter(str(r.kind) for r in removals).items():
                self.stat_update(f"removed_{kind}", value=count)
        if self.removals_key is not None:
            doc.metadata[self.removals_key] = [r.as_dict() for r in removals]
        return removals

    def _source(self, doc: Document) -> str | None:
        """The text to clean: ``Document.text``, or the metadata's ``html_key`` value."""
        if self.html_key is None:
            value = doc.text
        elif self.html_key not in doc.metadata:
            keys = ", ".join(repr(k) for k in list(doc.metadata)[:12]) or "none"
            raise InputError(f"no {self.html_key!r} in its metadata (its keys: {keys})")
        else:
            value = doc.metadata[self.html_key]
        if value is not None and not isinstance(value, str):
            raise InputError(f"{self.html_key or 'text'!r} holds {type(value).__name__}, not text")
        return value

    def _excluded(self, doc: Document, removals: tuple[Removal, ...]) -> Document:
        """What the exclusion writer receives for a document that lost blocks."""
        metadata = {k: v for k, v in doc.metadata.items() if k != self.html_key}
        metadata[self.removals_key or "dedup"] = [r.as_dict() for r in removals]
        return Document(text="\n\n".join(r.text for r in removals), id=doc.id, metadata=metadata)

    def _count_error(self, exc: InputError) -> None:
        self.stat_update("errors")
        self._errors += 1
        if self._errors <= _LOGGED_ERRORS:
            what = "sent on unchanged" if self.on_error == "pass" else "dropped"
            more = "; further errors are only counted" if self._errors == _LOGGED_ERRORS else ""
            logger.warning(f"dedup: {exc} ({what}){more}")
