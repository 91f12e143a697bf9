"""Table tests of name normalisation, matching, explanations and bad input."""

from __future__ import annotations

import polars as pl
import pytest

from screening import lists
from screening.errors import InputError
from screening.names import (
    DEFAULT_THRESHOLD,
    NameIndex,
    blocking,
    build_index,
    match_index,
    match_names,
    normalize_names,
)
from screening.names.marks import form_marks
from screening.names.match import OUTPUT_COLUMNS, prefilter_cutoff
from screening.names.prefilter import prefilter
from screening.names.token_sims import bulk_ratio
from tests.names.conftest import by_scorer, scoring

WATCH = pl.DataFrame(
    {
        "entity_id": ["e1", "e2", "e3", "e4", "e5", "e6"],
        "name": [
            "ООО ТЕХНОКОМ",
            "Общество с ограниченной ответственностью «Ромашка»",
            "YATASH RUS OOO",
            "AKSYONOV, Sergey Valeryevich",
            "ALFA BANK AO",
            "SMITH, John",
        ],
    }
)

NORMAL = [
    ("ООО ТЕХНОКОМ", "TEKHNOKOM", ["LLC"]),
    ("TEKHNOKOM OOO", "TEKHNOKOM", ["LLC"]),
    ("ООО ROMАSHKA", "ROMASHKA", ["LLC"]),
    ("Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES", ["CO LTD"]),
    ("Akdeniz Gida San. ve Tic. Ltd. Şti.", "AKDENIZ GIDA", ["CO LTD"]),
    ("Акционерное общество Альфа", "ALFA", ["JSC"]),
    ("Friends Travel Inn Private Ltd", "FRIENDS TRAVEL INN", ["CO LTD"]),  # the Indian form, abbreviated
]


@pytest.mark.parametrize(("raw", "core", "legal"), NORMAL)
def test_normalize(raw: str, core: str, legal: list[str]) -> None:
    row = normalize_names(pl.Series([raw])).row(0, named=True)
    assert (row["core"], row["legal"]) == (core, legal)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SHCHERBAKOV", "SCHERBAKOV"),
        ("YURIY", "IURII"),
        ("KHODORKOVSKY", "HODORKOVSKIJ"),
        ("ТЕХНОКОМ", "TEKHNOKOM"),
        ("ДХАББИ", "DHABBI"),  # Arabic DH written letter by letter in Cyrillic
    ],
)
def test_skeleton_equal(a: str, b: str) -> None:
    assert normalize_names(pl.Series([a]))["skel"][0] == normalize_names(pl.Series([b]))["skel"][0]


def test_inn_extracted() -> None:
    row = normalize_names(pl.Series(["7722476458 772201001 OOO YATASH RUS"])).row(0, named=True)
    assert row["ids"] == ["INN:7722476458", "KPP:772201001"]
    assert row["core"] == "YATASH RUS"


MATCHES = [
    ("TEKHNOKOM OOO", "e1", "transliterated Cyrillic, legal form OOO on both"),
    ("Romashka LLC", "e2", "legal forms LLC ~ OOO agree"),
    ("7722476458 772201001 OOO YATASH RUS", "e3", "identifiers in name"),
    ("Sergei Aksyonov", "e4", "tokens reordered"),
    ("АЛЬФА БАНК", "e5", "transliterated Cyrillic"),
]


@pytest.mark.parametrize(("query", "entity", "note", "scorer"), by_scorer(MATCHES))
def test_matches(query: str, entity: str, note: str, scorer: str) -> None:
    hits = match_names(pl.DataFrame({"id": ["q"], "name": [query]}), WATCH, model=scoring(scorer)[0])
    assert hits["entity_id"].to_list() == [entity]
    assert note in hits["detail"][0]


@pytest.mark.parametrize("query, scorer", by_scorer(["Alfa Laval", "Jane Smith", "John Smithers Ltd", "Romashkov"]))
def test_non_matches(query: str, scorer: str) -> None:
    hits = match_names(pl.DataFrame({"id": ["q"], "name": [query]}), WATCH, model=scoring(scorer)[0])
    assert hits.is_empty()


