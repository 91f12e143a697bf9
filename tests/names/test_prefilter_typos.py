"""The query facts' misspelt-form words are found on the edge words alone, as word by word over every name."""

from __future__ import annotations

import numpy as np
import polars as pl

from screening.names import normalize_names
from screening.names.marks import form_marks
from screening.names.match import CORE, query_forms
from screening.names.prefilter import Facts, _typo_words
from screening.names.titles import OTHER, PERSON

# a query name, its kind, whether an edge word of it may be read as a legal form misspelt
NAMES = [
    ("KALA LIMTIDE", OTHER, True),
    ("HEMMAT PETROCHEMICAL COPMNY", OTHER, True),
    ("COPMNY HEMMAT TRADING", OTHER, True),  # the first word
    ("HEMMAT COPMNY TRADING", OTHER, False),  # a middle word is never read
    ("KALA LIMTIDE JSC", OTHER, False),  # its own form, of another class
    ("FFRIENDS TRAVEL INN PRIVAITE LIMITED", OTHER, True),
    ("Ivan Limtide", PERSON, False),  # a person's name holds none
    ("LIMTIDE", OTHER, True),  # one word, first and last
    ("ACME COMPASS", OTHER, False),  # a word, not a typo
    ("ACME TRADING LLC", OTHER, False),
]


def _facts() -> tuple[pl.DataFrame, Facts, dict[str, int]]:
    """Return the marked query cores of ``NAMES``, their query facts and each name's core id."""
    names = pl.Series([n for n, _, _ in NAMES])
    kinds = pl.Series([k for _, k, _ in NAMES])
    qnorm, cores = query_forms(normalize_names(names, kinds))
    nids = qnorm.join(cores, on=list(CORE))
    q = form_marks(cores, "nid")
    return q, Facts.of(q, "nid", query=True), dict(zip(nids["raw"], nids["nid"], strict=True))


def test_edge_words_give_the_typos_word_by_word_does() -> None:
    """The edge-word pass gives the same ``typos`` and ``typo_bare`` as the word-by-word pass over every name."""
    q, facts, nid = _facts()
    read = pl.col("form_typos_read")
    slow = _typo_words(q, "nid", read)
    want = np.zeros(facts.typos.size, dtype=np.int64)
    want[slow["nid"].to_numpy()] = slow["b"].fill_null(0).to_numpy()
    assert np.array_equal(facts.typos, want)
    got = facts.frame.sort("nid")["typo_bare"].to_list()
    assert got == slow.sort("nid")["typo_bare"].to_list()
    assert [bool(facts.typos[nid[n]]) for n, _, _ in NAMES] == [t for _, _, t in NAMES]
