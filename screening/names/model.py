"""The learned name-match model: named features of a scored pair, combined by fitted logistic weights.

Every feature is a polars expression over a qualified pair (the alignment's coverage and ratios,
penalties, scripts, qualifiers); the weights, fitted on the development set's fit split by
``benchmarks/names/fit.py``, ship in ``screening/data/name_model.json``. The score is the
model's probability that the pair names one entity, calibrated on the fit split.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final, Literal, TypeAlias

import polars as pl

from screening.errors import ConfigError
from screening.names import qualifiers, titles
from screening.names.penalties import paired_numbers, patronym_swapped

MODEL_FILE: Final = "name_model.json"
HAND_THRESHOLD: Final = 0.86  # the hand scorer's default threshold (``match.DEFAULT_THRESHOLD``)
HAND: Final = None  # the ``model`` argument that scores by the hand weights
SHIPPED: Final = "shipped"  # the ``model`` argument that scores by the shipped model
SCORERS: Final = ("model", "hand")  # the scorers a rule, the CLI and the server name
DEFAULT_SCORER: Final = "hand"  # the scorer of every path where none is named (rules, CLI, server, API)
HINGES: Final = (0.8, 0.9, 0.95)  # knots of the name score's piecewise-linear terms
# knots of the worst-matched word's similarity: a typo in a word of five letters or more keeps 0.86 or
# more, a different word of like spelling (LUKASHEVICH ~ LUKASHENKO, MARY ~ MARK) less
LOW_HINGES: Final = (0.8, 0.86)
NEAR_WORD: Final = 0.8  # a word matched by a word this little alike is another word (MARY ~ MARK), not a typo
SHOWN: Final = 3  # features named in a detail
RIVAL_GAP: Final = 0.02  # other pairs of a query this close to its best are its rivals
AGREE_FROM: Final = 0.7  # the name score from which an agreeing qualifier starts to count
# knots of the hand scorer's qualified score: the model can rank at least as the hand scorer does around its threshold
HAND_HINGES: Final = (0.8, 0.86, 0.9)
_FOREIGN: Final = ["ASCII", "Latin"]
# the columns :func:`prepared` adds: an initial of either name begins a word of the other; the query's birth year
# is one its entity gives as a year only
SHARED: Final = ("initial_agrees_", "year_listed_")


def _num(column: str) -> pl.Expr:
    """Return a numeric column as a float, 0 where missing."""
    return pl.col(column).cast(pl.Float64).fill_null(0.0)


def _flag(expr: pl.Expr) -> pl.Expr:
    """Return a boolean expression as 1.0 or 0.0, false where null."""
    return expr.fill_null(value=False).cast(pl.Float64)


def _name_features() -> dict[str, pl.Expr]:
    """Return the features the name alignment and penalties give."""
    base, n_q, n_w = _num("base"), _num("n_q"), _num("n_w")
    # the numbers the hand penalty compares: an untyped name's closing numeral only against a numbered name
    q_numbers, w_numbers = paired_numbers()
    qn, wn = q_numbers.list.len(), w_numbers.list.len()
    ql, wl = pl.col("q_legal"), pl.col("w_legal")
    return {
        "base": base,
        **{f"base_over_{k}": (base - k).clip(lower_bound=0.0) for k in HINGES},
        "penalty": base - _num("name_score"),
        "cov_min": pl.min_horizontal(_num("cov_q"), _num("cov_w")),
        "cov_max": pl.max_horizontal(_num("cov_q"), _num("cov_w")),
        "low_min": pl.min_horizontal(_num("low_q"), _num("low_w")),
        **{
            f"low_over_{k}": (pl.min_horizontal(_num("low_q"), _num("low_w")) - k).clip(lower_bound=0.0)
            for k in LOW_HINGES
        },
        "sorted_ratio": _num("s_sort"),
        "glued_ratio": _num("s_glue"),
        "one_token": _flag(pl.min_horizontal(n_q, n_w) <= 1),
        "token_gap": (n_q - n_w).abs().clip(upper_bound=3.0),
        "short_name": _flag(pl.col("q_glued").str.len_chars() <= 8),
        "same_core": _flag(pl.col("q_core") == pl.col("w_core")),
        "same_skeleton": _flag(pl.col("q_sorted") == pl.col("w_sorted")),
        "reordered": _flag(pl.col("reordered_q")),
        "form_words_gone": _flag((_num("gone_q") + _num("gone_w")) > 0),
        "numbers_differ": _flag((qn > 0) & (wn > 0) & (q_numbers != w_numbers)),
        # an acronym writes a number by its word's letter (FIIB: FIRST ISLAMIC INVESTMENT BANK), as in the penalty
        "number_one_side": _flag(((qn > 0) != (wn > 0)) & ~pl.col("acronym")),
        "legal_clash": _flag(
            (ql.list.len() > 0) & (wl.list.len() > 0) & (ql.list.set_intersection(wl).list.len() == 0)
        ),
        "patronym_swapped": _flag(patronym_swapped()),
        # the query names another listed organisation in full: this one is its branch or its parent
        "named_in_full": _flag(pl.col("in_full")),
        "acronym": _flag(pl.col("acronym")),
    }


def _initial_agrees(one: str, other: str) -> pl.Expr:
    """Return whether every single letter of one side's words begins a word of the other side (K. HAK ~ KYONG HAK)."""
    letters = pl.col(one).list.eval(pl.element().filter(pl.element().str.len_chars() == 1))
    heads = pl.col(other).list.eval(pl.element().filter(pl.element().str.len_chars() > 1).str.slice(0, 1))
    return (letters.list.len() > 0) & (letters.list.set_difference(heads).list.len() == 0)


