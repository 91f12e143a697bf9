"""The normal form of one name in plain Python: :func:`.normalize.normalize_names` of a batch of one, without polars.

The one-query path (``screening serve``'s /match) normalises a single name per request, where
the batch normaliser's fixed cost of some fifty polars operations is most of the answer's time.
Every step here reuses the batch path's own tables and patterns (the same strings, compiled by
Python's ``re``, whose leftmost-first alternation reads them as polars' regex engine does on the
ASCII text they run on), and the equality with the batch path is held by tests over thousands of
real and generated names (``tests/names/test_single_forms.py``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from screening.names import identifiers, legal_forms, phonetic, script, titles, words
from screening.names.normalize import (
    _FORM_ALT,
    _LEAD,
    _TRAIL,
    INITIALS,
    LETTERED_TRAIL,
    MAX_CHARS,
    WORD_LEAD,
    WORD_TRAIL,
)
from screening.names.numbers import numbers_of, numeral_of, opening_of
from screening.names.single.qualifiers import strip

_SCRIPTS: Final = [(name, re.compile(pattern)) for name, pattern in script.SCRIPTS.items()]
_MIXED: Final = re.compile(script.MIXED_WORD)
_SPACES: Final = re.compile(" +")
_IDS: Final = re.compile(identifiers.ID_PATTERN)
_ID_PREFIX: Final = re.compile(r"^(?:IMO|LEI|BIC|SWIFT|INN|KPP|OGRN|OGRNIP|TIN|TAX ID) ")
_ID_TYPED: Final = re.compile(r"^(IMO|LEI|BIC|SWIFT) ")
_WORDS: Final = re.compile(words._ANY)
_TENS_ORDINALS: Final = [(re.compile(pattern), rf"{digit}_\g<1>") for pattern, digit in words.TENS_ORDINALS]
_NEAR: Final = re.compile(words.NEAR)
_TENS_UNIT: Final = [
    (re.compile(rf"\b([2-9])0 {unit}\b"), rf"\g<1>{digit}") for digit, unit in enumerate(words._UNITS, start=1)
]
_LEAD_RE: Final = re.compile(_LEAD)
_TRAIL_RE: Final = re.compile(_TRAIL)
_WORD_LEAD_RE: Final = re.compile(WORD_LEAD)
_WORD_TRAIL_RE: Final = re.compile(WORD_TRAIL)
_FORMS_RE: Final = re.compile(_FORM_ALT)
_INITIALS_RE: Final = re.compile(INITIALS)
_LETTERED_TRAIL_RE: Final = re.compile(LETTERED_TRAIL)


def _replacer(table: dict[str, str]) -> re.Pattern[str]:
    """Return an alternation of a table's keys in order: leftmost-first, as ``replace_many(leftmost=True)``."""
    return re.compile("|".join(re.escape(key) for key in table))


_SKELETON: Final = [
    (_replacer(table), table) for table in (phonetic._LETTER_BY_LETTER, phonetic._DIGRAPHS, phonetic._DOUBLES)
]


def skeleton(text: str) -> str:
    """Return the skeleton of an upper-case ASCII text, as :func:`.phonetic.skeleton`."""
    for pattern, table in _SKELETON:
        text = pattern.sub(lambda m, t=table: t[m.group(0)], text)  # type: ignore[misc]
    return text


def _script(nfkc: str) -> tuple[str, bool]:
    """Return the script a name is written in and whether a word mixes scripts (look-alikes)."""
    if nfkc.isascii():
        return "ASCII", False
    found = next((name for name, pattern in _SCRIPTS if pattern.search(nfkc)), "Latin")
    return found, _MIXED.search(nfkc) is not None


def _typed(found: str) -> str:
    """Return ``TYPE:VALUE`` for one identifier found in a cleaned name."""
    value = _ID_PREFIX.sub("", found, count=1)
    prefix = _ID_TYPED.match(found)
    kind = ("BIC" if prefix.group(1) == "SWIFT" else prefix.group(1)) if prefix else None
    return f"{kind or identifiers._BY_LENGTH.get(len(value), 'TAX')}:{value}"


