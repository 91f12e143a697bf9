"""Country normalisation: names, ISO-2 and ISO-3 codes in any script to ISO 3166-1 alpha-2.

Pipeline for one value, the same for the lookup table and for the data:

1. trim; when the value holds Latin letters, fold Cyrillic look-alike letters to Latin
   ('ТURKEY' with a Cyrillic Т reads as 'TURKEY'); a fully Cyrillic name stays Cyrillic;
2. decompose (NFKD) and drop combining marks, so 'Türkiye' and 'Turkiye' agree;
3. upper-case, and turn every run of punctuation and spaces into one space.

The key is looked up in a table built from pycountry's names and their translations into the
languages of :data:`LANGUAGES` (pycountry ships the iso-codes project's gettext catalogues), plus
:data:`ALIASES` for names no catalogue has (Mongolian abbreviations such as ``БНХАУ`` for China,
``АНУ`` for the USA, ``ОХУ`` for Russia; Eurostat's ``EL`` for Greece). Occupied regions of
Ukraine map to their ISO 3166-2 code (``UA-43`` Crimea …), so rules can tell them from ``UA``.

A value that is not in the table is read as published statistics label it: without a trailing
parenthesis (``Germany (incl. German Democratic Republic 'DD' from 1991)``), as the name inside
one (``Russian Federation (Russia)``), as the part before a slash (``MOLDOVA/FOR CUSTOMS
CLEARANCE``), or turned round at its comma (``Корея, Республика``). Aggregates (``EUROPEAN
UNION``, ``EU27_2020``, ``EXTRA-EU``, ``EURO AREA``, ``WORLD``) read as the codes of
:data:`AGGREGATES`, which no country rule lists.
"""

from __future__ import annotations

import gettext
from functools import cache
from typing import Final

import polars as pl
import pycountry

from screening.lookalike import CYRILLIC_TO_LATIN, SMALL_CAPS

# Latin look-alikes folded in a value holding Latin letters (Cyrillic small capitals too: keys are upper case).
CYRILLIC_LOOKALIKES: Final[dict[str, str]] = {**CYRILLIC_TO_LATIN, **SMALL_CAPS}

OCCUPIED_REGIONS: Final[dict[str, str]] = {
    "Crimea": "UA-43", "Krym": "UA-43", "Republic of Crimea": "UA-43",
    "Autonomous Republic of Crimea": "UA-43", "Region: Crimea": "UA-43", "Крым": "UA-43", "Республика Крым": "UA-43",
    "UA-43": "UA-43", "Sevastopol": "UA-40", "Sebastopol": "UA-40", "Севастополь": "UA-40",
    "UA-40": "UA-40", "Donetsk": "UA-14", "Donetsk Oblast": "UA-14", "Donetska oblast": "UA-14",
    "Donetsk People's Republic": "UA-14", "DNR": "UA-14", "DPR": "UA-14", "ДНР": "UA-14",
    "Донецк": "UA-14", "UA-14": "UA-14", "Luhansk": "UA-09", "Lugansk": "UA-09",
    "Luhansk Oblast": "UA-09", "Luhanska oblast": "UA-09", "Luhansk People's Republic": "UA-09",
    "LNR": "UA-09", "LPR": "UA-09", "ЛНР": "UA-09", "Луганск": "UA-09", "UA-09": "UA-09",
    "Zaporizhzhia": "UA-23", "Zaporizhia": "UA-23", "Zaporozhye": "UA-23",
    "Zaporizhzhia Oblast": "UA-23", "Запорожье": "UA-23", "UA-23": "UA-23", "Kherson": "UA-65",
    "Kherson Oblast": "UA-65", "Херсон": "UA-65", "UA-65": "UA-65",
}  # fmt: skip