def initial_agrees() -> pl.Expr:
    """Return whether a single letter of either name begins a word of the other (``SHARED[0]``, a pair's own)."""
    return (_initial_agrees("q_spelt", "w_spelt") | _initial_agrees("w_spelt", "q_spelt")).alias(SHARED[0])


def prepared(pairs: pl.DataFrame) -> pl.DataFrame:
    """Return qualified pairs with the flags several features read (``SHARED``), each computed once.

    The qualifiers' adjustments the features read are the columns :func:`.qualifiers.qualify` kept.
    """
    return pairs.with_columns(initial_agrees(), qualifiers.year_listed().alias(SHARED[1]))


def _hand_features() -> dict[str, pl.Expr]:
    """Return the hand scorer's qualified score and its hinges, and whether an initial agrees with a given name."""
    hand = _num("hand")
    return {
        "hand_score": hand,
        **{f"hand_over_{k}": (hand - k).clip(lower_bound=0.0) for k in HAND_HINGES},
        "initial_agrees": _flag(pl.col(SHARED[0])),
    }


def _token_features() -> dict[str, pl.Expr]:
    """Return the features of the words both names spell alike, and of who the parties are.

    A name sharing one common word with a listed name (``Lucia Martin ~ LUCIA MARIN``) differs from
    a real match in the words left over: a person's name one word off is another person more often
    than a company's; a short code one letter off (an aircraft's tail number) is another code.
    """
    q, w = pl.col("q_spelt").list.unique(), pl.col("w_spelt").list.unique()
    longer = pl.max_horizontal(q.list.len(), w.list.len()).cast(pl.Float64)
    share = (q.list.set_intersection(w).list.len().cast(pl.Float64) / longer).fill_nan(0.0).fill_null(0.0)
    # a person as the matcher reads the rows' types (:func:`.titles.kind`: Individual a person, Unknown untyped)
    person = _flag((pl.col("kind") == titles.PERSON) | (pl.col("w_kind") == titles.PERSON))
    latin = [pl.col(c).is_in(_FOREIGN) for c in ("q_script", "w_script")]
    # words in two scripts are never spelt alike
    same_script = _flag((pl.col("q_script") == pl.col("w_script")) | (latin[0] & latin[1]))
    # where an initial agrees, the worst word is told without it and the word it begins (W. ~ WEI is no near word)
    low = pl.when(pl.col(SHARED[0])).then(pl.min_horizontal(_num("worded_q"), _num("worded_w")))
    near_word = _flag(low.otherwise(pl.min_horizontal(_num("low_q"), _num("low_w"))) < NEAR_WORD)
    return {
        "spelt_share": share * same_script,
        "near_word": near_word,
        "person_near_word": person * near_word,
        "person": person,
        "person_inexact": person * (1.0 - share) * same_script,
        "short_inexact": _flag((pl.col("q_glued").str.len_chars() <= 8) & (pl.col("q_core") != pl.col("w_core"))),
    }


