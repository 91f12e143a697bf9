"""Titles opening people's names are dropped alike by the batch and the one-query path; other names keep them."""

from __future__ import annotations

import polars as pl
import pytest

from screening.names import DEFAULT_THRESHOLD, build_index, match_index, normalize_names, titles
from screening.names.single.forms import kind_of, query_form
from screening.names.single.serve import match_one
from screening.network.keys import name_keys
from tests.names.conftest import by_scorer, scoring

# raw name, its core once titles are dropped
CORES = [
    ("Ayatollah Ali Khamenei", "ALI KHAMENEI"),
    ("Hujjat al-Islam Ali Reza", "ALI REZA"),  # a title of three words
    ("Dr. Prof. Ana Lima", "ANA LIMA"),  # a run of titles
    ("Mr. John Smith", "JOHN SMITH"),
    ("Presidente Ana Lima", "ANA LIMA"),
    ("Präsident Karl Huber", "KARL HUBER"),
    ("آية الله علي خامنئي", "LY KHMNIY"),  # Arabic-script titles go before transliteration
    ("حجة الاسلام علي رضا", "LY RD"),
    ("الدكتور أيمن الظواهري", "YMN AL DHWHRY"),
    ("الرئيس بشار الأسد", "BSHR AL SD"),
    ("SMITH, John Mr", "SMITH JOHN MR"),  # a title inside or closing a name stays
    ("Sheikh Ahmed Yassin", "SHEIKH AHMED YASSIN"),  # lists write Sheikh, Haji, Sayyid, Mullah in names
    ("الشيخ أحمد ياسين", "AL SHYKH HMD YSYN"),
    ("Haji Fiazullah", "HAJI FIAZULLAH"),
    ("AL-SHEIKH, Abdulaziz", "AL SHEIKH ABDULAZIZ"),
    ("President", "PRESIDENT"),  # a name of titles alone keeps them
    ("الرئيس", "AL RIYS"),
    ("عمر حسن", "MR HSN"),  # an Arabic name's folded spelling can be a Latin title (عمر: OMAR)
]


@pytest.mark.parametrize(("raw", "core"), CORES)
def test_titles_leave_a_persons_core(raw: str, core: str) -> None:
    batch = normalize_names(pl.Series([raw]), pl.Series([titles.PERSON]))["core"].to_list()
    plain = query_form(raw, kind=titles.PERSON)
    assert plain is not None
    assert (batch, plain["core"]) == ([core], core)


# raw name of no type (maybe a company's), its core: Arabic-script titles go by the rule of Latin ones
UNTYPED_CORES = [
    ("الدكتور أيمن الظواهري", "YMN AL DHWHRY"),  # two words remain, no legal form: the title goes
    ("Dr Ayman Zawahiri", "AYMAN ZAWAHIRI"),
    ("الدكتور حسن", "AL DKTWR HSN"),  # one word would remain: kept
    ("Dr Hassan", "DR HASSAN"),
    ("الرئيس للفنادق LLC", "AL RIYS LLFNDQ"),  # a legal form: a company's name keeps its title
    ("President Hotels LLC", "PRESIDENT HOTELS"),
]


@pytest.mark.parametrize(("raw", "core"), UNTYPED_CORES)
def test_titles_leave_an_untyped_name_by_one_rule_in_every_script(raw: str, core: str) -> None:
    batch = normalize_names(pl.Series([raw]), pl.Series([titles.UNTYPED]))["core"].to_list()
    plain = query_form(raw, kind=titles.UNTYPED)
    assert plain is not None
    assert (batch, plain["core"]) == ([core], core)


# raw name of a company or of an unknown party: its core keeps every word
KEPT = [
    ("PRESIDENT HOTEL LLC", "PRESIDENT HOTEL"),
    ("President Hotel", "PRESIDENT HOTEL"),
    ("Dr. Oetker GmbH", "DR OETKER"),
    ("Mr. Price Group Ltd", "MR PRICE GROUP"),
    ("Professor Shipping Co", "PROFESSOR SHIPPING"),
    ("Ayatollah Boroujerdi Hospital", "AYATOLLAH BOROUJERDI HOSPITAL"),
    ("Mr. John Smith", "MR JOHN SMITH"),  # a party of unknown type keeps a title too
    ("الرئيس للتجارة", "AL RIYS LLTJRH"),  # and in the Arabic script
]


@pytest.mark.parametrize(("raw", "core"), KEPT)
def test_other_names_keep_their_titles(raw: str, core: str) -> None:
    batch = normalize_names(pl.Series([raw, "Mr. Someone Else"]), pl.Series([titles.OTHER, titles.PERSON]))
    plain = query_form(raw)
    assert plain is not None
    assert (batch["core"][0], plain["core"]) == (core, core)


