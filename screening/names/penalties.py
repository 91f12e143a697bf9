"""Penalties of a name pair: numbers that differ, legal forms that disagree, patronymic chains reordered."""

from __future__ import annotations

from functools import cache
from typing import Final

import polars as pl

from screening.names.phonetic import consonants

NUMBER_PENALTY: Final = 0.2
LEGAL_PENALTY: Final = 0.05
PATRONYM_PENALTY: Final = 0.25  # a patronymic chain read in another order names another person
# words linking a name to a parent's (skeletons: BIN, IBN, BINT; the abjad's BN, BNT; ABU; OULD; OGLU, KIZI)
PATRONYMIC: Final = frozenset({"BIN", "IBN", "BN", "BINT", "BNT", "ABU", "ULD", "OGLU", "OGLI", "KIZI"})


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


@cache  # the expression is built once: building it costs more than running it on a few rows
def penalties(q_prefix: str = "q_", w_prefix: str = "w_") -> pl.Expr:
    """Return the penalty for numbers that differ, legal forms that disagree and patronymic chains reordered."""
    qn, wn = pl.col(f"{q_prefix}numbers"), pl.col(f"{w_prefix}numbers")
    both_num = (qn.list.len() > 0) & (wn.list.len() > 0)
    one_num = (qn.list.len() > 0) != (wn.list.len() > 0)
    num = pl.when(both_num & (qn != wn)).then(NUMBER_PENALTY).when(one_num).then(0.05)
    ql, wl = pl.col(f"{q_prefix}legal"), pl.col(f"{w_prefix}legal")
    legal_clash = (ql.list.len() > 0) & (wl.list.len() > 0) & (ql.list.set_intersection(wl).list.len() == 0)
    patronym = pl.when(patronym_swapped(q_prefix, w_prefix)).then(PATRONYM_PENALTY).otherwise(0.0)
    return num.otherwise(0.0) + pl.when(legal_clash).then(LEGAL_PENALTY).otherwise(0.0) + patronym