def _script_features() -> dict[str, pl.Expr]:
    """Return the features of the scripts both names are written in."""
    foreign = [pl.col(c).is_in(_FOREIGN).not_() for c in ("q_script", "w_script")]
    syllabic = [pl.col(c).is_in(["Chinese", "Japanese", "Korean"]) for c in ("q_script", "w_script")]
    return {
        "abjad": _flag(pl.col("q_abjad") | pl.col("w_abjad")),
        "other_script": _flag(foreign[0] | foreign[1]),
        "cross_script": _flag(foreign[0] != foreign[1]),
        "both_syllabic": _flag(syllabic[0] & syllabic[1]),
    }


def _qualifier_features() -> dict[str, pl.Expr]:
    """Return the graded qualifier features (country, birth date, entity type) as indicators.

    An agreeing qualifier counts in proportion to how close the names already are (nothing below
    ``AGREE_FROM``): a shared birth year makes a near name likelier, not an unlike one. A country
    agreeing counts only where the birth years do not contradict (more than a year apart).
    """
    country, birth, schema = (pl.col(c) for c in qualifiers.ADJUSTMENTS)
    close = ((_num("base") - AGREE_FROM) / (1.0 - AGREE_FROM)).clip(0.0, 1.0)
    few = birth.is_in([qualifiers.BIRTH_FEW, qualifiers.BIRTH_FEW_CLASH])  # the model weighs a few years as one
    contradicts = few | (birth == qualifiers.BIRTH_FAR)
    # the qualifiers grade a query's day against the list's other full dates (near) where the list gives its year
    # as a year only (1960, or 1960-01-01): that year agrees (the fit weighed near -2.1 and lost listed people)
    near, listed = birth == qualifiers.BIRTH_NEAR, pl.col(SHARED[1]).fill_null(value=False)
    return {
        "country_agrees": _flag(country == qualifiers.COUNTRY_AGREE) * close * _flag(~contradicts),
        "country_differs": _flag(country == qualifiers.COUNTRY_DIFFER),
        "birth_same_day": _flag(birth == qualifiers.BIRTH_SAME_DAY) * close,
        "birth_year_agrees": _flag((birth == qualifiers.BIRTH_AGREE) | near & listed) * close,
        "birth_near": _flag(near & ~listed),
        "birth_few_years": _flag(few),
        "birth_far": _flag(birth == qualifiers.BIRTH_FAR),
        "schema_clash": _flag(schema == qualifiers.SCHEMA_CLASH),
        "weak_alias": _flag(pl.col("strength") == "weak"),
    }


def _rival_features() -> dict[str, pl.Expr]:
    """Return how far a pair lies behind its query row's (``pos``) best, and how many rival entities are near it.

    Behind by the hand's qualified score: a listed person whose name another entity's outranks but whose birth date
    and country agree (``JO, Chol`` born on his listed day) is not behind.
    """
    base = _num("base")
    best = base.max().over("pos")
    # other entities with a name this close (nulls, the names further off, count once in n_unique)
    near, far = pl.when(best - base <= RIVAL_GAP).then(pl.col("entity_id")), best - base > RIVAL_GAP
    hand = _num("hand")
    return {
        "behind_best": hand.max().over("pos") - hand,
        "rivals": (near.n_unique().over("pos") - far.any().over("pos").cast(pl.Int64) - 1).clip(0, 3).cast(pl.Float64),
    }


