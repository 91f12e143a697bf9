"""Legal forms of companies: the spellings recognised and the class each belongs to.

Two sources: the project's own table (``LEGAL_FORMS``, with the Russian, Chinese and Turkish
forms the screened ledgers use) and the company forms of rigour's organisation types (MIT,
OpenSanctions; long and short forms in many languages, derived into ``data/legal_forms.csv`` by
:mod:`.derive_forms`). A derived spelling takes the class of its short form in the project's
table where that has it (LIMTED is LTD, AKTIEBOLAG is AB), else rigour's generic type. One legal form has one class
in all three tables: ``python -m screening.names.derive_audit`` lists the forms whose spellings do not.

Forms are matched on the transliterated, upper-case, punctuation-free name, at either edge of
the name only (a short form such as ``AO`` or ``SA`` inside a name is a word, not a form). The
class lets ``OOO Romashka`` and ``Romashka LLC`` agree while ``AO`` and ``OOO`` differ; a form
English names with another class's form (KK: Co., Ltd.) is in both (:data:`ALSO_CLASSES`), and two
forms agree where their classes meet. Words of
legal forms respelt or misspelt (КОМПАНЙ as KOMPANI, LIMITYED) are recognised on skeletons by
:func:`edge_form_words`, for the normaliser to take off the edges of a name's tokens; a derived
form misspelt as a whole (YOUXIAN GONJSI), whose words are name words too often to be taken
alone, by :func:`spelt_runs`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from screening.names.parallel import workers
from screening.names.phonetic import skeleton

# words of legal forms that are also ordinary name words
NOT_FORMS: Final = frozenset({"SAN", "YOU", "REN", "FEN", "GONG", "XIAN", "OPEN", "PUBLIC", "PRIVATE", "CLOSED", "TIC"})
# a name's edge word at least this long and this alike to a legal-form word is one, misspelt
EDGE_EXACT_MIN: Final = 4
EDGE_FUZZY_MIN: Final = 6
EDGE_FUZZY: Final = 85.0
# a run of words at a name's edge this alike to a legal form of as many words is that form, misspelt
SPELT_FUZZY: Final = 85.0
SPELT_MIN: Final = 12  # the characters of the forms so recognised (initials and short forms are not)
# ordinary business words close to a legal-form word (PARTNERS ~ PARTNERSHIP), as skeletons
NOT_EDGE_FORMS: Final = frozenset({"PARTNER", "PARTNERS"})
# name words alike to a legal-form word (GAMES UNLIMITED OOD ~ LIMITED), never read as it misspelt, as spelt
OTHER_WORDS: Final = frozenset({"UNLIMITED"})
# a form word held whole with this many letters or more added is another word (DELIMITED), unless a spelling's
AFFIXED: Final = 2

# class -> spellings (after transliteration; Cyrillic and Chinese forms appear in Latin letters).
LEGAL_FORMS: Final[dict[str, tuple[str, ...]]] = {
    "LLC": (
        "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTIU",
        "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU",
        "OBSHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU",
        "TOVARYSTVO Z OBMEZHENOIU VIDPOVIDALNISTIU",
        "LIMITED LIABILITY COMPANY",
        "LIMITED LIABILITY PARTNERSHIP",
        "LLC",
        "L L C",
        "OOO",
        "O O O",
        "TOO",
        "TOV",
        "LLP",
        "MCHJ",
        "GMBH",
        "SRL",
        "SARL",
        "SP Z O O",
        "SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA",
        "SRO",
        "S R O",
        "KFT",
        "OOD",
        "EOOD",
        "DOO",
        "D O O",
        "BV",
        "B V",
        "LTDA",
    ),
    "JSC": (
        "AKTSIONERNOE OBSHCHESTVO",
        "AKTSIONERNOYE OBSHCHESTVO",
        "ZAKRYTOE AKTSIONERNOE OBSHCHESTVO",
        "OTKRYTOE AKTSIONERNOE OBSHCHESTVO",
        "PUBLICHNOE AKTSIONERNOE OBSHCHESTVO",
        "JOINT STOCK COMPANY",
        "JOINTSTOCK COMPANY",
        "PUBLIC JOINT STOCK COMPANY",
        "CLOSED JOINT STOCK COMPANY",
        "OPEN JOINT STOCK COMPANY",
        "JSC",
        "PJSC",
        "OJSC",
        "CJSC",
        "PAO",
        "OAO",
        "ZAO",
        "AO",
        "NAO",
        "AG",
        "SA",
        "S A",
        "SAL",
        "S A L",
        "SAC",  # Peru's sociedad anónima cerrada, often written without its dots (ELF has S A C only as SAC)
        "SPA",
        "S P A",
        "NV",
        "N V",
        "AS",
        "A S",
        "ANONIM SIRKETI",
        "AD",
        "PLC",
        "ASA",
        "AB",
        "OYJ",
        "OY",
        # a kabushiki kaisha is a joint-stock company: 株式会社 writes AO (Kalashnikov Concern's Japanese name)
        "KABUSHIKI KAISHA",
        "KK",
    ),
    "CO LTD": (
        "GU FEN YOU XIAN GONG SI",
        "YOU XIAN ZE REN GONG SI",
        "YOU XIAN GONG SI",
        "YOUXIANGONGSI",
        "COMPANY LIMITED",
        "CO LIMITED",
        "CO LTD",
        "COMPANY LTD",
        "CO",
        "LIMITED",
        "LTD",
        "PTE LTD",
        "PVT LTD",
        "PRIVATE LIMITED",
        "PRIVATE LTD",
        "PTY LTD",
        "SDN BHD",
        "BHD",
        "CORPORATION",
        "CORP",
        "INCORPORATED",
        "INC",
        "COMPANY",
        "SAN VE TIC LTD STI",
        "SAN TIC LTD STI",
        "SAN VE TIC A S",
        "SAN TIC A S",
        "SANAYI VE TICARET LIMITED SIRKETI",
        "SANAYI VE TICARET",
        "SAN VE TIC",
        "SAN TIC",
        "LTD STI",
        "LIMITED SIRKETI",
        "TIC",
        "FZE",
        "FZCO",
        "FZ LLC",
        "DMCC",
        "PT",
        "TBK",
    ),
}

# Spelling -> the short label shown in explanations (the spelling itself for short forms).
_LONG_LABELS: Final[dict[str, str]] = {
    "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTIU": "OOO",
    "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU": "OOO",
    "OBSHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU": "OOO",
    "TOVARYSTVO Z OBMEZHENOIU VIDPOVIDALNISTIU": "TOV",
    "LIMITED LIABILITY COMPANY": "LLC",
    "AKTSIONERNOE OBSHCHESTVO": "AO",
    "AKTSIONERNOYE OBSHCHESTVO": "AO",
    "ZAKRYTOE AKTSIONERNOE OBSHCHESTVO": "ZAO",
    "OTKRYTOE AKTSIONERNOE OBSHCHESTVO": "OAO",
    "PUBLICHNOE AKTSIONERNOE OBSHCHESTVO": "PAO",
    "GU FEN YOU XIAN GONG SI": "有限公司",
    "YOU XIAN ZE REN GONG SI": "有限公司",
    "YOU XIAN GONG SI": "有限公司",
    "YOUXIANGONGSI": "有限公司",
    "COMPANY LIMITED": "CO LTD",
    "CO LIMITED": "CO LTD",
    "O O O": "OOO",
    "L L C": "LLC",
}


# forms named in English with another class's form, by label, in both classes so that either agrees:
# a kabushiki kaisha (KK, 株式会社) is "Co., Ltd." or "Corporation" in English, a limitada "Ltd."
ALSO_CLASSES: Final = {"KK": "CO LTD", "KABUSHIKI KAISHA": "CO LTD", "KABUSIKIGAISYA": "CO LTD", "LTDA": "CO LTD"}

# rigour's generic types kept: company forms (foundations, state bodies and associations are name words here)
DERIVED_CLASSES: Final = {"LLC": "LLC", "LLP": "LLC", "JSC": "JSC", "LP": "LP", "GP": "GP", "SP": "SP"}
# derived spellings that are ordinary words at the edge of a name
NOT_DERIVED: Final = frozenset({"UNLIMITED", "UNLTD", "ULTD", "COMPANIA", "LIMITE"})
# a derived form naming what a company does (a bank, trade) is part of its name: a misspelt one would not be cut
_BUSINESS: Final = r"BANK|KOMM?ER|COMMER|TRADE"


def read_derived(name: str) -> pl.DataFrame:
    """Return a derived table (spelling, class, label) without the forms naming a business."""
    table = pl.read_csv(resources.files("screening.data").joinpath(name).read_bytes(), infer_schema=False)
    return table.filter(~pl.col("spelling").str.contains(_BUSINESS))


@cache
def _derived() -> dict[str, tuple[str, str]]:
    """Return spelling -> (class, label) of the derived company forms the project's table lacks.

    rigour's first; then GLEIF's ELF spellings (``legal_forms_elf.csv``, by :mod:`.derive_elf`),
    only company forms and only spellings neither table has, each with its final class.
    """
    own = own_classes()
    out = {}
    for spelling, group, label in read_derived("legal_forms.csv").iter_rows():
        # a spelling whose label the project's table has is that form, whatever rigour's type (AKTIEBOLAG: AB)
        cls = own.get(label) or DERIVED_CLASSES.get(group)
        if spelling in own or spelling in NOT_DERIVED or cls is None:
            continue
        out[spelling] = (cls, label)
    for spelling, group, label in read_derived("legal_forms_elf.csv").iter_rows():
        if spelling not in own and spelling not in out and spelling not in NOT_DERIVED:
            out[spelling] = (group, label)
    return out


@cache
def own_classes() -> dict[str, str]:
    """Return spelling -> class of the project's own table."""
    return {s: cls for cls, forms in LEGAL_FORMS.items() for s in forms}


