"""dedup: remove duplicate paragraphs and caption echoes from scraped articles."""

from .api import Cleaner, Result, clean
from .blocks import Block, Kind
from .cluster import Removal
from .config import Config
from .errors import ConfigError, DedupError, InputError

__all__ = [
    "Block", "Cleaner", "Config", "ConfigError", "DedupError", "InputError", "Kind",
    "Removal", "Result", "clean",
]
__version__ = "0.1.0"