# the sign a feature's weight must take where "more alike" or "agrees" is plain: the fit leaves out a
# feature it would weigh the other way (a feature saying "more similar" must never lower the score)
DIRECTIONS: Final[dict[str, int]] = {
    **dict.fromkeys(["base", "cov_min", "cov_max", "low_min", "sorted_ratio", "glued_ratio", "spelt_share"], 1),
    **dict.fromkeys([f"base_over_{k}" for k in HINGES] + [f"low_over_{k}" for k in LOW_HINGES], 1),
    **dict.fromkeys(["same_core", "same_skeleton", "country_agrees", "birth_same_day", "birth_year_agrees"], 1),
    **dict.fromkeys(["hand_score", *[f"hand_over_{k}" for k in HAND_HINGES], "initial_agrees"], 1),
    **dict.fromkeys(["penalty", "token_gap", "numbers_differ", "number_one_side", "legal_clash"], -1),
    **dict.fromkeys(["patronym_swapped", "country_differs", "birth_near", "birth_few_years", "birth_far"], -1),
    **dict.fromkeys(["schema_clash", "behind_best", "named_in_full"], -1),
    # an acronym's pair aligns few letters: only its flag tells it from an unlike name
    "acronym": 1,
    # a name near several listed entities is no less likely listed: the fit weighed it down only because
    # ``list_others`` counts an alert on a branch of the queried entity as false, and it cost the
    # generator benchmark's list recall (AL-AQSA FOUNDATION ~ its branches)
    "rivals": 1,
}


# the similarities a pair has more or less of, told from their fit mean; every other feature (a flag, a hinge, a
# distance behind the best) is 0 where absent and told from 0, so it never shows against its weight's sign
FROM_MEAN: Final = frozenset(
    ["base", "cov_min", "cov_max", "low_min", "sorted_ratio", "glued_ratio", "spelt_share", "hand_score"]
)


# the features a qualified row takes as its named pair has them (the pair's alignment, words, scripts and parties);
# :func:`ranges` bounds every other
PAIR_FEATURES: Final = frozenset(
    {
        *["cov_min", "cov_max", "low_min", *[f"low_over_{k}" for k in LOW_HINGES], "sorted_ratio", "glued_ratio"],
        *["one_token", "token_gap", "short_name", "same_core", "same_skeleton", "reordered", "form_words_gone"],
        *["legal_clash", "acronym", "initial_agrees", "near_word", "person_near_word", "person", "short_inexact"],
        *["abjad", "other_script", "cross_script", "both_syllabic"],
    }
)
CEILING_SLACK: Final = 1e-6  # the probability is rounded to 9 places: a ceiling this far below a threshold may reach it


