"""Penalties of a name pair: numbers that differ, legal forms that disagree, patronymic chains reordered or shifted."""

from __future__ import annotations

from functools import cache
from typing import Final

import polars as pl

from screening.names import script, titles
from screening.names.phonetic import consonants

NUMBER_PENALTY: Final = 0.2
LEGAL_PENALTY: Final = 0.05
PATRONYM_PENALTY: Final = 0.25  # a patronymic chain read in another order names another person
# words linking a name to a parent's (skeletons: BIN, IBN, BINT; the abjad's BN, BNT; ABU; OULD; OGLU, KIZI)
PATRONYMIC: Final = frozenset({"BIN", "IBN", "BN", "BINT", "BNT", "ABU", "ULD", "OGLU", "OGLI", "KIZI"})
CHAIN_PENALTY: Final = 0.15  # a chain of given names shifted by a name names a son, father or brother
SHIFTED_NOTE: Final = "name chain shifted (another family member)"
# a brother's given name is unlike the other's (BASHAR ~ UMAR 0.40): one this close is the same name spelt another
# way (YOUSSEF ~ YUSUF 0.72, ذياب ~ THIAB 0.475)
BROTHER_SIM: Final = 0.45
# a given name alike the other's words joined (ABDULAZIZ ~ ABD AL-AZIZ 0.92) is the same name spelt apart
APART_SIM: Final = 0.8
CHAIN_SCRIPT: Final = script.ARABIC  # Hebrew is an abjad too, but writes Western names as often as chains
FAMILY_ARTICLE: Final = "AL"  # AL-TIKRITI: the article of an Arabic family or tribal name
# words that tell a name is an Arabic chain (given, father's, grandfather's … names): the family
# article and the Arabic link words (the Turkic OGLU and KIZI end a name of another order)
CHAIN_MARKS: Final = frozenset({FAMILY_ARTICLE, "BIN", "IBN", "BN", "BINT", "BNT", "ABU", "ULD"})
# words that are no given name of a chain: the article as romanisations write it (AL, EL, UL, and
# assimilated: AR-RAHMAN, AS-SAYED, AD-DIN), link words (ABU as the abjad writes it, BV, too)
ARTICLES: Final = frozenset({"AL", "EL", "UL", "AR", "UR", "AS", "ES", "AD", "ED", "AZ", "AT", "AN", "ASH", "ESH"})
CHAIN_LINKS: Final = PATRONYMIC | ARTICLES | {"BV"}