@cache
def spellings() -> list[str]:
    """Return every spelling, longest first, so alternations prefer the longest form."""
    return sorted(set(own_spellings()) | set(_derived()), key=lambda s: (-len(s), s))


@cache
def own_spellings() -> list[str]:
    """Return the spellings of the project's own table, longest first.

    Only these lend their words to the respelt and misspelt forms found word by word (the
    derived long forms hold words such as BANK or CAPITAL that are name words far more often).
    """
    every = {s for forms in LEGAL_FORMS.values() for s in forms}
    return sorted(every, key=lambda s: (-len(s), s))


@cache
def form_class() -> dict[str, str]:
    """Return the class of every spelling."""
    derived = {s: cls for s, (cls, _) in _derived().items()}
    return derived | own_classes()


@cache
def form_classes() -> dict[str, list[str]]:
    """Return the classes of every spelling: its class, and the one :data:`ALSO_CLASSES` gives its label."""
    labels = form_label()
    return {s: sorted({cls, ALSO_CLASSES.get(labels[s], cls)}) for s, cls in form_class().items()}


@cache
def form_label() -> dict[str, str]:
    """Return the label shown in explanations for every spelling."""
    derived = {s: label for s, (_, label) in _derived().items()}
    return {s: _LONG_LABELS.get(s, derived.get(s, s)) for s in spellings()}