def ranges(lift: pl.Expr) -> dict[str, tuple[pl.Expr, pl.Expr]]:
    """Return the least and most each feature outside ``PAIR_FEATURES`` takes on any qualified row of a named pair.

    ``lift``: the most the qualifiers of the pair's query rows add (0: no row has a country or a birth date, so
    none agrees). A row only lowers its pair's base and name score (:func:`.in_full.lowered`,
    :func:`.common_words.unlifted`: the penalty stays within 0 and the base); its hand score is its name score
    plus its qualifiers; the rival features read other rows. The token-set and number features, which cost most
    to evaluate, are taken at their range too.
    """
    base, score, zero, one = _num("base"), _num("name_score"), pl.lit(0.0), pl.lit(1.0)
    hand = (score + lift).clip(0.0, 1.0)
    close = pl.when(lift > 0).then(((base - AGREE_FROM) / (1.0 - AGREE_FROM)).clip(0.0, 1.0)).otherwise(0.0)
    flags = ["country_differs", "birth_near", "birth_few_years", "birth_far", "schema_clash", "weak_alias"]
    flags += ["named_in_full", "spelt_share", "person_inexact", "numbers_differ", "number_one_side", "patronym_swapped"]
    return {
        "base": (zero, base),
        **{f"base_over_{k}": (zero, (base - k).clip(lower_bound=0.0)) for k in HINGES},
        "penalty": (zero, base),
        "hand_score": (zero, hand),
        **{f"hand_over_{k}": (zero, (hand - k).clip(lower_bound=0.0)) for k in HAND_HINGES},
        **dict.fromkeys(["country_agrees", "birth_same_day", "birth_year_agrees"], (zero, close)),
        **dict.fromkeys(flags, (zero, one)),
        "behind_best": (zero, one),
        "rivals": (zero, pl.lit(3.0)),
    }


def features() -> dict[str, pl.Expr]:
    """Return every named feature of a qualified pair, in the model's order."""
    return (
        _name_features()
        | _hand_features()
        | _token_features()
        | _script_features()
        | _qualifier_features()
        | _rival_features()
    )


@dataclass(frozen=True)
class NameModel:
    """Fitted logistic weights over named features, with their provenance."""

    weights: dict[str, float]
    intercept: float
    threshold: float  # the default threshold chosen on the fit split
    means: dict[str, float]  # each feature's mean on the fit rows: contributions are told from there
    meta: dict[str, Any]

    def logit(self, evaluated: Iterable[str] = ()) -> pl.Expr:
        """Return the model's log-odds of a pair, from its features (those named in ``evaluated`` read as columns)."""
        feats = features() | {name: pl.col(name) for name in evaluated}
        # a feature weighed 0 adds exactly 0 (every feature is finite): it is not evaluated
        terms = [feats[name] * weight for name, weight in self.weights.items() if weight]
        return pl.sum_horizontal([pl.lit(self.intercept), *terms])

    def ceiling(self, lift: pl.Expr) -> pl.Expr:
        """Return the most log-odds any qualified row of a named pair reaches, each ranged feature at its best end."""
        feats, bounds = features(), ranges(lift)
        terms = [
            feats[name] * weight
            if name in PAIR_FEATURES
            else pl.max_horizontal(bounds[name][0] * weight, bounds[name][1] * weight)
            for name, weight in self.weights.items()
            if weight
        ]
        return pl.sum_horizontal([pl.lit(self.intercept), *terms])

    def may_reach(self, lift: pl.Expr, threshold: float) -> pl.Expr:
        """Return whether a qualified row of a named pair may score ``threshold`` (its qualifiers adding ``lift``)."""
        return 1.0 / (1.0 + (-self.ceiling(lift)).exp()) >= threshold - CEILING_SLACK

    def probability(self, evaluated: Iterable[str] = ()) -> pl.Expr:
        """Return the calibrated probability that a pair names one entity, to 9 places (``evaluated`` as in logit)."""
        # a feature summed over a query's rows can differ in its last bit with the order the threads
        # added them in: the probability is rounded as :func:`.match._top` ranks, so runs repeat exactly
        return (1.0 / (1.0 + (-self.logit(evaluated)).exp())).round(9)

    def origin(self, name: str) -> float:
        """Return where a feature's contribution is told from: a similarity's fit mean, anything else's absence (0)."""
        return self.means.get(name, 0.0) if name in FROM_MEAN else 0.0

    def rivals(self) -> dict[str, pl.Expr]:
        """Return the rival features the model weighs, which read all a query row's pairs (as its score reads them)."""
        return {name: expr for name, expr in _rival_features().items() if self.weights.get(name)}

    def carried(self, evaluated: Iterable[str] = ()) -> pl.Expr:
        """Return the text naming the features that moved a pair's log-odds most (a similarity from its fit mean).

        A feature named in ``evaluated`` is read from its column of that name, evaluated before rows were dropped.
        """
        feats = features() | {name: pl.col(name) for name in evaluated}
        parts = [
            pl.struct(name=pl.lit(name), c=pl.when(feats[name] != 0).then((feats[name] - self.origin(name)) * weight))
            for name, weight in self.weights.items()
            if weight
        ]
        contribution = pl.element().struct.field("c")
        ranked = pl.concat_list(parts).list.eval(pl.element().sort_by(contribution.abs(), descending=True))
        top = ranked.list.eval(pl.element().filter(contribution.round(1).fill_null(0.0) != 0)).list.head(SHOWN)
        shown = top.list.eval(
            pl.element().struct.field("name")
            + pl.lit(" ")
            + pl.element().struct.field("c").round(1).cast(pl.String).str.replace(r"^(\d)", "+$1")
        )
        return pl.lit("model: ") + shown.list.join(", ")


