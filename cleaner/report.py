"""Human-readable reports: the explain listing and the end-of-run summary."""
from __future__ import annotations

from cleaner.document import Document

_MAX = 80


def _short(text: str) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= _MAX else text[:_MAX - 1] + "…"


def explain_lines(doc: Document) -> list[str]:
    """One line per edit and per suggestion: ``source:line: rule: before → after``."""
    lines = []
    for edit in doc.edits:
        if edit.action == "drop":
            lines.append(f"{doc.source}:{edit.line}: {edit.rule}: dropped {_short(edit.before)!r}")
        else:
            lines.append(f"{doc.source}:{edit.line}: {edit.rule}: {_short(edit.before)!r} → {_short(edit.after)!r}")
    for sug in doc.suggestions:
        options = " | ".join(sug.replacements[:3]) or "?"
        lines.append(f"{doc.source}:{sug.line}: {sug.rule}: suggestion {_short(sug.text)!r} → {options!r}: "
                     f"{sug.message}")
    return lines


def summary_line(cleaned: int, unchanged: int, failed: int) -> str:
    """``3 files cleaned, 12 unchanged, 1 failed``."""
    def files(n: int) -> str:
        return f"{n} file{'s' if n != 1 else ''}"
    parts = [f"{files(cleaned)} cleaned", f"{unchanged} unchanged"]
    if failed:
        parts.append(f"{failed} failed")
    return ", ".join(parts)


def unified_diff(before: str, after: str, name: str) -> str:
    """A unified diff between a file and what cleaning would make of it."""
    import difflib

    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