def _expand(clean: str, *, near: bool) -> str:
    """Return a cleaned name with number and ordinal words as digits, abbreviations as words (:func:`.words.expand`)."""
    found = _NEAR.findall(clean) if near else []
    table = words.near_ordinals(pl.Series(found, dtype=pl.String)) if found else {}
    if table:
        clean = " ".join(table.get(word, word) for word in clean.split(" "))
    if not _WORDS.search(clean):
        return clean
    for pattern, glued in _TENS_ORDINALS:
        clean = pattern.sub(glued, clean)
    joined = " ".join(words.WORDS.get(word, word) for word in clean.split(" "))
    for pattern, digits in _TENS_UNIT:
        joined = pattern.sub(digits, joined)
    return joined


def _edges(clean: str, kind: str, *, lettered: bool = True) -> tuple[str, str]:
    """Return the runs of legal forms at the start and the end of a cleaned name (none in a Person's name).

    ``lettered=False``: runs of forms written in words only (LLC, not S A).
    """
    if kind == titles.PERSON:
        return "", ""
    lead_re, trail_re = (_LEAD_RE, _TRAIL_RE) if lettered else (_WORD_LEAD_RE, _WORD_TRAIL_RE)
    lead_m, trail_m = lead_re.search(clean), trail_re.search(clean)
    return (lead_m.group(1) if lead_m else ""), (trail_m.group(1) if trail_m else "")


def _cut(clean: str, lead: str, trail: str) -> str:
    """Return the cleaned name between edge runs of legal forms."""
    length = len(clean) - len(lead) - len(trail)
    # edges that overlap (OOO OOO) leave a negative length, which wraps in the batch path's unsigned lengths
    return (clean[len(lead) :] if length < 0 else clean[len(lead) : len(lead) + length]).strip()


def _cleaned(ascii_name: str, *, kind: str, abjad: bool) -> tuple[str, list[str]]:
    """Return the cleaned name (upper case, no punctuation, identifiers out, people's titles out), its identifiers."""
    clean = script.clean(ascii_name)
    ids = [_typed(found) for found in _IDS.findall(clean)]
    if ids:
        clean = _SPACES.sub(" ", _IDS.sub(" ", clean)).strip()
    expanded = clean if abjad else _expand(clean, near=kind != titles.PERSON)
    untitled = kind != titles.OTHER and not abjad and _edges(expanded, kind) == ("", "")
    return titles.drop_one(expanded, untitled=untitled, alone=kind == titles.PERSON), ids


def _legal(clean: str, kind: str) -> tuple[list[str], str, str]:
    """Return the legal-form classes, their label and the core of a cleaned name."""
    lead, trail = _edges(clean, kind)
    core = _cut(clean, lead, trail)
    if len(core.encode()) == 1:  # initials that lettered forms would leave one of (T S A LLC), as normalize's
        words = _edges(clean, kind, lettered=False)
        letters = _cut(clean, *words)
        lettered = _LETTERED_TRAIL_RE.match(letters) if _INITIALS_RE.match(letters) else None
        if lettered:  # the fewest letters the lettered forms closing them leave (C A D S A: C A D)
            core, lead, trail = lettered.group(1), words[0], f"{lettered.group(2)} {words[1]}"
    found = _FORMS_RE.findall(f"{lead} {trail}")
    classes, labels = legal_forms.form_classes(), legal_forms.form_label()
    legal = sorted({cls for f in found for cls in classes[f]})
    label = " ".join(dict.fromkeys(labels[f] for f in found))
    return legal, label, core or clean


@cache
def _form_words() -> tuple[frozenset[str], list[str]]:
    """Return the skeletons of legal-form words, and those of five letters or more."""
    every = legal_forms.form_words()
    return frozenset(every), [w for w in every if len(w) >= 5]


@lru_cache(maxsize=65536)
def is_edge_form_word(token: str) -> bool:
    """Return whether a skeleton token is a legal-form word respelt or misspelt (as ``edge_form_words``)."""
    if token in legal_forms.NOT_EDGE_FORMS:
        return False
    every, long = _form_words()
    if token in every and len(token) >= legal_forms.EDGE_EXACT_MIN:
        return True
    if len(token) < legal_forms.EDGE_FUZZY_MIN or not long:
        return False
    # the same rounding as the batch path's uint8 cdist
    close = process.cdist([token], long, scorer=fuzz.ratio, dtype=np.uint8)
    return bool(close.max() >= legal_forms.EDGE_FUZZY) and not legal_forms.other_word(token)