def test_identifier_outranks_names() -> None:
    ids = pl.DataFrame({"entity_id": ["e6"], "id_type": ["INN"], "value": ["7722476458"]})
    hits = match_names(
        pl.DataFrame({"id": ["q"], "name": ["7722476458 OOO TEKHNOKOM"]}),
        WATCH,
        top=2,
        identifiers=ids,
    )
    assert hits["entity_id"].to_list()[0] == "e6"
    assert hits["score"][0] == 1.0


def test_bad_and_odd_input() -> None:
    with pytest.raises(InputError):
        match_names(pl.DataFrame({"name": ["x"]}), WATCH)
    odd = pl.DataFrame({"id": ["a", "b", "c"], "name": ["", None, "TEKHNOKOM " * 1000]})
    hits = match_names(odd, WATCH)
    assert set(hits["query_id"].to_list()) <= {"c"}


def test_blocking_meets_short_tokens_one_letter_apart() -> None:
    index = build_index(pl.DataFrame({"entity_id": ["a", "b"], "name": ["ASWAD, Ahmad", "HADI"]}))
    qnorm = normalize_names(pl.Series(["Ahmad AWAD", "HADI"])).with_row_index("nid")
    pairs = blocking.candidates(qnorm, index.keys, 40)
    named = pairs.join(qnorm.select("nid", q="raw"), on="nid").join(index.names.select("wid", w="raw"), on="wid")
    assert sorted(zip(named["q"].to_list(), named["w"].to_list(), strict=True)) == [
        ("Ahmad AWAD", "ASWAD, Ahmad"),
        ("HADI", "HADI"),
    ]


def test_prefilter_cutoff_never_above_threshold() -> None:
    assert prefilter_cutoff(0.5) == 0.5
    assert prefilter_cutoff(0.88) == pytest.approx(0.64)
    assert prefilter_cutoff(0.95) == prefilter_cutoff(0.8)


HARD_WATCH = pl.DataFrame(
    {
        "entity_id": ["h1", "h2", "h3", "h4", "h5", "h6"],
        "name": [
            "A.W.A. ENGINEERING LIMITED",
            "TIMBER CORPORATION",
            "MEHRAN SHIPPING COMPANY LIMITED",
            "LEE, John",
            "HO, Chun Ting",
            "AL QARAWI, Saleh Abudullah Saleh",
        ],
    }
)

HARD = [
    ("MEHRAN SHIPPING COMPANY LIITED", "h3"),  # a misspelt legal form weighs little
    ("ДЖОХН ЛЕЕ", "h4"),  # J spelt letter by letter in Cyrillic (ДЖ)
    ("НО, Chun Ting", "h5"),  # a whole word of Cyrillic look-alikes in a Latin name
    ("AL QARAWI, Sadeh Abudullah Saleh", "h6"),  # a repeated list token stays free for the typo
    ("Amber Engineering Inc.", None),  # A.W.A. is an abbreviation, not the initial of AMBER
    ("Amber Timber B.V.", None),  # the list's TIMBER counts for the query's TIMBER only
    ("Crystal Mehran Shipping Company Ltd", None),  # a query adding a word is another name
]


@pytest.mark.parametrize(("query", "entity", "scorer"), by_scorer(HARD))
def test_hard_cases(query: str, entity: str | None, scorer: str) -> None:
    hits = match_names(pl.DataFrame({"id": ["q"], "name": [query]}), HARD_WATCH, model=scoring(scorer)[0])
    assert hits["entity_id"].to_list() == ([entity] if entity else [])


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("URBAN", "RAN", 0.0, 0.75),  # a short token spelt inside a long one is no typo of it
        ("SNACHI", "SANCHI", 0.85, 0.9),  # a swap of neighbours is one edit
        ("TANIA", "TGNIA", 0.8, 0.9),
        ("PETROV", "PETROV", 1.0, 1.0),
    ],
)
def test_token_similarity(a: str, b: str, low: float, high: float) -> None:
    assert low <= bulk_ratio(pl.Series([a]), pl.Series([b]))[0] <= high