ALIASES: Final[dict[str, str]] = {
    "Turkey": "TR", "Turkiye": "TR", "Türkiye Cumhuriyeti": "TR", "Russia": "RU",
    "Russian Federation": "RU", "UAE": "AE", "U.A.E.": "AE", "Emirates": "AE", "Hong Kong": "HK",
    "Hong Kong SAR": "HK", "Kyrgyzstan": "KG", "Kyrgyz Republic": "KG", "Kirghizia": "KG",
    "UK": "GB", "Great Britain": "GB", "England": "GB", "USA": "US", "U.S.A.": "US",
    "United States of America": "US", "America": "US", "South Korea": "KR", "Korea": "KR",
    "Republic of Korea": "KR", "North Korea": "KP", "DPRK": "KP", "Iran": "IR", "Syria": "SY",
    "Vietnam": "VN", "Viet Nam": "VN", "Laos": "LA", "Moldova": "MD", "Taiwan": "TW",
    "Czech Republic": "CZ", "Czechia": "CZ", "Macedonia": "MK", "Bolivia": "BO",
    "Venezuela": "VE", "Tanzania": "TZ", "Ivory Coast": "CI", "Burma": "MM", "Myanmar": "MM",
    "Belarus": "BY", "Byelorussia": "BY", "Kosovo": "XK", "Palestine": "PS", "Macau": "MO",
    "Macao": "MO", "China PRC": "CN", "PRC": "CN", "Holland": "NL", "The Netherlands": "NL",
    "Россия": "RU", "Российская Федерация": "RU", "РФ": "RU", "Беларусь": "BY",
    "Белоруссия": "BY", "Республика Беларусь": "BY", "Казахстан": "KZ", "Кыргызстан": "KG",
    "Киргизия": "KG", "Армения": "AM", "Грузия": "GE", "Узбекистан": "UZ", "Таджикистан": "TJ",
    "Туркменистан": "TM", "Азербайджан": "AZ", "Турция": "TR", "Китай": "CN", "КНР": "CN",
    "ОАЭ": "AE", "Объединенные Арабские Эмираты": "AE", "Гонконг": "HK", "Германия": "DE",
    "Италия": "IT", "Франция": "FR", "Польша": "PL", "Литва": "LT", "Латвия": "LV",
    "Эстония": "EE", "Финляндия": "FI", "США": "US", "Великобритания": "GB", "Япония": "JP",
    "Корея": "KR", "Индия": "IN", "Иран": "IR", "Украина": "UA", "Молдова": "MD",
    "Монголия": "MN", "Сербия": "RS", "Израиль": "IL", "Швейцария": "CH", "Нидерланды": "NL",
    "Palestinian": "PS", "West Bank": "PS", "Gaza": "PS", "Region: Gaza": "PS", "The Bahamas": "BS",
    "Democratic Republic of the Congo": "CD", "Congo, Democratic Republic of the": "CD",
    "Congo, Democratic Republic": "CD", "DRC": "CD", "Republic of the Congo": "CG",
    "Congo, Republic of the": "CG", "Iran, Islamic Republic of": "IR", "Cote d'Ivoire": "CI",
    "Soviet Union": "SU", "USSR": "SU", "Korea, North": "KP", "Korea, South": "KR",
    "East Timor": "TL", "Timor Leste": "TL", "Swaziland": "SZ", "Cape Verde": "CV",
    # UN Comtrade's own numeric codes where they differ from ISO 3166-1 numeric
    "842": "US", "251": "FR", "699": "IN", "757": "CH", "579": "NO", "490": "TW",
    "EL": "GR", "Eire": "IE", "Kosovo under UNSCR 1244/99": "XK", "Türkiye": "TR",
    **OCCUPIED_REGIONS,
}  # fmt: skip


# Translations of country names read from pycountry: the languages of the customs declarations
# and statistics screened (Russian, Ukrainian, Kazakh, Mongolian, Turkish, the Caucasus and
# Central Asia, Romanian for Moldova).
LANGUAGES: Final = ("ru", "uk", "be", "kk", "ky", "uz", "tg", "tk", "mn", "tr", "az", "hy", "ka", "ro")

