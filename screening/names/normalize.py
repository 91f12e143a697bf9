"""Normal form of names, the same function for list names and screened names.

Pipeline, in this order, on each distinct (value, kind) of a batch (see :func:`.titles.kind`):

1. cut to ``MAX_CHARS`` characters, Unicode NFKC (full-width letters, ligatures, compatibility
   forms become plain letters);
2. script detection (Cyrillic, Greek, Arabic, Chinese …) for the explanation;
3. look-alike repair inside mixed-script words, then transliteration to ASCII with ``anyascii``
   (diacritics go, pinyin for Chinese) — one Python call per distinct non-ASCII value;
4. case folding to upper case, ``&`` → ``AND``, apostrophes dropped, other punctuation → space;
5. identifiers lifted out (INN, KPP, OGRN, IMO, LEI, BIC; see :mod:`.identifiers`), number words
   made digits and abbreviations words (see :mod:`.words`), titles opening a person's name
   dropped (rows of kind Person or of no type; see :mod:`.titles`);
6. legal forms at either edge separated and classed (see :mod:`.legal_forms`); a name that is
   nothing but a legal form keeps it as its core; where the forms would leave one letter and
   cutting only those written in words (LLC) leaves three single letters or more, these are the
   core (T.S.A. LLC is T S A and LLC, not T and S.A. LLC; I.B.M., S.A.L. are initials: see
   :mod:`.acronyms`); a Person's name loses no word as a legal form (``SMITH, John B M``: B M
   writes בע"מ, Ltd, and is his initials here). A name of no type loses them all: it may be a
   company's, and companies write S.A., S.A.S. and S.A.R.L. in single letters;
7. skeleton (romanisation variants made equal, see :mod:`.phonetic`) and tokens, each with its
   spelling before the skeleton (``spelt``) and the skeleton of its first letter (``heads``: J.
   stands for JOSEPH, whose skeleton is OSEF); legal-form words respelt or misspelt at either
   edge (КОМПАНЙ as KOMPANI, LIMITYED) leave the tokens;
8. tokens sorted (word order made irrelevant) and the glued form (spacing made irrelevant), also with
   ordinal tokens spelt out (``spelt_glued``: 1ST BANK glues as 1STBANK and FIRSTBANK, see
   :func:`.words.glued_ordinals`);
9. ``abjad``: whether the name was written in a script that leaves short vowels out (Arabic,
   Persian, Hebrew), whose words the scorer also compares by their consonants.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import numpy as np
import polars as pl

from screening.names import identifiers, legal_forms, numbers, phonetic, script, titles, words

MAX_CHARS: Final = 300
NORM_COLUMNS: Final = (
    "raw",
    "kind",
    "script",
    "lookalike",
    "ascii",
    "ids",
    "legal",
    "legal_label",
    "core",
    "skel",
    "tokens",
    "spelt",
    "heads",
    "sorted",
    "glued",
    "spelt_glued",
    "numbers",
    "numeral",
    "opening",
    "abjad",
)
_LEAD, _TRAIL = legal_forms.edge_patterns()
# runs of forms written in words (LLC), for initials the lettered ones would cut (T S A LLC: T, S A LLC)
WORD_LEAD, WORD_TRAIL = legal_forms.edge_patterns(lettered=False)
INITIALS: Final = r"^[A-Z](?: [A-Z]){2,}$"  # three single letters or more
# initials, the fewest first, and the lettered forms after them (C A D S A: C A D, S A)
LETTERED_TRAIL: Final = r"^([A-Z](?: [A-Z]){2,}?)((?: (?:" + "|".join(legal_forms.spellings()) + r"))*)$"
_FORM_ALT: Final = r"\b(?:" + "|".join(legal_forms.spellings()) + r")\b"


def _scripts(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``script`` and ``lookalike`` (mixed-script words), looking only at the names not in plain ASCII."""
    other = np.flatnonzero((~frame["nfkc"].str.contains(r"^[\x00-\x7f]*$")).to_numpy())
    if other.size == 0:  # most small batches: plain ASCII names only
        return frame.with_columns(script=pl.lit("ASCII", pl.String), lookalike=pl.lit(value=False))
    found = frame[other].select(
        script=script.script_expr("nfkc"), lookalike=pl.col("nfkc").str.contains(script.MIXED_WORD)
    )
    return frame.with_columns(
        script=pl.repeat("ASCII", frame.height, dtype=pl.String, eager=True).scatter(other, found["script"]),
        lookalike=pl.repeat(False, frame.height, dtype=pl.Boolean, eager=True).scatter(other, found["lookalike"]),
    )