@pytest.mark.parametrize(
    ("raw", "tokens"),
    [
        ("ФУЛМЕН КОМПАНЙ", ["FULMEN"]),  # COMPANY spelt in Cyrillic comes back as KOMPANI
        ("MI AVIATION COMPANY LIMITYED", ["MI", "AVATON"]),  # a respelt form after a real one
        ("VAD JOINT COMPANY STOCK", ["VAD"]),  # a legal form with its words reordered
        ("OOO PISHRO COMPADNY", ["PISRO"]),  # a misspelt form word of six letters or more
        ("Atlantic Partners LLC", ["ATLANTIK", "PARTNERS"]),  # an ordinary business word stays
        ("DO Van Hung", ["DO", "VAN", "HUNG"]),  # short form words (DO, TO) are names too
        ("Kompani Limited Stock", ["KOMPANI", "LIMITED", "STOK"]),  # nothing but form words: all stay
    ],
)
def test_edge_legal_words_leave_tokens(raw: str, tokens: list[str]) -> None:
    assert normalize_names(pl.Series([raw]))["tokens"][0].to_list() == tokens


def _coined(i: int, tail: str) -> str:
    """Return a distinct made-up word for filler list names."""
    return "".join(chr(ord("B") + int(d)) for d in f"{i:03d}") + tail


# fillers make ALI, HASSAN and HAMID too common to post (more than 50 list names each)
COMMON_WATCH = pl.DataFrame(
    {
        "entity_id": [f"f{i}" for i in range(180)] + ["m1", "m2", "m3", "m4"],
        "name": [f"ALI {_coined(i, 'OV')}" for i in range(60)]
        + [f"HASSAN {_coined(i, 'EV')}" for i in range(60)]
        + [f"HAMID {_coined(i, 'IN')}" for i in range(60)]
        + ["ALI, Hassan", "HAMID, Mustafa", "DORITA", "ROJAS MONTOYA, Maritza"],
    }
)

BLOCKED = [
    ("ALI, Hsasan", "ALI, Hassan"),  # a typo in a name of common words: one-deletion neighbours
    ("M. HAMID", "HAMID, Mustafa"),  # an initial beside a common surname
    ("DORIA", "DORITA"),  # the skeleton makes one typo two (DORA ~ DORITA): spelt deletions
]


@pytest.mark.parametrize(("query", "listed"), BLOCKED)
def test_blocking_meets_typos_in_common_words_and_initials(query: str, listed: str) -> None:
    index = build_index(COMMON_WATCH)
    qnorm = normalize_names(pl.Series([query])).with_row_index("nid")
    pairs = blocking.candidates(qnorm, index.keys, 40)
    named = pairs.join(index.names.select("wid", w="raw"), on="wid")
    assert listed in named["w"].to_list()


# fillers make YASIN, AL, MOHAMMAD and IBRAHIM too common to post, and every pair of the last three
DROPOUT_WATCH = pl.DataFrame(
    {
        "name": [f"YASIN {_coined(i, 'OV')}" for i in range(60)]
        + [f"AL-{_coined(i, 'EV')}, Mohammad" for i in range(60)]
        + [f"AL-{_coined(i, 'IN')}, Ibrahim" for i in range(60)]
        + [f"{_coined(i, 'AN')}, Mohammad Ibrahim" for i in range(60)]
        + ["BEYNAH, Yasin", "AL-CHAAR, Mohammad Ibrahim"],
    }
).with_row_index("entity_id")

LEFT_OUT = [
    ("BENAX, Yasin", "BEYNAH, Yasin", True),  # one word respelt beside a common one: the same head and length
    ("BENAX, Yassein", "BEYNAH, Yasin", True),  # and the common word misspelt into its phonetic key
    ("BENAKH, Yasin", "BEYNAH, Yasin", True),  # lengths one letter apart
    ("AL-SHAAR, Muhammad Ibrhim", "AL-CHAAR, Mohammad Ibrahim", True),  # four words, all but one alike
    ("BENAX, Yasin", "BEYNAHOVSKI, Yasin", False),  # the odd word far longer
    ("RENAX, Yasin", "BEYNAH, Yasin", False),  # the odd word with another head
    ("AL-SHAAR, Muhammad", "AL-CHAAR, Mohammad Ibrahim", False),  # two words apart
]


@pytest.mark.parametrize(("query", "listed", "blocked"), LEFT_OUT)
def test_blocking_meets_names_alike_but_for_one_word(query: str, listed: str, blocked: bool) -> None:
    index = build_index(DROPOUT_WATCH.with_columns(pl.col("entity_id").cast(pl.String)))
    qnorm = normalize_names(pl.Series([query])).with_row_index("nid")
    pairs = blocking.candidates(qnorm, index.keys, 40)
    named = pairs.join(index.names.select("wid", w="raw"), on="wid")
    assert (listed in named["w"].to_list()) == blocked


