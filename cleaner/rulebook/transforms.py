"""Named transforms: the Python functions a ``substitute`` rule may call by name.

A transform takes the regex match and the rule's ``params`` and returns the replacement for
the whole match, or None to leave it alone. Each is small and has its own unit tests.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

Transform = Callable[[re.Match, Mapping[str, Any]], "str | None"]

TRANSFORMS: dict[str, Transform] = {}


def transform(name: str) -> Callable[[Transform], Transform]:
    """Register a function as the transform ``name``."""
    def register(func: Transform) -> Transform:
        TRANSFORMS[name] = func
        return func
    return register


@transform("lower")
def lower(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """The match in lower case (for shouting fixes and tests of the mechanism)."""
    return match.group(0).lower()


@transform("first-char")
def first_char(match: re.Match, params: Mapping[str, Any]) -> str | None:
    """The first character of the match: a run of repeated punctuation becomes one mark."""
    return match.group(0)[0]