# raw name, its row's kind, its core: a name of no type loses titles only where two words remain, and a
# Person's name loses no word as a legal form (B M: בע"מ, Ltd); one of no type may be a company's (S.A.)
KINDS = [
    ("PRESIDENT HOTEL", titles.UNTYPED, "PRESIDENT HOTEL"),
    ("Dr Ahmad Hassan", titles.UNTYPED, "AHMAD HASSAN"),
    ("DR KHAMIS", titles.UNTYPED, "DR KHAMIS"),
    ("DR KHAMIS", titles.PERSON, "KHAMIS"),
    ("Presidente Putin", titles.PERSON, "PUTIN"),
    ("SMITH, John B M", titles.PERSON, "SMITH JOHN B M"),
    ("SMITH, John B M", titles.UNTYPED, "SMITH JOHN"),
    ("SMITH, John B M", titles.OTHER, "SMITH JOHN"),
    ("B M SMITH JOHN", titles.PERSON, "B M SMITH JOHN"),
    ("John Smith LLC", titles.PERSON, "JOHN SMITH LLC"),
    ("John Smith LLC", titles.UNTYPED, "JOHN SMITH"),
    ("ACME S.A.", titles.UNTYPED, "ACME"),
    ("ACME S.A.", titles.OTHER, "ACME"),
    ("Dr. John Smith B.M.", titles.PERSON, "JOHN SMITH B M"),
    ("Dr. John Smith Ltd", titles.UNTYPED, "DR JOHN SMITH"),
]


@pytest.mark.parametrize(("raw", "kind", "core"), KINDS)
def test_cores_by_kind(raw: str, kind: str, core: str) -> None:
    batch = normalize_names(pl.Series([raw]), pl.Series([kind]))["core"].to_list()
    plain = query_form(raw, kind=kind)
    assert plain is not None
    assert (batch, plain["core"]) == ([core], core)


def test_one_name_of_two_kinds_in_a_batch() -> None:
    norm = normalize_names(pl.Series(["Dr. Ahmad Hassan B M"] * 3), pl.Series([titles.PERSON, titles.OTHER, None]))
    assert norm.select("kind", "core").rows() == [
        ("person", "AHMAD HASSAN B M"),
        ("other", "DR AHMAD HASSAN"),
    ]


# query and its type, listed name and its type, whether they match at the default threshold
MATCHES = [
    ("آية الله علي خامنئي", "Person", "KHAMENEI, Ali", "Person", True),
    ("Ayatollah Ali Khamenei", "person ", "KHAMENEI, Ali", "Person", True),  # types read as the qualifiers read them
    ("Mr. Viktor Bout", "Person", "BOUT, Viktor Anatolyevich", "Person", True),
    ("Mr. Viktor Bout", None, "BOUT, Viktor Anatolyevich", "Person", True),  # an untyped query may be a person
    ("Ayatollah Ali Khamenei", None, "AYATOLLAH ALI KHAMENEI", "Person", True),  # the same rule on both sides
    ("DR IBRAHIM", None, "DR IBRAHIM", None, True),
    ("DR IBRAHIM", "Person", "DR IBRAHIM", "Person", True),
    # an untyped name keeps a title one word follows (it may be a company's: PRESIDENT HOTEL), a Person's loses it
    ("DR IBRAHIM", None, "DR IBRAHIM", "Person", False),
    ("Ayatollah Ali Khamenei", "Person", "AYATOLLAH ALI KHAMENEI", None, True),  # an untyped list entry too
    ("President Bout", "Person", "BOUT, Viktor Anatolyevich", "Person", False),  # a surname alone is not the person
    ("عمر حسن", "Person", "Omar HASSAN", "Person", True),
    ("Hotel", None, "PRESIDENT HOTEL LLC", "Organization", False),  # a company's name keeps its first word
    ("Hotel", "Organization", "PRESIDENT HOTEL LLC", "Organization", False),
    ("Hotel", "Person", "PRESIDENT HOTEL LLC", "Organization", False),
    ("President Hotel", "Person", "HOTEL LLC", "Organization", False),
    ("President Hotel", "Organization", "PRESIDENT HOTEL LLC", "Organization", True),
    ("Doctor Hotel", "Organization", "PRESIDENT HOTEL LLC", "Organization", False),
    ("President Hotel LLC", None, "PRESIDENT HOTEL LLC", "Organization", True),  # a legal form: a company's name
    ("Hotel", None, "PRESIDENT HOTEL", "Organization", False),  # a typed list company keeps its title
    ("Hotel", None, "PRESIDENT HOTEL", None, False),  # and an untyped one, one word after it
    ("President Hotel", None, "PRESIDENT HOTEL", "Organization", True),
    ("JOHN B M SMITH", "Person", "SMITH, John B M", "Person", True),
    # a LegalEntity (a scanned party: a person or a company) reads as untyped
    ("Dr Ahmad Hassan", "LegalEntity", "HASSAN, Ahmad", "Person", True),
    ("Prof Ali Reza", "LegalEntity", "ALI REZA", "Person", True),
    ("Dr Ahmad Hassan", "Organization", "HASSAN, Ahmad", "Person", False),
    ("President Hotel", "LegalEntity", "HOTEL", "Organization", False),  # one word after the title: kept
    ("President Hotel", "LegalEntity", "PRESIDENT HOTEL", "Organization", True),
    ("Dr Saleh Trading LLC", "LegalEntity", "DR SALEH TRADING LLC", "Organization", True),
    ("الدكتور حسن", "LegalEntity", "HASSAN", "Organization", False),  # one word after the title: kept
    ("JOHN B M SMITH", "Person", "SMITH, John", "Person", False),  # B M are his initials, not a legal form
    # a list entry of no type (BIS, CSL: Unknown) may be a person's: it loses a title two words follow
    ("Julio Cesar Vega", "Person", "MR. JULIO CESAR VEGA", "Unknown", True),
    ("President Hotel", None, "PRESIDENT HOTEL", "Unknown", True),
    ("Hotel", None, "PRESIDENT HOTEL", "Unknown", False),  # one word after the title: kept
]


