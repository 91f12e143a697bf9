"""The one-query normal form equals the batch normaliser's, name by name."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest

from screening.names import legal_forms
from screening.names.normalize import normalize_names
from screening.names.single.forms import is_edge_form_word, query_form, skeleton

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = 1500
# characters of many scripts and compatibility forms, controls included, for random names
RANGES = [(0, 0x250), (0x370, 0x530), (0x590, 0x700), (0x3040, 0x3100), (0x4E00, 0x4E40), (0xAC00, 0xAC40)]
ALPHABET = "".join(
    chr(c) for lo, hi in [*RANGES, (0xFF00, 0xFF60), (0x2000, 0x2200), (0x1D400, 0x1D440)] for c in range(lo, hi)
)


def _batch(names: list[str]) -> dict[str, dict[str, object]]:
    """Return the batch normaliser's form of each name, by name."""
    return {row["raw"]: row for row in normalize_names(pl.Series(names, dtype=pl.String)).iter_rows(named=True)}


def _differences(names: list[str]) -> list[tuple[str, dict[str, object] | None, dict[str, object]]]:
    """Return (name, plain form, batch form) of every name whose two forms differ."""
    batch = _batch(names)
    return [(n, query_form(n), batch[n]) for n in dict.fromkeys(names) if query_form(n) != batch[n]]


@pytest.mark.parametrize(
    "name",
    [
        "ООО Ромашка",  # Cyrillic, legal form at the start
        "ООО ROMАSHKA",  # a Cyrillic look-alike inside a Latin word
        "ТURKEY TRADING LLC",
        "НО Chun Ting",  # a word only of look-alikes in a Latin name
        "Фёдор Пётр",  # Ё read YO
        "محمد يونس أحمد",  # Arabic (abjad)
        "الدوري",  # the article joined to its word
        "ישראל כהן",  # Hebrew
        "王小明",  # Han syllables set apart
        "重庆长安汽车股份有限公司",
        "김정은",  # Korean
        "すずき",  # a kana run kept whole
        "Ψαράς Γιώργος",  # Greek
        "ΣΊΣΥΦΟΣ",
        "ＡＢＣ　ＬＴＤ",  # full-width letters
        "ﬁnance ﬂow",  # ligatures
        "Straße İstanbul Şirketi",
        "e\u0301clair",  # a combining accent
        "BRIGADE FORTY-FOUR",  # number words
        "21ST BRIGADE",  # ordinals in digits and spelt out, one misspelt
        "TWENTY-FIRST ELVCENTH DIVISION",
        "1STBANK 21STCENTURY 101STAIRBORNE 4STAR",  # ordinals in digits glued to a word
        "TWENTYFIRST FIRSTBANK 10 THOUSAND",  # glued ordinal words, a number before a word
        "INT'L TRADING CO., LTD.",  # an abbreviation and legal forms
        "O'Brien & Sons",
        "IMO 9123456 VESSEL",  # identifiers in the name
        "LEI 5493001KJTIIGC8Y1R12 BANK",
        "SWIFT DEUTDEFF BANK",
        "TAX ID 123456789 ACME",
        "7722476458 772201001 OOO YATASH RUS",
        "Alpha 2020 Trading 7",
        "Kompaniya Limityed Romashka",  # respelt and misspelt legal-form words at an edge
        "DALIAN ZHENGHUA MAOYI YOUXIAN GONJSI",  # a derived form misspelt as a whole
        "Kompani Limited Stock",  # nothing but legal-form words
        "YOUXIAN GONJSI",  # nothing but a misspelt form
        "OOO OOO",  # edges that overlap
        "LLC LLC LLC",
        "LIMITED",  # nothing but a legal form
        "J. Smith",  # initials
        "M HAMID",
        "A B C D E F G",
        "a",
        "-",
        "",
        "Name\nwith\tcontrols\x00",
        "Hello\u200bWorld",
        "x" * 400,  # longer than MAX_CHARS
        "ß" * 200,  # longer than MAX_CHARS once folded
    ],
)
def test_hard_names_have_the_batch_form(name: str) -> None:
    assert query_form(name) == _batch([name])[name]


@pytest.mark.parametrize("text", ["SHCHERBAKOV", "DZHON", "TSCHAIKOVSKY", "XAVIER", "MMMAMMA", "", "Q W J Y"])
def test_skeleton_is_the_batch_skeleton(text: str) -> None:
    assert skeleton(text) == normalize_names(pl.Series([text]))["skel"][0]


@pytest.mark.parametrize(
    ("token", "edge"),
    [
        ("KOMPANI", True),
        ("LIMITIED", True),
        ("PARTNERS", False),
        ("SAN", False),
        ("OBSESTVO", True),
        ("PETROV", False),
        # words of their own alike to a form word: listed, or holding it whole with letters added
        ("UNLIMITED", False),
        ("UNLIITED", False),  # nearer UNLIMITED than LIMITED
        ("DELIMITED", False),
        # a spelling's own word holding a shorter form word, or near one, is no other word
        ("INKORPORATONN", True),
        ("ANONIMAS", True),
        ("LIMITER", True),
        ("LIMITEDS", True),  # one letter added: a typo
    ],
)
def test_edge_form_words(token: str, edge: bool) -> None:
    batch = legal_forms.edge_form_words(pl.Series([token])).to_list()
    assert (is_edge_form_word(token), batch == [token]) == (edge, edge)


def test_committed_names_have_the_batch_form() -> None:
    dev = ROOT / "benchmarks" / "names" / "dev"
    names = pl.concat(
        [pl.read_csv(dev / f, infer_schema=False)["name"] for f in ("queries.csv", "watchlist.csv")]
        + [pl.read_csv(ROOT / "fixtures" / "names" / "name_bench.csv", infer_schema=False)["name1"]]
    )
    sample = names.drop_nulls().unique().sort().sample(SAMPLE, seed=22).to_list()
    assert _differences(sample) == []


def test_random_strings_have_the_batch_form() -> None:
    rng = random.Random(22)
    names = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 30))) for _ in range(1500)]
    assert _differences(names) == []
