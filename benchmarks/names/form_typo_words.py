"""Write ``screening/data/form_typo_words.txt``: English words a misspelt legal-form word could be taken for.

Run by a developer, never at run time: ``python benchmarks/names/form_typo_words.py [WORDS]`` (default
``/usr/share/dict/american-english``: SCOWL's list, Debian package wamerican). A word is written where
:func:`screening.names.form_typos.class_bits`'s similarity and shape would read it as a form word of the
own table misspelt (PIRATE ~ PRIVATE, CLOSE ~ CLOSED, TICKET ~ TICARET); rerun when the table's words change.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from screening.names import form_typos

OUT = Path(__file__).resolve().parents[2] / "screening" / "data" / form_typos.REAL_WORDS_FILE
HEAD = """# English words a typo away from a legal-form word of the own table (form_typos.FORM_TYPO, same first letter,
# length within one): never read as that form misspelt. From SCOWL's american-english word list (Debian
# wamerican 2020.12.07-2, http://wordlist.sourceforge.net/, notices in form_typo_words.LICENSE),
# written by benchmarks/names/form_typo_words.py; regenerate when the table's words change.
"""


def near_forms(english: list[str]) -> list[str]:
    """Return the words of ``english`` the misspelt-form rule would read as a form word, sorted."""
    words = form_typos.vocab().words
    alike = process.cdist(english, words, scorer=OSA.normalized_similarity, dtype=np.float32, workers=1)
    row, col = np.nonzero(alike >= form_typos.FORM_TYPO - 1e-6)
    return sorted(
        {english[r] for r, c in zip(row, col, strict=True) if form_typos.alike_shape(english[r], words[c])} - set(words)
    )


def main(source: str) -> None:
    """Read a word list (one word a line) and write the words near a form word."""
    text = Path(source).read_text(encoding="utf-8")
    english = sorted({w.upper() for w in text.split() if re.fullmatch(r"[A-Za-z]+", w)})
    found = near_forms([w for w in english if len(w) >= form_typos.FORM_TYPO_MIN])
    OUT.write_text(HEAD + "\n".join(found) + "\n", encoding="utf-8")
    print(f"{len(found)} words written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/american-english")
