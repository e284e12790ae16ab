"""dedup: remove duplicate paragraphs and caption echoes from scraped articles."""

from .api import Cleaner, Result, clean
from .config import Config
from .errors import ConfigError, DedupError, InputError
from .model import Block, Kind, Reason, Removal
from .run.files import check_file, fix_file
from .streams import WarcResponse, clean_records, clean_warc, warc_responses

__all__ = [
    "Block",
    "Cleaner",
    "Config",
    "ConfigError",
    "Corpus",
    "DedupError",
    "InputError",
    "Kind",
    "Reason",
    "Removal",
    "Result",
    "WarcResponse",
    "check_file",
    "clean",
    "clean_records",
    "clean_warc",
    "fix_file",
    "warc_responses",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # Corpus mode is imported when first named: cleaning one document never needs it.
    if name == "Corpus":
        from .corpus import Corpus

        return Corpus
    raise AttributeError(f"module 'dedup' has no attribute {name!r}")
