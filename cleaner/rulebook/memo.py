"""Memos of block texts: measurements (word counts, normal forms, the prose test) asked of the
same text by rule after rule and stage after stage, computed once.

Each is a bounded ``functools.lru_cache``; :func:`forget` empties them all, for a caller that
wants later documents measured afresh (a benchmark timing unseen text, say).
"""
from __future__ import annotations

import functools
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)

_MEMOS: list = []


def of_texts(maxsize: int) -> Callable[[F], F]:
    """Decorate a function of a text (and plain options) with a memo of ``maxsize`` entries."""
    def decorate(func: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(func)
        _MEMOS.append(cached)
        return cached  # type: ignore[return-value]
    return decorate


def forget() -> None:
    """Empty every memo of texts."""
    for cached in _MEMOS:
        cached.cache_clear()