def _folded(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``ascii``: the transliterated name, folding only the non-ASCII values (people's without titles)."""
    other = np.flatnonzero((frame["script"] != "ASCII").to_numpy())
    if not other.size:
        return frame.with_columns(ascii="nfkc")
    part = frame[other]
    return frame.with_columns(ascii=frame["nfkc"].scatter(other, script.fold_series(part["nfkc"], part["kind"])))


@cache  # expressions are built once: building them costs more than running them on a few names
def _clean_exprs() -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Return the cleaned name, its identifiers, and the cleaned name without them."""
    clean = (
        pl.col("ascii")
        .str.to_uppercase()
        .str.replace_all("&", " AND ")
        .str.replace_all(r"['`’]", "")
        .str.replace_all(r"[^A-Z0-9]+", " ")
        .str.strip_chars()
    )
    # the cleaned name has single spaces and no edge spaces already: only names with identifiers change
    stripped = identifiers.strip_identifiers("clean").str.replace_all(" +", " ").str.strip_chars()
    unlifted = pl.when(pl.col("ids").list.len() > 0).then(stripped).otherwise("clean")
    return clean, identifiers.identifiers_expr("clean"), unlifted


def _edge(edge: pl.Expr) -> pl.Expr:
    """Return an edge run of legal forms as the row's kind reads it: none in a Person's name."""
    return pl.when(pl.col("kind") == titles.PERSON).then(pl.lit("")).otherwise(edge)


def _cleaned(frame: pl.DataFrame) -> pl.DataFrame:
    """Upper-case, strip punctuation, lift identifiers out and drop the titles opening people's formless names."""
    clean, ids, stripped = _clean_exprs()
    frame = frame.with_columns(clean=clean).with_columns(ids=ids)
    frame = frame.with_columns(clean=stripped)
    abjad = frame["script"].is_in(list(script.ABJADS))
    # an abjad's consonants can spell an abbreviation (مهد is MHD); a person's name holds no misspelt ordinal
    expanded = words.expand(frame["clean"], ~abjad, frame["kind"] != titles.PERSON)
    # only the few people's names a title opens look for legal forms here
    todo = np.flatnonzero(
        (expanded.str.contains(titles.HELD).fill_null(value=False) & frame["person"] & ~abjad).to_numpy()
    )
    untitled = pl.repeat(False, frame.height, dtype=pl.Boolean, eager=True)
    if todo.size:
        lead, trail = (_edge(pl.col("x").str.extract(pattern, 1).fill_null("")) for pattern in (_LEAD, _TRAIL))
        held = frame[todo].with_columns(x=expanded.gather(todo))
        untitled = untitled.scatter(todo, held.select((lead == "") & (trail == "")).to_series())
    return frame.with_columns(clean=titles.drop(expanded, untitled, frame["kind"] == titles.PERSON))


def _cut(lead: pl.Expr, trail: pl.Expr) -> pl.Expr:
    """Return the cleaned name between edge runs of legal forms."""
    clean = pl.col("clean")
    return clean.str.slice(
        lead.str.len_bytes(), clean.str.len_bytes() - lead.str.len_bytes() - trail.str.len_bytes()
    ).str.strip_chars()


@cache
def _legal_exprs() -> tuple[list[pl.Expr], list[pl.Expr], list[pl.Expr]]:
    """Return the steps of :func:`_legal` around :func:`_initials`: edge forms, core and forms, forms found."""
    lead = _edge(pl.col("clean").str.extract(_LEAD, 1).fill_null(""))
    trail = _edge(pl.col("clean").str.extract(_TRAIL, 1).fill_null(""))
    return (
        [lead.alias("lead"), trail.alias("trail")],
        [_cut(pl.col("lead"), pl.col("trail")).alias("core"), (pl.col("lead") + " " + pl.col("trail")).alias("forms")],
        [
            pl.when(pl.col("core") == "").then(pl.col("clean")).otherwise(pl.col("core")).alias("core"),
            pl.col("forms").str.extract_all(_FORM_ALT).alias("found"),
        ],
    )


@cache
def _class_exprs() -> list[pl.Expr]:
    """Return the legal-form classes and label of the forms found."""
    found = pl.element()
    return [
        pl.col("found")
        .list.eval(
            found.replace_strict(legal_forms.form_classes(), return_dtype=pl.List(pl.String)).list.explode(
                keep_nulls=False, empty_as_null=False
            )
        )
        .list.unique()
        .list.sort()
        .alias("legal"),
        pl.col("found")
        .list.eval(found.replace_strict(legal_forms.form_label()))
        .list.unique(maintain_order=True)
        .list.join(" ")
        .alias("legal_label"),
    ]


def _initials(frame: pl.DataFrame) -> pl.DataFrame:
    """Read as the core the initials that lettered legal forms would leave one letter of (T.S.A. LLC: T S A, LLC).

    Where cutting only the forms written in words leaves three single letters or more, the fewest
    three or more the lettered forms closing them leave are the core (C.A.D. S.A.: C A D, S.A.),
    the forms cut its legal form; else the one letter stays (a Person's name is cut nowhere).
    """
    todo = np.flatnonzero((frame["core"].str.len_bytes() == 1).to_numpy())
    if not todo.size:
        return frame
    lead, trail = (_edge(pl.col("clean").str.extract(edge, 1).fill_null("")) for edge in (WORD_LEAD, WORD_TRAIL))
    part = frame[todo].select(lead=lead, trail=trail, letters=_cut(lead, trail))
    initials = part["letters"].str.contains(INITIALS).to_numpy()
    part = part.filter(initials)
    lettered = pl.col("letters").str.extract(LETTERED_TRAIL, 2).fill_null("")
    part = part.select(
        core=pl.col("letters").str.extract(LETTERED_TRAIL, 1),
        forms=pl.concat_str("lead", lettered, "trail", separator=" "),
    )
    keep = todo[initials]
    return frame.with_columns(
        core=frame["core"].scatter(keep, part["core"]), forms=frame["forms"].scatter(keep, part["forms"])
    )


def _legal(frame: pl.DataFrame) -> pl.DataFrame:
    """Separate the legal forms at the edges of the cleaned name into ``legal`` and ``core``."""
    edges, core, forms = _legal_exprs()
    frame = _initials(frame.with_columns(edges).with_columns(core))
    return frame.with_columns(forms).with_columns(_class_exprs())


def _edge_runs(tokens: pl.Series) -> pl.DataFrame | None:
    """Return (cut_lead, cut_trail, whole): how many respelt or misspelt legal-form words start and end each list.

    ``whole``: the list is nothing but such words (and keeps them all). None when no name starts or
    ends with such a word (most batches of a few names: nothing to cut).
    """
    first, last = tokens.list.first(), tokens.list.last()
    edges = legal_forms.edge_form_words(pl.concat([first, last])).implode()
    # only the few names with such a word at an edge go through the list evaluation
    touched = (first.is_in(edges) | last.is_in(edges)).fill_null(value=False)
    if not touched.any():
        return None
    frame = tokens.to_frame("t").with_row_index("i")
    inner = legal_forms.edge_form_words(frame.filter(touched)["t"].explode()).implode()
    flag = pl.element().is_in(inner).cast(pl.Int32)
    runs = frame.filter(touched).select(
        "i",
        cut_lead=pl.col("t").list.eval(flag.cum_min().sum()).list.first(),
        cut_trail=pl.col("t").list.eval(flag.reverse().cum_min().sum()).list.first(),
        n=pl.col("t").list.len().cast(pl.Int32),
    )
    # a name that is nothing but such words keeps them all
    runs = runs.with_columns(whole=pl.col("cut_lead") >= pl.col("n")).with_columns(
        pl.when(pl.col("whole")).then(0).otherwise(pl.col(c)).alias(c) for c in ("cut_lead", "cut_trail")
    )
    rest = frame.filter(~touched).select(
        "i", cut_lead=pl.lit(0, pl.Int32), cut_trail=pl.lit(0, pl.Int32), whole=pl.lit(value=False)
    )
    return pl.concat([rest, runs.drop("n")], how="vertical_relaxed").sort("i").select("cut_lead", "cut_trail", "whole")


def _cuts(tokens: pl.Series) -> pl.DataFrame | None:
    """Return (cut_lead, cut_trail): the legal-form words and misspelt forms at each token list's edges, or None.

    The longer of the two cuts at each edge, unless together they leave no word or the list is nothing
    but legal-form words (then the words' cut).
    """
    runs, spelt = _edge_runs(tokens), legal_forms.spelt_runs(tokens)
    if spelt is None:
        return None if runs is None else runs.drop("whole")
    zero = pl.repeat(0, tokens.len(), dtype=pl.Int32, eager=True)
    words = runs if runs is not None else pl.DataFrame({"cut_lead": zero, "cut_trail": zero, "whole": zero == 1})
    both = pl.concat([words, spelt, tokens.list.len().cast(pl.Int32).to_frame("n")], how="horizontal")
    lead, trail = pl.max_horizontal("cut_lead", "spelt_lead"), pl.max_horizontal("cut_trail", "spelt_trail")
    over = (lead + trail >= pl.col("n")) | pl.col("whole")
    return both.select(
        cut_lead=pl.when(over).then("cut_lead").otherwise(lead).cast(pl.Int32),
        cut_trail=pl.when(over).then("cut_trail").otherwise(trail).cast(pl.Int32),
    )


@cache
def _key_exprs() -> tuple[pl.Expr, list[pl.Expr], pl.Expr, pl.Expr, list[pl.Expr], list[pl.Expr]]:
    """Return the steps of :func:`_keys`: skeleton, tokens and spelling, spelling kept, heads, the cut, the forms."""
    skel = phonetic.skeleton(pl.col("core")).alias("skel")
    tokens = pl.col("skel").str.split(" ").list.eval(pl.element().filter(pl.element() != ""))
    spelt = pl.col("core").str.split(" ").list.eval(pl.element().filter(pl.element() != ""))
    kept_spelt = pl.when(pl.col("spelt").list.len() == pl.col("tokens").list.len()).then("spelt").otherwise("tokens")
    # the skeleton of a word's first letter as spelt: J in JOSEPH (OSEF) and K in KHAMIS (HAMIS) stay initials
    heads = pl.col("spelt").list.eval(phonetic.skeleton(pl.element().str.slice(0, 1))).alias("heads")
    kept = pl.col("tokens").list.len() - pl.col("cut_lead") - pl.col("cut_trail")
    forms = [
        pl.col("tokens").list.eval(pl.element().sort()).list.join(" ").alias("sorted"),
        pl.col("tokens").list.join("").alias("glued"),
        numbers.numeral(pl.col("core"), pl.col("kind"), pl.col("raw")).alias("numeral"),
    ]
    cut = [pl.col(c).list.slice(pl.col("cut_lead"), kept) for c in ("tokens", "spelt", "heads")]
    return skel, [tokens.alias("tokens"), spelt.alias("spelt")], kept_spelt.alias("spelt"), heads, cut, forms


def _keys(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the skeleton, tokens (with their spelling and head), sorted and glued forms and the numbers of the core."""
    skel, tokens, spelt, heads, cut, forms = _key_exprs()
    frame = frame.with_columns(skel).with_columns(tokens).with_columns(spelt).with_columns(heads)
    runs = _cuts(frame["tokens"])
    if runs is not None:
        person = frame["kind"] == titles.PERSON  # a Person's name loses no word as a legal form
        runs = runs.with_columns(pl.when(person).then(0).otherwise(pl.col(c)).alias(c) for c in runs.columns)
        frame = pl.concat([frame, runs], how="horizontal").with_columns(cut)
    frame = frame.with_columns(forms).hstack(numbers.read(frame))
    return frame.with_columns(spelt_glued=words.spelt_glued(frame["tokens"], frame["spelt"], frame["glued"]))


def normalize_names(names: pl.Series, kinds: pl.Series | None = None) -> pl.DataFrame:
    """Return the normal form of each distinct non-null name and its row's kind, keyed by ``raw`` and ``kind``.

    ``kinds``: each name's :func:`.titles.kind` (its row's entity type), OTHER where not given: a
    Person's name or one of no type loses its opening titles, a Person's keeps its edge words.
    """
    given = pl.repeat(titles.OTHER, names.len(), dtype=pl.String, eager=True) if kinds is None else kinds
    # first-seen order: a list name's wid breaks blocking ties, so it must not change from build to build
    rows = pl.DataFrame({"raw": names.cast(pl.String), "kind": given.cast(pl.String).fill_null(titles.OTHER)})
    frame = (
        rows.drop_nulls("raw")
        .unique(maintain_order=True)
        .with_columns(
            person=pl.col("kind") != titles.OTHER,
            nfkc=pl.col("raw").str.slice(0, MAX_CHARS).str.normalize("NFKC"),
        )
    )
    frame = _keys(_legal(_cleaned(_folded(_scripts(frame)))))
    return frame.with_columns(abjad=pl.col("script").is_in(list(script.ABJADS))).select(NORM_COLUMNS)