def edge_patterns(*, lettered: bool = True) -> tuple[str, str]:
    """Return regexes capturing the run of legal forms at the start and at the end of a name.

    ``lettered=False``: only forms of words of two letters or more (LLC, not S A or A G).
    """
    alt = "|".join(s for s in spellings() if lettered or min(len(w) for w in s.split()) > 1)
    return rf"^((?:(?:{alt}) )+)", rf"((?: (?:{alt}))+)$"


@cache
def form_words() -> list[str]:
    """Return the skeletons of the words legal forms are written with (three letters or more)."""
    words = sorted({w for s in own_spellings() for w in s.split() if len(w) >= 3} - NOT_FORMS)
    return pl.DataFrame({"w": words}).select(skeleton(pl.col("w")))["w"].unique().sort().to_list()


@cache
def misspelt_forms() -> dict[int, list[str]]:
    """Return word count -> the skeletons of the forms recognised misspelt as a whole (YOUXIAN GONJSI).

    Every derived spelling (rigour's and ELF's) of two words or more and ``SPELT_MIN`` characters
    without a one-letter word: their words (GONGSI, MINERA) are name words too often to be forms
    on their own, as the project's own table's are (those are recognised word by word).
    """
    long = [s for s in _derived() if " " in s and len(s) >= SPELT_MIN and min(len(w) for w in s.split()) > 1]
    skel = pl.DataFrame({"s": long}).select(skeleton(pl.col("s")))["s"].to_list()
    out: dict[int, set[str]] = {}
    for form in skel:
        words = [w for w in form.split(" ") if w]
        out.setdefault(len(words), set()).add(" ".join(words))
    return {k: sorted(forms) for k, forms in sorted(out.items()) if k > 1}


@cache
def misspelt_words() -> frozenset[str]:
    """Return the words of four letters or more of :func:`misspelt_forms`: a run is looked at only holding one."""
    return frozenset(w for forms in misspelt_forms().values() for s in forms for w in s.split(" ") if len(w) >= 4)


@cache
def other_words() -> list[str]:
    """Return the skeletons of :data:`OTHER_WORDS`."""
    return pl.DataFrame({"w": sorted(OTHER_WORDS)}).select(skeleton(pl.col("w")))["w"].to_list()


