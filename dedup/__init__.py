"""dedup: remove duplicate paragraphs and caption echoes from scraped articles."""

from .api import Cleaner, Result, clean
from .config import Config
from .errors import ConfigError, DedupError, InputError
from .model import Block, Kind, Reason, Removal
from .run.files import check_file, fix_file

__all__ = [
    "Block",
    "Cleaner",
    "Config",
    "ConfigError",
    "DedupError",
    "InputError",
    "Kind",
    "Reason",
    "Removal",
    "Result",
    "check_file",
    "clean",
    "fix_file",
]
__version__ = "0.1.0"
