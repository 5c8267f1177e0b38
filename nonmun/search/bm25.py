"""An in-memory BM25 index over documents given as lists of terms, for "more like
this" over many documents at once (related papers for a whole site).

The database's full-text engine answers one query well; a site build asks
thousands (a query per reviewed paper), and FTS5 scores every match of an OR
query, so each costs tens of milliseconds on a 10,000-review hub. Here the
documents are read once into arrays (numpy): a query is the postings of its
dozen terms added up, tens of microseconds. Scores follow BM25 (k1 1.2, b 0.75,
idf ``log(1 + (N - n + 0.5) / (n + 0.5))``), title terms counting
``TITLE_WEIGHT`` times, as the search index weighs them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

import numpy as np
from numpy.typing import NDArray

from nonmun.search.index import COMMON_SHARE
from nonmun.search.query import FEW_DOCS, TITLE_WEIGHT

K1, B = 1.2, 0.75
CHUNK = 2000  # documents split at a time (their words are let go after)
TELLING = 12  # the terms of a query made from a document ("more like this")


class Vocabulary:
    """Term ↔ number, shared by the collections of one build."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.terms: list[str] = []

    def numbers(self, words: list[str]) -> NDArray[np.int64]:
        """The numbers of ``words``, new words numbered as they come."""
        ids, terms = self.ids, self.terms
        for word in dict.fromkeys(words):
            if word not in ids:
                ids[word] = len(terms)
                terms.append(word)
        return np.fromiter(map(ids.__getitem__, words), dtype=np.int64, count=len(words))

    def telling_shape(self) -> NDArray[np.bool_]:
        """Which terms may tell a text apart by their shape: longer than three letters,
        or two letters and more in a script other than Latin (as ``related._telling``)."""
        return np.array(
            [len(t) > 3 or (len(t) > 1 and not t.isascii()) for t in self.terms], dtype=bool
        )


class Collection:
    """Documents (title terms, body terms) under keys, indexed for BM25 queries."""

    def __init__(self, vocabulary: Vocabulary, docs: Iterable[tuple[int, str, str]]) -> None:
        """Index ``docs``: (key, title terms, body terms), terms as one space-separated text."""
        self.vocabulary = vocabulary
        self.keys: list[int] = []
        numbers, counts = [], []  # counts: title then body terms, document by document
        rows = iter(docs)
        while chunk := list(islice(rows, CHUNK)):
            words: list[str] = []
            for key, title, body in chunk:
                self.keys.append(key)
                for text in (title, body):
                    terms = text.split()
                    words += terms
                    counts.append(len(terms))
            numbers.append(vocabulary.numbers(words))
        self.index_of = {key: i for i, key in enumerate(self.keys)}
        sizes = np.array(counts, dtype=np.int64)
        weights = np.repeat(np.tile([TITLE_WEIGHT, 1.0], len(self.keys)), sizes)
        lengths = sizes[0::2] + sizes[1::2]
        self._pairs(np.concatenate([np.zeros(0, dtype=np.int64), *numbers]), weights, lengths)

    def _pairs(self, numbers: NDArray[np.int64], weights: NDArray[np.float64],
               lengths: NDArray[np.int64]) -> None:  # fmt: skip
        """(document, term) pairs with their weighted counts, by document and by term."""
        n, size = len(self.keys), len(self.vocabulary.terms) + 1
        doc_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
        pairs, inverse = np.unique(doc_of * size + numbers, return_inverse=True)
        tf = np.bincount(inverse, weights=weights)
        pair_doc, pair_term = pairs // size, pairs % size
        self.df = np.bincount(pair_term, minlength=size)
        length = np.bincount(doc_of, weights=weights, minlength=n)
        norm = K1 * (1 - B + B * length / (length.mean() if n else 1.0))
        idf = np.log1p((n - self.df + 0.5) / (self.df + 0.5))
        score = idf[pair_term] * tf * (K1 + 1) / (tf + norm[pair_doc])
        self.doc_start = np.searchsorted(pair_doc, np.arange(n + 1))
        self.doc_terms, self.doc_tf = pair_term, tf
        order = np.argsort(pair_term, kind="stable")
        self.term_start = np.concatenate([[0], np.cumsum(self.df)])
        self.term_docs, self.term_score = pair_doc[order], score[order]

    def terms_of(self, keys: Sequence[int]) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """The terms of the documents under ``keys`` taken together, with their counts."""
        spans = [self.index_of[k] for k in keys if k in self.index_of]
        if not spans:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        rows = [slice(self.doc_start[i], self.doc_start[i + 1]) for i in spans]
        terms = np.concatenate([self.doc_terms[row] for row in rows])
        tf = np.concatenate([self.doc_tf[row] for row in rows])
        if len(spans) == 1:
            return terms, tf
        unique, inverse = np.unique(terms, return_inverse=True)
        return unique, np.asarray(np.bincount(inverse, weights=tf), dtype=np.float64)

    def telling(self, terms: NDArray[np.int64], tf: NDArray[np.float64],
                shape: NDArray[np.bool_]) -> NDArray[np.int64]:  # fmt: skip
        """The ``TELLING`` terms that best tell a text apart (tf-idf, like Lucene's
        more-like-this): frequent in it, rare here; not in more than ``COMMON_SHARE`` of
        the documents of a big collection (as ``related._telling``), and in one other
        at least."""
        n = len(self.keys)
        df = self.df[terms]
        keep = shape[terms] & (df <= (COMMON_SHARE * n if n > FEW_DOCS else n)) & (df >= 2)
        terms, tf, df = terms[keep], tf[keep], df[keep]
        weight = tf * np.log((n + 1) / (df + 1))
        return terms[np.lexsort((terms, -weight))][:TELLING]

    def search(self, terms: NDArray[np.int64], limit: int) -> list[tuple[int, float, int]]:
        """The keys of the ``limit`` best documents for the terms (any of them), best
        first, with their BM25 scores and which terms they hold (bit i: ``terms[i]``)."""
        if not len(terms):
            return []
        spans = [slice(self.term_start[t], self.term_start[t + 1]) for t in terms]
        docs = np.concatenate([self.term_docs[s] for s in spans])
        scores = np.concatenate([self.term_score[s] for s in spans])
        bits = np.repeat(1 << np.arange(len(terms)), [s.stop - s.start for s in spans])
        unique, inverse = np.unique(docs, return_inverse=True)
        total = np.bincount(inverse, weights=scores)
        held = np.bincount(inverse, weights=bits)  # each term once a document: a sum is an or
        best = np.argpartition(-total, limit)[:limit] if len(total) > limit else inverse[:0]
        best = best if len(total) > limit else np.arange(len(total))
        best = best[np.lexsort((unique[best], -total[best]))]
        return [(self.keys[unique[i]], float(total[i]), int(held[i])) for i in best]
