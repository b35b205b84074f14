"""What the grammar bench scripts share: their preconditions and how they build articles."""
from __future__ import annotations

import sys
from pathlib import Path

from cleaner.languagetool import find_languagetool


def languagetool_home(folders: list[Path], data: Path) -> Path | None:
    """The provisioned LanguageTool, or None after saying what is missing (bench data or the jars)."""
    if not all(folder.is_dir() for folder in folders):
        print(f"bench data not found under {data}: this benchmark needs ../shared/bench-data", file=sys.stderr)
        return None
    home = find_languagetool()
    if home is None:
        print("LanguageTool is not provisioned: run 'make setup' first", file=sys.stderr)
    return home


def pack_articles(paragraphs: list[str], words: int = 600, count: int | None = None) -> list[str]:
    """Articles of about ``words`` words made of ``paragraphs`` in order, under a headline;
    at most ``count`` of them."""
    docs, current, n = [], [], 0
    for para in paragraphs:
        current.append(para)
        n += len(para.split())
        if n >= words:
            docs.append("Headline of the story\n\n" + "\n\n".join(current) + "\n")
            current, n = [], 0
            if len(docs) == count:
                break
    return docs
