"""Legal forms of companies: the spellings recognised and the class each belongs to.

Forms are matched on the transliterated, upper-case, punctuation-free name, at either edge of
the name only (a short form such as ``AO`` or ``SA`` inside a name is a word, not a form). The
class lets ``OOO Romashka`` and ``Romashka LLC`` agree while ``AO`` and ``OOO`` differ.
"""

from __future__ import annotations

from typing import Final

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
        "PTY LTD",
        "SDN BHD",
        "BHD",
        "KABUSHIKI KAISHA",
        "KK",
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


def spellings() -> list[str]:
    """Return every spelling, longest first, so alternations prefer the longest form."""
    every = {s for forms in LEGAL_FORMS.values() for s in forms}
    return sorted(every, key=lambda s: (-len(s), s))


def form_class() -> dict[str, str]:
    """Return the class of every spelling."""
    return {s: cls for cls, forms in LEGAL_FORMS.items() for s in forms}


def form_label() -> dict[str, str]:
    """Return the label shown in explanations for every spelling."""
    return {s: _LONG_LABELS.get(s, s) for s in spellings()}


def edge_patterns() -> tuple[str, str]:
    """Return regexes capturing the run of legal forms at the start and at the end of a name."""
    alt = "|".join(spellings())
    return rf"^((?:(?:{alt}) )+)", rf"((?: (?:{alt}))+)$"