def _spelt_cut(tokens: list[str]) -> tuple[int, int]:
    """Return how many tokens start and end a token list as a misspelt form (as ``legal_forms.spelt_runs``)."""
    words = legal_forms.misspelt_words()
    if not any(t in words for t in [*tokens[:2], *tokens[-2:]]):
        return 0, 0
    lead = trail = 0
    for k, forms in legal_forms.misspelt_forms().items():
        if len(tokens) <= k:
            break
        for run, at_lead in ((tokens[:k], True), (tokens[-k:], False)):
            # the same rounding as the batch path's uint8 cdist
            if (
                process.cdist([" ".join(run)], forms, scorer=fuzz.ratio, dtype=np.uint8).max()
                >= legal_forms.SPELT_FUZZY
            ):
                lead, trail = (k, trail) if at_lead else (lead, k)
    return lead, trail


def _edge_cut(tokens: list[str]) -> tuple[int, int]:
    """Return how many legal-form words or misspelt forms start and end a token list (not all it holds)."""
    lead, trail = _word_cut(tokens)
    whole = bool(tokens) and all(is_edge_form_word(t) for t in tokens)  # nothing but legal-form words: all stay
    spelt = _spelt_cut(tokens)
    both = max(lead, spelt[0]), max(trail, spelt[1])
    return (lead, trail) if whole or sum(both) >= len(tokens) else both


def _word_cut(tokens: list[str]) -> tuple[int, int]:
    """Return how many legal-form words start and end a token list (none when they are all it holds)."""
    if not tokens or not (is_edge_form_word(tokens[0]) or is_edge_form_word(tokens[-1])):
        return 0, 0
    flags = [is_edge_form_word(t) for t in tokens]
    lead = next((i for i, f in enumerate(flags) if not f), len(flags))
    if lead >= len(tokens):
        return 0, 0
    trail = next(i for i, f in enumerate(reversed(flags)) if not f)
    return lead, trail


def _keys(core: str, kind: str, raw: str) -> dict[str, object]:
    """Return the skeleton, tokens, spelling, heads, sorted and glued forms and numbers of a core (of ``raw``)."""
    skel = skeleton(core)
    tokens = [t for t in skel.split(" ") if t]
    spelt = [t for t in core.split(" ") if t]
    if len(spelt) != len(tokens):
        spelt = tokens
    heads = [skeleton(t[:1]) for t in spelt]
    lead, trail = (0, 0) if kind == titles.PERSON else _edge_cut(tokens)  # a Person's name keeps its words
    if lead or trail:
        end = len(tokens) - trail
        tokens, spelt, heads = tokens[lead:end], spelt[lead:end], heads[lead:end]
    return {
        "skel": skel,
        "tokens": tokens,
        "spelt": spelt,
        "heads": heads,
        "sorted": " ".join(sorted(tokens)),
        "glued": "".join(tokens),
        "spelt_glued": "".join(map(words.spelt_token, tokens, spelt)),  # as :func:`.words.spelt_glued`
        "numbers": numbers_of(core, kind, raw),
        "numeral": numeral_of(core, kind, raw),
        "opening": opening_of(core, kind),
    }


def kind_of(schema: str | None) -> str:
    """Return the kind of a query from its entity type, as :func:`.titles.kind` reads it."""
    typed = "" if schema is None else strip(schema).lower()
    if typed in titles.PERSON_TYPES:
        return titles.PERSON
    return titles.UNTYPED if typed in titles.UNTYPED_TYPES else titles.OTHER


def query_form(name: str, *, kind: str = titles.OTHER) -> dict[str, object] | None:
    """Return the normal form of one name, as ``normalize_names`` gives it (None: left to the batch path).

    The name is of a row of ``kind`` (:func:`kind_of`), as in ``normalize_names``' ``kinds``.

    No name is left to the batch path today: the full sweep (``benchmarks/names/check_single.py``)
    and random strings of every script found no difference.
    """
    nfkc = unicodedata.normalize("NFKC", name[:MAX_CHARS])
    written, lookalike = _script(nfkc)
    ascii_name = nfkc if written == "ASCII" else script.fold(nfkc, kind=kind)
    abjad = written in script.ABJADS
    clean, ids = _cleaned(ascii_name, kind=kind, abjad=abjad)
    legal, label, core = _legal(clean, kind)
    form: dict[str, object] = {
        "raw": name,
        "kind": kind,
        "script": written,
        "lookalike": lookalike,
        "ascii": ascii_name,
        "ids": ids,
        "legal": legal,
        "legal_label": label,
        "core": core,
    }
    return {**form, **_keys(core, kind, name), "abjad": abjad}