@pytest.mark.parametrize(
    ("query", "entity", "scorer"),
    by_scorer(
        [
            ("ROJAS MONTOYA, Mritza", "m4"),  # the typo moves MRITZA after MONTOYA in the sorted form
            ("ALI, Hsasan", "m1"),  # found and scored although both its words are common
            ("Hamid Salem", None),  # a common surname alone is no match
        ]
    ),
)
def test_matches_with_common_words(query: str, entity: str | None, scorer: str) -> None:
    hits = match_names(pl.DataFrame({"id": ["q"], "name": [query]}), COMMON_WATCH, model=scoring(scorer)[0])
    assert hits["entity_id"].to_list() == ([entity] if entity else [])


@pytest.mark.parametrize(
    ("raw", "tokens", "spelt", "heads"),
    [
        ("SUWAID, Joseph", ["SUVAID", "OSEF"], ["SUWAID", "JOSEPH"], ["S", "I"]),  # J is I in skeletons
        ("AL-KHANJAR, Khamis", ["AL", "HANAR", "HAMIS"], ["AL", "KHANJAR", "KHAMIS"], ["A", "K", "K"]),
        ("TEKHNOKOM KOMPANI", ["TEHNOKOM"], ["TEKHNOKOM"], ["T"]),  # a respelt form word goes from all three
    ],
)
def test_tokens_keep_spelling_and_heads(raw: str, tokens: list[str], spelt: list[str], heads: list[str]) -> None:
    row = normalize_names(pl.Series([raw])).row(0, named=True)
    assert (row["tokens"], row["spelt"], row["heads"]) == (tokens, spelt, heads)


SPELT_WATCH = pl.DataFrame(
    {
        "entity_id": ["s1", "s2", "s3"],
        "name": ["SANCHI", "SUWAID, Joseph", "AL-KHANJAR, Khamis"],
    }
)


@pytest.mark.parametrize(
    ("query", "entity", "scorer"),
    by_scorer(
        [
            ("SNACHI", "s1"),  # one swap, two edits in skeletons (SNACI ~ SANCI): the spelling decides
            ("J. SUWAID", "s2"),  # the initial J stands for JOSEPH (skeleton OSEF)
            ("K. AL-KHANJAR", "s3"),  # the initial K stands for KHAMIS (skeleton HAMIS)
            ("SANCHEZ", None),  # another name, however alike
        ]
    ),
)
def test_spelling_and_initials_scored(query: str, entity: str | None, scorer: str) -> None:
    hits = match_names(pl.DataFrame({"id": ["q"], "name": [query]}), SPELT_WATCH, model=scoring(scorer)[0])
    assert hits["entity_id"].to_list() == ([entity] if entity else [])


@pytest.fixture(scope="module")
def sample_index() -> NameIndex:
    """Return the index of the bundled sample lists (real entries, real word frequencies)."""
    imported = lists.sample_watchlist()
    return build_index(lists.watchlist_from_import(imported), imported.identifiers)


@pytest.mark.parametrize(
    ("query", "matched", "scorer"),
    by_scorer(
        [
            ("Alfa International Trading", True),  # part of a list name: every word is one of its words
            ("Alfa Investment International Trading", True),
            ("PT Asia Trading International", False),  # the generic words match, ASIA is not ALFA
            ("Omega Investment International", False),
        ]
    ),
)
def test_part_of_a_list_name_needs_every_query_word(
    sample_index: NameIndex, query: str, matched: bool, scorer: str
) -> None:
    hits = match_index(
        pl.DataFrame({"id": ["q"], "name": [query]}), sample_index, scoring(scorer)[1], 1, scoring(scorer)[0]
    )
    assert (hits["entity_id"].to_list() == ["un_sc:IQe.206"]) is matched


@pytest.mark.parametrize("order, scorer", by_scorer([[0, 1, 2], [2, 1, 0], [1, 2, 0]]))
def test_identifier_match_names_the_entity_alike_in_any_list_order(order: list[int], scorer: str) -> None:
    names = ["MOSTOTREST, PAO", "PJSC MOSTOTREST", "ПАО «Мостотрест»"]
    watch = pl.DataFrame({"entity_id": ["m1"] * 3, "name": [names[i] for i in order]})
    ids = pl.DataFrame({"entity_id": ["m1"], "id_type": ["INN"], "value": ["7701045732"]})
    query = pl.DataFrame({"id": ["q"], "name": ["Some Other Name ИНН 7701045732"]})
    hits = match_names(query, watch, identifiers=ids, model=scoring(scorer)[0])
    assert hits["matched_name"].to_list() == ["MOSTOTREST, PAO"]


