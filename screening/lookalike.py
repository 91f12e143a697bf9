"""The one table of look-alike letters: Cyrillic and Greek letters drawn like a Latin letter, and back.

``ООО ROMАSHKA`` with a Cyrillic ``А`` and ``ТURKEY`` with a Cyrillic ``Т`` read as Latin once the
look-alikes are folded. Every stage folds with this table: country values at ingest
(:mod:`screening.ingest.countries`, which also folds :data:`SMALL_CAPS`), names before matching
(:mod:`screening.names.script`), and the synthetic ledgers that plant look-alike spellings
(:mod:`screening.synth.listed`), so what is planted is what is folded.
"""

from __future__ import annotations

from typing import Final

# Letters of the Russian alphabet drawn like a Latin letter in upper and lower case alike.
RUSSIAN: Final[dict[str, str]] = dict(zip("АВЕКМНОРСТХУаеорсху", "ABEKMHOPCTXYaeopcxy", strict=True))
# Ukrainian, Belarusian, Serbian and Macedonian letters drawn like a Latin letter.
OTHER_CYRILLIC: Final[dict[str, str]] = dict(zip("ІЈЅіјѕ", "IJSijs", strict=True))
# Cyrillic small letters shaped like a Latin small capital: the same letter once a value is upper-cased.
SMALL_CAPS: Final[dict[str, str]] = dict(zip("кмтнв", "kmthb", strict=True))
# Greek capitals and small letters drawn like a Latin letter.
GREEK: Final[dict[str, str]] = dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοτ", "ABEZHIKMNOPTYXot", strict=True))

CYRILLIC_TO_LATIN: Final[dict[str, str]] = {**RUSSIAN, **OTHER_CYRILLIC}
TO_LATIN: Final[dict[str, str]] = {**CYRILLIC_TO_LATIN, **GREEK}
LATIN_TO_CYRILLIC: Final[dict[str, str]] = {latin: cyrillic for cyrillic, latin in RUSSIAN.items()}
