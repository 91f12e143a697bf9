"""A query naming an organisation by its initials, in both paths."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names import DEFAULT_THRESHOLD, HAND, acronyms, match_index, titles
from screening.names.index import NameIndex, build_index
from screening.names.normalize import normalize_names
from screening.names.single.forms import query_form
from tests.names.conftest import both_paths_in, by_scorer

LISTED = [
    ("irisl", "ISLAMIC REPUBLIC OF IRAN SHIPPING LINES", "Organization"),
    ("irisl", "Islamic Republic of Iran Shipping Lines", "Organization"),  # one entity spelt twice: one key
    ("nioc", "National Iranian Oil Company", "Organization"),
    ("tgg", "TARIQ GIDAR GROUP COMPANY", "Organization"),
    ("tsa", "TEHRAN SHIPPING AGENCY LLC", None),  # untyped, a legal form: an organisation
    ("ibm", "IRAN BANK OF MINES", "Company"),
    ("sal", "SHAHID AHMADI LABORATORIES", "Organization"),
    ("sdb", "SCOTT DOUGLAS BROWNING", "Unknown"),  # no known type and no legal form: maybe a person
    ("oyster", "OYSTER INVESTMENTS LLC", "Organization"),  # OIL: two words and a legal form are no acronym
    ("mhmd", "MIDDLE HOLDING MARINE DEVELOPMENT", "Organization"),
    ("person", "SMITH, Abdul Mohammed Khan", "Person"),  # SAMK: a person's initials are no acronym
    ("vessel", "GOLDEN ROYAL STAR LINE", "Vessel"),  # GRSL
    ("twin1", "DELTA ENERGY EXPORT COMPANY", "Organization"),  # DEEC twice: says nothing
    ("twin2", "DYNAMIC ENERGY EXPORT CORPORATION", "Organization"),
]
# query, its schema, the entity it matches at the default threshold (None: no match)
CASES = [
    ("IRISL", None, "irisl"),  # small words left out
    ("IROISL", None, "irisl"),  # small words kept
    ("I.R.I.S.L.", None, "irisl"),  # single letters
    ("NIOC", None, "nioc"),  # the legal form kept
    ("NIO", None, None),  # one word of three letters: too often a word or a surname
    ("NIOC LTD", "Organization", "nioc"),
    ("TGGC", None, "tgg"),
    ("T.S.A.", None, "tsa"),  # single letters keyed as written, though S.A. reads as a legal form
    ("T S A", None, "tsa"),
    ("T.S.A.", "Person", None),
    ("TSAL", None, "tsa"),  # an untyped entry with a legal form is an organisation
    ("SDB", None, None),
    ("S.D.B.", None, None),  # an entry of unknown type without a legal form may be a person
    ("I.B.M.", None, "ibm"),  # B.M. reads as a legal form (Hebrew Ltd)
    ("I.B.M", "Organization", "ibm"),
    ("S.A.L.", None, "sal"),  # S.A. reads as one
    ("O.I.L.", None, None),  # OYSTER INVESTMENTS LLC: two words and a legal form are no acronym
    ("S.E.A.", None, None),
    ("K.I.M.", None, None),
    ("S.D.B. S.A.", None, None),
    ("OIL", None, None),
    ("MHMD", None, "mhmd"),
    ("محمد", None, None),  # an abjad name's consonants are no initials
    ("NIOC", "Person", None),  # a person's name is no acronym
    ("SAMK", None, None),
    ("GRSL", None, None),
    ("DEEC", None, None),
    ("IR", None, None),  # fewer than three letters
    ("IRISLIRISL", None, None),  # more than eight
    ("IRISL SHIPPING", None, None),  # two words: not an acronym
    ("ISLAMIC REPUBLIC OF IRAN SHIPPING LINES", None, "irisl"),  # the name itself, as before
]


def _index() -> NameIndex:
    """Return the index of the listed names."""
    frame = pl.DataFrame(LISTED, schema=["entity_id", "name", "entity_schema"], orient="row")
    return build_index(frame)


@pytest.mark.parametrize(("query", "schema", "expected", "scorer"), by_scorer(CASES))
def test_acronym_matches_in_both_paths(query: str, schema: str | None, expected: str | None, scorer: str) -> None:
    batch = both_paths_in(_index(), query, schema, scorer=scorer)
    assert batch["entity_id"].to_list() == ([] if expected is None else [expected])


def test_acronym_hit_says_so() -> None:
    index = _index()
    row: dict[str, str | None] = {"id": "q", "name": "IRISL", "schema": None, "country": None, "birth_date": None}
    frame = pl.DataFrame([row], schema=dict.fromkeys(row, pl.String()))
    hits = match_index(frame, index, DEFAULT_THRESHOLD, 5, HAND)  # the hand scorer's detail
    assert hits["detail"].to_list() == ["IRISL ~ ISLAMIC REPUBLIC OF IRAN SHIPPING LINES (0.90): acronym"]


# a name of dotted initials against a listed organisation: whether they match at the default threshold
DOTTED = [
    ("T.S.A.", "T.S.A. LLC", True),  # the letters, and a legal form written in a word
    ("T.S.A. LLC", "T.S.A. LLC", True),
    ("I.B.M.", "I.B.M. LTD", True),
    ("E.K.T. LLC", "T.S.A. LLC", False),  # other letters, though E.K. and S.A. read as legal forms
    ("S.A.L.", "T.S.A.", False),  # no letters of initials are legal-form words
    ("T.S.", "T.S.A.", False),  # nor do some of another's letters make a part of its name
    ("I.B.M.", "IRAN BANK OF MINES", True),  # the acronym key (0.90), as I.R.I.S.L.
]


@pytest.mark.parametrize(("query", "listed", "matched", "scorer"), by_scorer(DOTTED))
def test_dotted_initials_meet_only_their_own_letters(query: str, listed: str, matched: bool, scorer: str) -> None:
    frame = pl.DataFrame({"entity_id": ["e"], "name": [listed], "entity_schema": ["Organization"]})
    batch = both_paths_in(build_index(frame), query, scorer=scorer)
    assert batch["entity_id"].to_list() == (["e"] if matched else [])


# a name of no type, its core and legal forms: lettered forms leaving one letter are initials
INITIAL_CORES = [
    ("T.S.A.", "T S A", []),
    ("T.S.A. LLC", "T S A", ["LLC"]),
    ("LLC T.S.A.", "T S A", ["LLC"]),
    ("E.K.T. LLC", "E K T", ["LLC"]),  # not T, e.K. and LLC
    ("A.B.C. S.A.", "A B C", ["JSC"]),  # letters enough: S.A. is the legal form
    ("C.A.D. S.A.", "C A D", ["JSC"]),  # A.D. S.A. would leave one: the fewest three letters, S.A.
    ("Y.A.S. CO LTD.", "Y A S", ["CO LTD"]),
    ("X LLC", "X", ["LLC"]),
]


@pytest.mark.parametrize(("raw", "core", "legal"), INITIAL_CORES)
def test_initials_keep_their_letters_in_both_paths(raw: str, core: str, legal: list[str]) -> None:
    batch = normalize_names(pl.Series([raw]), pl.Series([titles.UNTYPED])).select("core", "legal").row(0)
    plain = query_form(raw, kind=titles.UNTYPED)
    assert plain is not None
    assert (batch, (plain["core"], plain["legal"])) == ((core, legal), (core, legal))


# a query name and its acronym key (None: no acronym)
KEYS = [
    ("IRISL", "IRISL"),
    ("S.M.G.", "SMG"),
    ("S M", None),
    ("A B C D E F G H", "ABCDEFGH"),
    ("A B C D E F G H I", None),
    ("NIOC LTD", "NIOC"),
    ("T.S.A.", "TSA"),  # single letters a legal form would leave one of: initials
    ("I.B.M.", "IBM"),
    ("S.A.L.", "SAL"),
    ("A.B.C. S.A.", "ABC"),  # the letters a legal form leaves, where they are enough
    ("T.S.", None),
    ("ABCDEFGHI", None),
    ("A1B", None),
    ("ABC", None),  # one word needs four letters
    ("THEM", "THEM"),
    ("TGG GROUP", None),
    ("É.T.A.", "ETA"),
    ("Ирисл", "IRISL"),
    ("محمد", None),
]


@pytest.mark.parametrize(("name", "key"), KEYS)
def test_query_key_in_both_paths(name: str, key: str | None) -> None:
    form = query_form(name)
    assert form is not None
    norm = normalize_names(pl.Series([name])).with_row_index("nid")
    assert acronyms.query_keys(norm)["acronym"].to_list() == ([] if key is None else [key])
    assert acronyms.query_key(form["spelt"], abjad=bool(form["abjad"]), kind=str(form["kind"])) == key  # type: ignore[arg-type]


# a listed name's entity type -> whether its initials find it (the types titles reads: one set for both)
TYPED = [
    ("Organization", True),
    ("Entity", True),
    ("Individual", False),  # a person, as titles.kind reads it, though the name ends in a legal form
    ("Vessel", False),
]


@pytest.mark.parametrize(("schema", "matched", "scorer"), by_scorer(TYPED))
def test_initials_find_only_organisations(schema: str, matched: bool, scorer: str) -> None:
    frame = pl.DataFrame(
        {"entity_id": ["e"], "name": ["ISLAMIC REPUBLIC SHIPPING LINES LLC"], "entity_schema": [schema]}
    )
    batch = both_paths_in(build_index(frame), "IRSL", scorer=scorer)
    assert batch["entity_id"].to_list() == (["e"] if matched else [])