@pytest.mark.parametrize("order, scorer", by_scorer([[0, 1], [1, 0]]))
def test_names_of_one_entity_scoring_alike_pick_the_same_name(order: list[int], scorer: str) -> None:
    names = ["MRIYA RESORT AND SPA", "MRIYA RESORT & SPA"]
    watch = pl.DataFrame({"entity_id": ["m1", "m1"], "name": [names[i] for i in order]})
    hits = match_names(pl.DataFrame({"id": ["q"], "name": ["Mriya Resotr & Spa"]}), watch, model=scoring(scorer)[0])
    assert hits["matched_name"].to_list() == ["MRIYA RESORT & SPA"]


@pytest.mark.parametrize(
    ("raw", "marks"),
    [
        ("CLOSED JOINT STOCK COMPABNY IFD KAPITAL", [2, 2, 2, 2, 0, 0]),  # a misspelt word in a form's run
        ("OPEN JOIT STOCK COMPANY BLACK SEA BANK", [2, 2, 2, 2, 0, 0, 0]),  # OPEN and JOIT join the run
        ("MADURO S.A. FELIX B.", [0, 2, 2, 0, 0]),  # a form spelt letter by letter, moved inside
        ("AKTSIONERNOE OQBSHEHESTVO ZAKRYTOE GENBANK", [2, 0]),  # beside a misspelt form the normaliser cut
        ("Atlantic Partners LIMITYED", [0, 1]),  # PARTNERS is like PARTNERSHIP but no form's word
        ("DO Van Hung", [1, 0, 0]),  # a short form word alone stays a name word's weight
        ("SMITH, John", [0, 0]),
    ],
)
def test_form_marks(raw: str, marks: list[int]) -> None:
    norm = normalize_names(pl.Series([raw])).with_row_index("nid")
    assert form_marks(norm, "nid")["marks"][0].to_list() == marks


@pytest.mark.parametrize(
    ("query", "listed", "passed"),
    [
        ("CLOSED JOINT STOCK COMPABNY 'IFD KAPITAL'", "IFD KAPITAL", True),  # compared without its form words
        ("M. MIRE", "MIRE, Mohamed", True),  # an initial for a whole given name: token set
        ("Sunrise Partners", "SUNRISE", False),  # PARTNERS is a word of the name
    ],
)
def test_prefilter_second_looks(query: str, listed: str, passed: bool) -> None:
    q = form_marks(normalize_names(pl.Series([query])).with_row_index("nid"), "nid")
    w = form_marks(normalize_names(pl.Series([listed])).with_row_index("wid"), "wid")
    pairs = pl.DataFrame({"nid": [0], "wid": [0]}, schema={"nid": pl.UInt32, "wid": pl.UInt32})
    assert (prefilter(pairs, q, w, prefilter_cutoff(DEFAULT_THRESHOLD)).height == 1) is passed


FORM_WATCH = pl.DataFrame(
    {
        "entity_id": ["f1", "f2", "f3", "f4", "f5", "i1", "i2"],
        "name": [
            "CLOSED JOINT STOCK COMPANY 'IFD KAPITAL'",
            "GRAJALES S.A.",
            "FELIX B. MADURO S.A.",
            "AKTSIONERNOE OBSHCHESTVO GENBANK",
            "OPEN JOINT STOCK COMPANY BLACK SEA DEVELOPMENT BANK",
            "OBOGNE, Leo M.",
            "V.P. PROPERTIES, INC.",
        ],
    }
)


# the table's cases the shipped model gets wrong today (its score, the hand scorer's): strict xfails until a refit
MODEL_LOSES = {
    "L. M. OBOGNE-i1": "0.583 under its 0.63 (hand 0.940)",
}