# the table's cases the shipped model gets wrong today (its score, the hand scorer's): strict xfails until a refit
MODEL_LOSES = {
    "DR IBRAHIM-None-DR IBRAHIM-Person-False": "0.802 over its 0.63 (hand 0.857)",
}


@pytest.mark.parametrize(
    ("query", "qtype", "listed", "ltype", "matched", "scorer"), by_scorer(MATCHES, lost=MODEL_LOSES)
)
def test_match(query: str, qtype: str | None, listed: str, ltype: str, matched: bool, scorer: str) -> None:
    index = build_index(pl.DataFrame({"entity_id": ["e"], "name": [listed], "entity_schema": [ltype]}))
    row: dict[str, str | None] = {"id": "q", "name": query, "schema": qtype, "country": None}
    row |= {"birth_date": None, "identifier": None}
    model, threshold = scoring(scorer, matched)
    batch = match_index(pl.DataFrame([row], schema=dict.fromkeys(row, pl.String())), index, threshold, 1, model)
    plain = match_one(row, index, threshold, 1, model)
    assert plain is not None
    assert (batch.height == 1, plain.height == 1) == (matched, matched), batch["detail"].to_list()


@pytest.mark.parametrize(
    ("schema", "kind"),
    [
        ("Person", titles.PERSON),
        (" person ", titles.PERSON),
        ("PERSON", titles.PERSON),
        ("Individual", titles.PERSON),  # the UK's and OFAC's word for a person, as their readers and ingest read it
        ("Organization", titles.OTHER),
        ("Vessel", titles.OTHER),
        ("", titles.UNTYPED),  # no type: maybe a person, on both sides alike
        (None, titles.UNTYPED),
        ("LegalEntity", titles.UNTYPED),  # a person or a company: how the scan screens a party
        ("legalentity ", titles.UNTYPED),
        ("Unknown", titles.UNTYPED),  # the list readers' no type (BIS, CSL): a person or a company
    ],
)
def test_kinds_read_types_as_the_batch(schema: str | None, kind: str) -> None:
    frame = pl.DataFrame({"name": ["x"], "schema": [schema]}, schema={"name": pl.String(), "schema": pl.String()})
    batch = frame.select(titles.kind("schema")).item()
    assert (kind_of(schema), batch) == (kind, kind)


@pytest.mark.parametrize(
    ("schema", "organisation"),
    [
        ("Organization", True),
        (" company ", True),
        ("PublicBody", True),
        ("Vessel", False),
        ("Aircraft", False),
        ("Unknown", False),  # an untyped entity of a list (BIS, CSL): people's names too
        ("LegalEntity", False),
        ("Person", False),
        (None, False),
    ],
)
def test_organisation_types(schema: str | None, organisation: bool) -> None:
    frame = pl.DataFrame({"schema": [schema]}, schema={"schema": pl.String()})
    assert frame.select(titles.organisation("schema")).item() is organisation


# a batch of one name typed Person in one row and Organization in another: each row's form follows its type
def test_batch_rows_of_one_name_follow_their_types() -> None:
    listed = pl.DataFrame({"entity_id": ["hotel"], "name": ["PRESIDENT HOTEL"], "entity_schema": ["Organization"]})
    rows = {"id": ["p", "o"], "name": ["President Hotel"] * 2, "schema": ["Person", "Organization"]}
    queries = pl.DataFrame(rows | {"country": [None] * 2, "birth_date": [None] * 2, "identifier": [None] * 2})
    index = build_index(listed)
    batch = match_index(queries, index, DEFAULT_THRESHOLD, 1)
    one = [match_one(row, index, DEFAULT_THRESHOLD, 1) for row in queries.iter_rows(named=True)]
    assert batch["query_id"].to_list() == ["o"]
    assert [frame.height if frame is not None else None for frame in one] == [0, 1]


# names of network parties (their type unknown): whether they share a node key
KEYS = [
    ("PRESIDENT HOTEL LLC", "HOTEL LLC", False),
    ("Dr. Oetker GmbH", "Oetker GmbH", False),
    ("Mr John Smith", "John Smith", False),
    ("ООО Ромашка", "ROMASHKA LLC", True),  # legal forms still go
]


@pytest.mark.parametrize(("one", "other", "shared"), KEYS)
def test_network_keys_keep_titles(one: str, other: str, shared: bool) -> None:
    keys = name_keys(pl.Series([one, other]))["key"].to_list()
    assert (keys[0] == keys[1]) == shared, keys