MONGOLIAN: Final[dict[str, str]] = {
    "БНХАУ": "CN", "АНУ": "US", "ОХУ": "RU", "ХБНГУ": "DE", "БНСУ": "KR", "АНЭУ": "AE", "ИБУИНВУ": "GB",
}  # fmt: skip

# Aggregates of countries as statistics publish them: (pattern on the lookup key, code).
AGGREGATES: Final[tuple[tuple[str, str], ...]] = (
    (r"^(EXTRA EU|EXT EU)", "EXTRA_EU"),
    (r"^(INTRA EU|INT EU)", "INTRA_EU"),
    (r"^(EUROPEAN UNION|EU ?\d{2}( \d{4})?$|EU$)", "EU"),
    (r"^(EURO AREA|EUROZONE|EA ?\d{2}$)", "EURO_AREA"),
    (r"^(WORLD|ALL COUNTRIES|TOTAL WORLD|W00$)", "WORLD"),
)


def country_key(raw: pl.Expr) -> pl.Expr:
    """Return the lookup key of a country value (look-alikes folded, marks dropped, upper case)."""
    text = raw.cast(pl.String).str.strip_chars()
    folded = (
        pl.when(text.str.contains(r"[A-Za-z]"))
        .then(text.str.replace_many(list(CYRILLIC_LOOKALIKES), list(CYRILLIC_LOOKALIKES.values())))
        .otherwise(text)
    )
    return (
        folded.str.normalize("NFKD")
        .str.replace_all(r"\p{Mn}", "")
        .str.to_uppercase()
        .str.replace_all(r"[^\p{L}\p{N}]+", " ")
        .str.strip_chars()
    )


def normalize_country(raw: pl.Expr) -> pl.Expr:
    """Return the ISO-2 code (ISO 3166-2 for occupied regions) or aggregate code of a country, null if unknown."""
    text = raw.cast(pl.String).str.strip_chars()
    return pl.coalesce(
        _lookup(text),
        _aggregate(country_key(text)),
        _lookup(text.str.replace(r"\s*\(.*$", "")),
        _lookup(text.str.extract(r"\(([^()]*)\)\s*$")),
        _lookup(text.str.replace(r"\s*/.*$", "")),
        _lookup(text.str.replace(r"^([^,]+),\s*([^,]+)$", "${2} ${1}")),
    )


def _lookup(text: pl.Expr) -> pl.Expr:
    """Return the code of a name found in the table as it stands."""
    keys, codes = _table()
    return country_key(text).replace_strict(keys, codes, default=None, return_dtype=pl.String)


def _aggregate(key: pl.Expr) -> pl.Expr:
    """Return the aggregate code of a lookup key, null when it names no aggregate."""
    return pl.coalesce(pl.when(key.str.contains(pattern)).then(pl.lit(code)) for pattern, code in AGGREGATES)


def _translations() -> dict[str, str]:
    """Return country names in :data:`LANGUAGES` with their ISO-2 codes."""
    names: dict[str, str] = {}
    for language in LANGUAGES:
        catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for country in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value:
                    names[catalogue.gettext(value)] = country.alpha_2
    return names


@cache
def _table() -> tuple[list[str], list[str]]:
    """Return the lookup keys and their codes; aliases override pycountry names."""
    names = _translations()
    for country in pycountry.countries:
        code = country.alpha_2
        for attr in ("alpha_2", "alpha_3", "numeric", "name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names[value] = code
    names.update(ALIASES)
    names.update(MONGOLIAN)
    table = pl.DataFrame({"name": list(names), "code": list(names.values())})
    table = table.select(country_key(pl.col("name")).alias("key"), "code")
    table = table.filter(pl.col("key") != "").unique("key", keep="last", maintain_order=True)
    return table["key"].to_list(), table["code"].to_list()