def from_json(data: dict[str, Any], where: str) -> NameModel:
    """Return a model from its JSON document, or raise ConfigError naming ``where`` and what is wrong."""
    try:
        names, weights = list(data["features"]), [float(w) for w in data["weights"]]
        intercept, threshold = float(data["intercept"]), float(data["default_threshold"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: not a name model ({exc})") from None
    unknown = sorted(set(names) - set(features()))
    if unknown or len(names) != len(weights):
        raise ConfigError(f"{where}: unknown features {unknown} or {len(weights)} weights for {len(names)} features")
    means = {str(k): float(v) for k, v in data.get("means", {}).items()}
    meta = {k: v for k, v in data.items() if k not in ("features", "weights", "intercept", "means")}
    return NameModel(dict(zip(names, weights, strict=True)), intercept, threshold, means, meta)


@cache
def shipped() -> NameModel:
    """Return the model shipped with the package."""
    text = resources.files("screening.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return from_json(json.loads(text), f"screening/data/{MODEL_FILE}")


Scorer: TypeAlias = "NameModel | Literal['shipped', 'model', 'hand'] | None"


def scorer_model(model: Scorer) -> NameModel | None:
    """Return the model a ``model`` argument names ("shipped"/"model": the shipped one; None/"hand": by hand)."""
    if not isinstance(model, str):
        return model
    if model not in {SHIPPED, *SCORERS}:
        raise ValueError(f"model: {model!r} is not a NameModel, None or one of {SHIPPED}, {', '.join(SCORERS)}")
    return HAND if model == "hand" else shipped()


def named_scorer(name: str) -> NameModel | None:
    """Return the model of a scorer's name ("model": the shipped one, "hand": None), or raise ValueError."""
    if name not in SCORERS:
        raise ValueError(f"scorer: {name!r} is not one of {', '.join(SCORERS)}")
    return shipped() if name == "model" else HAND


def own_threshold(model: NameModel | None, threshold: float | None = None) -> float:
    """Return ``threshold``, or where it is None the scorer's own default (the model's, or the hand scorer's)."""
    if threshold is not None:
        return threshold
    return HAND_THRESHOLD if model is None else model.threshold


@cache
def shipped_sha256() -> str:
    """Return the sha256 of the shipped model file: the version its thresholds were chosen for."""
    return hashlib.sha256(resources.files("screening.data").joinpath(MODEL_FILE).read_bytes()).hexdigest()


def scorer_label(model: NameModel | None) -> str:
    """Return the name of the scorer ``model`` stands for: "hand", or the model with its file's sha256."""
    if model is None:
        return "hand"
    return f"model {MODEL_FILE} sha256:{shipped_sha256()}" if model is shipped() else "model (not the shipped one)"


def model_threshold() -> float:
    """Return the shipped model's default threshold."""
    return shipped().threshold
