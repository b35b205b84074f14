"""The engine behind ``rules/``: YAML with line marks, schemas, rule kinds, named transforms."""
from cleaner.rulebook.loader import RuleSet, load_rules

__all__ = ["RuleSet", "load_rules"]