def _link(tokens: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Return the consonants of the words before and after a name's first patronymic link word (null without one)."""
    links = tokens.list.eval(pl.element().is_in(sorted(PATRONYMIC)))
    at, linked = links.list.arg_max(), links.list.any()
    before = tokens.list.get(at - 1, null_on_oob=True)
    after = tokens.list.get(at + 1, null_on_oob=True)
    return (
        pl.when(linked & (at > 0)).then(consonants(before)),
        pl.when(linked).then(consonants(after)),
    )


def patronym_swapped(q_prefix: str = "q_", w_prefix: str = "w_") -> pl.Expr:
    """Return whether the names around a patronymic link swapped places (SALIM BIN AHMAD ~ AHMAD BIN SALIM)."""
    (qb, qa), (wb, wa) = _link(pl.col(f"{q_prefix}tokens")), _link(pl.col(f"{w_prefix}tokens"))
    return ((qb == wa) & (qa == wb) & (qb != qa)).fill_null(value=False)


def chain(q_prefix: str = "q_", w_prefix: str = "w_") -> pl.Expr:
    """Return whether a pair reads as Arabic name chains: a side in Arabic script, or a family article or link word.

    Not where the list name is an organisation's or a vessel's (its kind OTHER): ANSAR AL-ISLAM is no chain.
    """
    marks = sorted(CHAIN_MARKS)
    words = pl.col(f"{q_prefix}tokens").list.concat(pl.col(f"{w_prefix}tokens"))
    marked = words.list.eval(pl.element().is_in(marks)).list.any()
    arabic = (pl.col(f"{q_prefix}script") == CHAIN_SCRIPT) | (pl.col(f"{w_prefix}script") == CHAIN_SCRIPT)
    return (arabic | marked) & (pl.col(f"{w_prefix}kind") != titles.OTHER)


def paired_numbers(q_prefix: str = "q_", w_prefix: str = "w_") -> tuple[pl.Expr, pl.Expr]:
    """Return the numbers of both names of a pair, each with its held-apart numbers where the other holds a number.

    (:func:`.numbers.numeral`: HAPPINESS II of no type reads 2 against the Vessel HAPPINESS I, not against CHEN, Xi;
    :func:`.numbers.opening`: FIRSTPOINT reads 1 against FIFTH POINT and FIRSTBANK, not against FURSTENBERG.)
    """
    qn, wn = pl.col(f"{q_prefix}numbers"), pl.col(f"{w_prefix}numbers")
    qo, wo = pl.col(f"{q_prefix}opening"), pl.col(f"{w_prefix}opening")

    def read(own: pl.Expr, numeral: pl.Expr, opening: pl.Expr, other: pl.Expr, other_opening: pl.Expr) -> pl.Expr:
        held = other.list.len() > 0
        with_numeral = pl.when(numeral.is_not_null() & held).then(pl.concat_list(own, numeral)).otherwise(own)
        read = pl.when(held | (other_opening.list.len() > 0)).then(pl.concat_list(with_numeral, opening))
        return read.otherwise(with_numeral).list.unique().list.sort()

    q_numeral, w_numeral = pl.col(f"{q_prefix}numeral"), pl.col(f"{w_prefix}numeral")
    return read(qn, q_numeral, qo, wn, wo), read(wn, w_numeral, wo, qn, qo)


def may_apply(q_prefix: str = "q_", w_prefix: str = "w_") -> pl.Expr:
    """Return whether :func:`penalties` may be more than 0 for a pair: a test of its list columns, cheap.

    A pair with no number nor numeral opening on either side, legal forms on one side at most, a patronymic link
    word on one side at most and no shifted chain has none (most pairs).
    """
    lists = [f"{p}{c}" for p in (q_prefix, w_prefix) for c in ("numbers", "opening")]
    numbered = pl.any_horizontal([(pl.col(c).list.len() > 0).fill_null(value=True) for c in lists])
    legal = [(pl.col(f"{p}legal").list.len() > 0).fill_null(value=True) for p in (q_prefix, w_prefix)]
    links = pl.element().is_in(sorted(PATRONYMIC))
    linked = [pl.col(f"{p}tokens").list.eval(links).list.any() for p in (q_prefix, w_prefix)]
    return numbered | (legal[0] & legal[1]) | (linked[0] & linked[1]).fill_null(value=True) | pl.col("chain_shifted")


@cache  # the expression is built once: building it costs more than running it on a few rows
def penalties(q_prefix: str = "q_", w_prefix: str = "w_") -> pl.Expr:
    """Return the penalty for numbers that differ, legal forms that disagree, patronymic chains reordered or shifted.

    Pairs carry ``acronym``: whether one name is the other's acronym (:mod:`.acronyms`).
    """
    qn, wn = paired_numbers(q_prefix, w_prefix)
    both_num = (qn.list.len() > 0) & (wn.list.len() > 0)
    # an acronym writes a number by its word's letter (FIIB: FIRST ISLAMIC INVESTMENT BANK)
    one_num = ((qn.list.len() > 0) != (wn.list.len() > 0)) & ~pl.col("acronym")
    num = pl.when(both_num & (qn != wn)).then(NUMBER_PENALTY).when(one_num).then(0.05)
    ql, wl = pl.col(f"{q_prefix}legal"), pl.col(f"{w_prefix}legal")
    legal_clash = (ql.list.len() > 0) & (wl.list.len() > 0) & (ql.list.set_intersection(wl).list.len() == 0)
    patronym = pl.when(patronym_swapped(q_prefix, w_prefix)).then(PATRONYM_PENALTY).otherwise(0.0)
    shifted = pl.when(pl.col("chain_shifted") & chain(q_prefix, w_prefix)).then(CHAIN_PENALTY).otherwise(0.0)
    return num.otherwise(0.0) + pl.when(legal_clash).then(LEGAL_PENALTY).otherwise(0.0) + patronym + shifted
