"""YAML loading that remembers where each value came from, for ``file:line:col`` errors."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cleaner.errors import RuleFileError

Marks = dict[tuple, tuple[int, int]]

#: Appended to a path to get the mark of the mapping key itself rather than of its value.
KEY = "<key>"


def load_yaml(text: str, path: str | Path) -> tuple[Any, Marks]:
    """Parse YAML text; return the data and a map from data path (tuple of keys) to (line, col)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleFileError(path, f"invalid YAML: {problem}", line=line, col=col,
                            hint="fix the YAML syntax at that position") from None
    marks: Marks = {}
    if node is None:
        return None, marks
    constructor = yaml.SafeLoader("")
    return _build(node, (), marks, constructor, path), marks


def _build(node: yaml.Node, here: tuple, marks: Marks, constructor: yaml.SafeLoader, path) -> Any:
    marks[here] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if key in out:
                raise RuleFileError(path, f"duplicate key {key!r}", line=key_node.start_mark.line + 1,
                                    col=key_node.start_mark.column + 1, hint="keep one of them")
            marks[here + (key, KEY)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _build(value_node, here + (key,), marks, constructor, path)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, here + (i,), marks, constructor, path) for i, item in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)


def mark_for(marks: Marks, where: tuple) -> tuple[int | None, int | None]:
    """The mark of ``where``, or of its nearest parent that has one."""
    while where not in marks and where:
        where = where[:-1]
    return marks.get(where, (None, None))
