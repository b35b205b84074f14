"""cleaner: turn scraped articles into clean, republishable text.

>>> import cleaner
>>> cleaner.clean("Title\n\nA paragraph of the article.\n\nShare this article").output
'# Title\n\nA paragraph of the article.\n'
"""
from cleaner.api import Cleaner, Result, clean, clean_file
from cleaner.config import Config
from cleaner.document import Block, BlockKind, Document, Edit
from cleaner.errors import CleanerError, InputError, RuleFileError, UsageError
from cleaner.rulebook import RuleSet, load_rules

__version__ = "0.1.0"

__all__ = ["Block", "BlockKind", "Cleaner", "CleanerError", "Config", "Document", "Edit", "InputError",
           "Result", "RuleFileError", "RuleSet", "UsageError", "clean", "clean_file", "load_rules",
           "__version__"]