@pytest.mark.parametrize(
    ("query", "entity", "scorer"),
    by_scorer(
        [
            ("CLOSED JOINT STOCK COMPABNY 'IFD KAPITAL'", "f1"),  # a typo breaks the form the normaliser strips
            ("GRAJALES S.A LIITED", "f2"),  # a form added after a form, misspelt
            ("MADURO S.A. FELIX B.", "f3"),  # the form moved inside the name
            ("OQBSHEHESTVO AKTSIONERNOE GENBANK", "f4"),  # two typos in a form word beside a form word
            ("OPEN JOIT STOCK COMPANY BLACK SEA DEVELOPMENT BANK", "f5"),
            ("L. M. OBOGNE", "i1"),  # two initials are initials, not an abbreviation
            ("Prime Properties Limited", None),  # V.P. in a company's name is an abbreviation, not initials
            ("CLOSED JOINT STOCK COMPABNY 'IFD TRADING'", None),  # form words carry no match
        ],
        lost=MODEL_LOSES,
    ),
)
def test_legal_form_words_inside_names_and_initials(query: str, entity: str | None, scorer: str) -> None:
    hits = match_names(pl.DataFrame({"id": ["q"], "name": [query]}), FORM_WATCH, model=scoring(scorer)[0])
    assert hits["entity_id"].to_list() == ([entity] if entity else [])
    if entity and entity.startswith("f"):
        assert "legal-form words inside the name ignored" in hits["detail"][0]


@pytest.mark.parametrize(
    "names, scorer",
    by_scorer([["Zebulon Quartermaine"], ["Zebulon Quartermaine", "Xylophone Wrangler"], []]),
)
def test_no_hit_batches_keep_the_output_schema(names: list[str], scorer: str) -> None:
    """A batch whose names align with no list name (the early return) answers an empty frame of the output schema."""
    watch = pl.DataFrame({"entity_id": ["e1", "e2"], "name": ["ROSOBORONEXPORT", "SOVCOMFLOT"]})
    queries = pl.DataFrame(
        {"id": [str(i) for i in range(len(names))], "name": names}, schema={"id": pl.String, "name": pl.String}
    )
    out = match_names(queries, watch, model=scoring(scorer)[0])
    assert out.is_empty() and out.schema == pl.Schema(OUTPUT_COLUMNS)


@pytest.mark.parametrize(
    ("names", "top", "entities", "scorer"),
    by_scorer(
        [
            (["Ivan Petrof", "Vladimir Putin"], 1, ["A"]),  # the exact name wins, whichever row holds it
            (["Vladimir Putin", "Ivan Petrof"], 1, ["A"]),
            (["Ivan Petrof", "Vladimir Putin"], 2, ["A", "B"]),
        ]
    ),
)
def test_a_query_of_several_names_ranks_them_together(
    names: list[str], top: int, entities: list[str], scorer: str
) -> None:
    """The best ``top`` entities of a query with several name rows are its best over all rows, not its first row's."""
    index = build_index(pl.DataFrame({"entity_id": ["A", "B"], "name": ["VLADIMIR PUTIN", "IVAN PETROV"]}))
    found = match_index(pl.DataFrame({"id": ["k"] * len(names), "name": names}), index, 0.7, top, scoring(scorer)[0])
    assert found["entity_id"].to_list() == entities


# a query against entities of several names each, alike or not: every kept row is explained
SEVERAL_NAMES = [
    ("ACME TRADING LLC", 1),
    ("ACME TRADING LLC", 3),
    ("Acme Trading", 2),
    ("ROMASHKA OOO", 3),
]


@pytest.mark.parametrize(("query", "top", "scorer"), by_scorer(SEVERAL_NAMES))
def test_every_kept_row_is_explained(query: str, top: int, scorer: str) -> None:
    watch = pl.DataFrame(
        {
            "entity_id": ["e1", "e1", "e1", "e2", "e2", "e3", "e3"],
            "name": [
                "ACME TRADING LLC",
                "ACME TRADING",
                "Acme Trading L.L.C.",
                "ACME TRADE",
                "ACME TRADING CO",
                "ООО Ромашка",
                "ROMASHKA OOO",
            ],
        }
    )
    queries = pl.DataFrame({"id": ["q", "q"], "name": [query, query.upper()]})
    hits = match_names(queries, watch, 0.5, top, model=scoring(scorer)[0])
    assert hits.height
    for row in hits.iter_rows(named=True):
        assert row["detail"].startswith(f"{query.upper()} ~ {row['matched_name']} ") or row["detail"].startswith(
            f"{query} ~ {row['matched_name']} "
        ), row
