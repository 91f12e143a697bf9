"""The one-query candidates equal the batch path's blocking of the same name, alone in its batch."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.names import blocking, romanise
from screening.names.index import NameIndex, build_index
from screening.names.match import FORM_COLUMNS, PER_QUERY
from screening.names.normalize import normalize_names
from screening.names.single.candidates import _hash, _struct_hash, candidate_wids, view
from screening.names.single.forms import query_form

DEV = Path(__file__).resolve().parents[2] / "benchmarks" / "names" / "dev"
SAMPLE = 400


@pytest.fixture(scope="module")
def index() -> NameIndex:
    """Return the index of the committed dev set's list names."""
    return build_index(pl.read_csv(DEV / "watchlist.csv", infer_schema=False))


def _batch(names: list[str], index: NameIndex) -> list[list[int]]:
    """Return the batch path's candidate wids of each name, ascending (names of one script comparison together)."""
    roman = pl.when(pl.col("script").is_in(romanise.KEYED)).then("script")
    roman = roman.when(pl.col("abjad")).then(pl.lit("abjad")).otherwise(pl.lit(""))
    norm = normalize_names(pl.Series(names, dtype=pl.String)).with_columns(roman=roman)
    forms = norm.select(*FORM_COLUMNS, "roman").with_row_index("nid")
    pairs = blocking.candidates(forms, index.keys, PER_QUERY)
    found = dict(pairs.group_by("nid").agg(pl.col("wid").sort()).iter_rows())
    return [list(found.get(i, [])) for i in range(len(names))]


def _plain(name: str, index: NameIndex) -> list[int]:
    """Return the plain path's candidate wids of a name."""
    form = query_form(name)
    assert form is not None
    return candidate_wids(form, index)


@pytest.mark.parametrize(
    "name",
    [
        "Vladimir Putin",
        "PUTIN, Vladimir Vladimirovich",
        "ROSSIYA AIRLINES",
        "ООО Ромашка",
        "Владимир Путин",
        "محمد يونس أحمد",  # abjad: more keys per token
        "الدوري",
        "فيكتور بوبوف",  # abjad: foreign spellings (VIKTUR PUPUV) look too, and their close tokens
        "ולדימיר בוט",  # Hebrew
        "김정은",  # Korean: romanisation keys
        "王小明",  # Chinese
        "すずき",  # Japanese
        "Ψαράς Γιώργος",
        "ТURKEY TRADING LLC",  # a look-alike letter
        "IMO 9123456 OCEAN STAR",  # an identifier in the name
        "Alpha 2020 Trading 7",
        "M. HAMID",  # an initial
        "J SMITH",
        "AL-TIKRITI Bashir Al-Hasan",  # leave-one-out and consonant-set keys
        "BARI ABDAUL",
        "Kompaniya Limityed Romashka",
        "Bank",  # a word too common to post
        "THE COMPANY OF THE BANK OF THE TRADE",
        "Zzyzx Qwrtp",  # no candidate at all
        "x",
        "LIMITED",
        "A B C D E F G H I",
        "Muhammad Muhammad Muhammad Ali Hassan Hussein Abdallah Abdul Rahman",  # many tokens
        "Chantrapapraporn",
    ],
)
def test_hard_names_have_the_batch_candidates(name: str, index: NameIndex) -> None:
    assert _plain(name, index) == _batch([name], index)[0]


def test_sampled_names_have_the_batch_candidates(index: NameIndex) -> None:
    names = pl.read_csv(DEV / "queries.csv", infer_schema=False)["name"].unique().sort().sample(SAMPLE, seed=22)
    names_ = names.to_list()
    differ = [n for n, wids in zip(names_, _batch(names_, index), strict=True) if _plain(n, index) != wids]
    # a name blocked in a batch can lend close tokens to another holding the same token: check those alone
    assert [n for n in differ if _plain(n, index) != _batch([n], index)[0]] == []


def test_the_view_is_built_once_per_index(index: NameIndex) -> None:
    first = view(index)
    assert view(index) is first
    assert first.nbytes > 0
    assert len(first.vocab) == index.keys.postings.frame["tok"].n_unique()


@pytest.mark.parametrize(
    "texts",
    [["PUTIN"], ["Dputin", "Pptn", "", "Владимир", "王小明"], ["A"] * 3, [f"F{i}" for i in range(50)]],
)
def test_string_keys_are_the_expression_hash(texts: list[str]) -> None:
    """Strings hashed eagerly get the keys the batch path's ``hash(seed=7)`` expression gives them."""
    assert _hash(texts).tolist() == pl.Series(texts, dtype=pl.String).hash(seed=7).to_list()


@pytest.mark.parametrize(
    ("rows", "schema", "seed"),
    [
        (
            [(1, "A", 3), (2**64 - 1, None, None), (0, "", 0)],
            {"rest": pl.UInt64, "head": pl.String, "size": pl.Int64},
            11,
        ),
        ([(5, 0), (2**63 + 7, 1), (0, 0)], {"rest": pl.UInt64, "lead": pl.UInt64}, 13),
        ([(9, 9)], {"rest": pl.UInt64, "lead": pl.UInt64}, 0),
    ],
)
def test_row_keys_are_the_struct_expression_hash(
    rows: list[tuple[object, ...]], schema: dict[str, pl.DataType], seed: int
) -> None:
    """Rows hashed eagerly get the keys the batch path's ``pl.struct(...).hash(seed)`` expression gives them."""
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    assert _struct_hash(frame, seed).tolist() == frame.select(pl.struct(*schema).hash(seed=seed)).to_series().to_list()
