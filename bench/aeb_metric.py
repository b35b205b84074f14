"""Shingle-overlap score of extracted text against a ground-truth article body.

The measure follows the description published with the article-extraction benchmark
(scrapinghub/article-extraction-benchmark); this is an independent implementation of it.

* Tokens are ``\\w+`` runs (Unicode), case kept.
* A text becomes the **set** of its 4-gram shingles (consecutive token tuples). A text of 1 to 3
  tokens is one shingle of the tokens it has; a text with no token has no shingle. Sets, not
  multisets: a sentence repeated by the extractor costs nothing extra, and a repeated phrase in
  the truth cannot be "half found".
* Per document: TP = |pred ∩ truth|, FP = |pred − truth|, FN = |truth − pred|, each divided by
  TP + FP + FN so that a long article weighs as much as a short one.
* Per document precision = TP / (TP + FP) and recall = TP / (TP + FN), with these cases for
  0 / 0: when both texts are empty the document is perfect (P = R = 1); when only one side is
  empty the document scores P = R = 0 (an empty output earns no precision for saying nothing).
* Precision and recall are the means over documents; F1 is the harmonic mean of those two means.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


def tokens(text: str) -> list[str]:
    """The ``\\w+`` tokens of ``text``."""
    return _TOKEN.findall(text)


def shingles(text: str, size: int = SHINGLE) -> set[tuple[str, ...]]:
    """The set of ``size``-token shingles; a shorter non-empty text is one shingle."""
    toks = tokens(text)
    if not toks:
        return set()
    if len(toks) < size:
        return {tuple(toks)}
    return {tuple(toks[i:i + size]) for i in range(len(toks) - size + 1)}


@dataclass(frozen=True)
class DocScore:
    """One document's normalised counts and its precision and recall."""

    tp: float
    fp: float
    fn: float
    precision: float
    recall: float


def score_document(pred: str, truth: str) -> DocScore:
    """Compare one prediction with its truth."""
    p, t = shingles(pred), shingles(truth)
    if not p and not t:
        return DocScore(1.0, 0.0, 0.0, 1.0, 1.0)
    tp, fp, fn = len(p & t), len(p - t), len(t - p)
    total = tp + fp + fn
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return DocScore(tp, fp, fn, precision, recall)


@dataclass(frozen=True)
class Score:
    """Averaged precision and recall over documents, and their harmonic mean."""

    precision: float
    recall: float
    documents: int

    @property
    def f1(self) -> float:
        """Harmonic mean of the averaged precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(pairs: Iterable[tuple[str, str]]) -> Score:
    """Score (prediction, truth) pairs."""
    docs = [score_document(pred, truth) for pred, truth in pairs]
    if not docs:
        return Score(0.0, 0.0, 0)
    n = len(docs)
    return Score(sum(d.precision for d in docs) / n, sum(d.recall for d in docs) / n, n)