@cache
def spelling_words() -> list[str]:
    """Return the skeletons of the spellings' words of five letters or more and of the spellings glued whole."""
    words = {w for s in spellings() for w in s.split() if len(w) >= 5} | {s.replace(" ", "") for s in spellings()}
    return pl.DataFrame({"w": sorted(words)}).select(skeleton(pl.col("w")))["w"].unique().sort().to_list()


def other_word(token: str) -> bool:
    """Return whether a skeleton token alike to a legal-form word is another word.

    It is where it is nearer one of :data:`OTHER_WORDS` than any form word, or holds a form word of five letters
    or more with :data:`AFFIXED` letters added and is no spelling's word itself (INCORPORATION, ANONIMAS are).
    """
    forms = [w for w in form_words() if len(w) >= 5]
    other = process.extractOne(token, other_words(), scorer=fuzz.ratio)
    if other is not None and other[1] > max(fuzz.ratio(token, w) for w in forms):
        return True
    held = [len(w) + AFFIXED for w in forms if w in token and len(token) >= len(w) + AFFIXED]
    if not held:
        return False
    longer = [w for w in spelling_words() if len(w) >= min(held)]
    return process.extractOne(token, longer, scorer=fuzz.ratio, score_cutoff=EDGE_FUZZY) is None


def fuzzy_form(tokens: pl.Series, cutoff: float, min_length: int) -> np.ndarray:
    """Return whether each skeleton token is at least ``cutoff`` alike to a legal-form word of five letters or more.

    Not where it is another word (:func:`other_word`): a misspelling of a form is no word of its own.
    """
    long = [v for v in form_words() if len(v) >= 5]
    if tokens.len() == 0 or not long:
        return np.zeros(tokens.len(), dtype=bool)
    work = workers(tokens.len() * len(long))
    close = process.cdist(tokens.to_list(), long, scorer=fuzz.ratio, workers=work, dtype=np.uint8)
    near: np.ndarray = (close.max(axis=1) >= cutoff) & (tokens.str.len_bytes() >= min_length).to_numpy()
    found = np.flatnonzero(near)  # few tokens are alike to a form: only those are read again
    near[found] = [not other_word(t) for t in tokens.gather(found).to_list()]
    return near


def edge_form_words(tokens: pl.Series) -> pl.Series:
    """Return the distinct skeleton tokens that are legal-form words, respelt or misspelt (KOMPANI, LIMIETD).

    Only words of ``EDGE_EXACT_MIN`` letters or more count (DO and TO are names too), and
    misspelt ones only from ``EDGE_FUZZY_MIN`` letters.
    """
    distinct = tokens.drop_nulls().unique()
    distinct = distinct.filter(~distinct.is_in(sorted(NOT_EDGE_FORMS)))
    exact = distinct.is_in(form_words()).to_numpy() & (distinct.str.len_bytes() >= EDGE_EXACT_MIN).to_numpy()
    return distinct.filter(exact | fuzzy_form(distinct, EDGE_FUZZY, EDGE_FUZZY_MIN))


def spelt_runs(tokens: pl.Series) -> pl.DataFrame | None:
    """Return (spelt_lead, spelt_trail): how many tokens start and end each skeleton token list as a misspelt form.

    The longest run alike to a form of :func:`misspelt_forms`, leaving a word at least; only lists
    with one of the form words among their first or last two tokens are looked at. None: no list has one.
    """
    n = tokens.list.len().fill_null(0)
    ends = [tokens.list.get(i, null_on_oob=True) for i in (0, 1, -1, -2)]
    words = sorted(misspelt_words())
    todo = np.flatnonzero(np.any([e.is_in(words).fill_null(value=False).to_numpy() for e in ends], axis=0))
    out = {"spelt_lead": np.zeros(tokens.len(), dtype=np.int32), "spelt_trail": np.zeros(tokens.len(), dtype=np.int32)}
    if not todo.size:
        return None
    some, size = tokens.gather(todo), n.gather(todo).to_numpy()
    for k, forms in misspelt_forms().items():
        for col, run in (("spelt_lead", some.list.head(k)), ("spelt_trail", some.list.tail(k))):
            joined = run.list.join(" ")
            fits = size > k
            distinct = joined.filter(pl.Series(fits)).unique()
            if distinct.len() == 0:
                continue
            close = process.cdist(distinct.to_list(), forms, scorer=fuzz.ratio, dtype=np.uint8, workers=1)
            alike = distinct.filter(pl.Series(close.max(axis=1) >= SPELT_FUZZY))
            hit = joined.is_in(alike.implode()).fill_null(value=False).to_numpy() & fits
            out[col][todo[hit]] = k
    return pl.DataFrame(out)
