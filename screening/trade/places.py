"""Country groups the rerouting rules share, and the country a bank identifier code names."""

from __future__ import annotations

from typing import Final

import polars as pl
import pycountry

# Transshipment points to Russia named in the FinCEN/BIS supplemental alert of 19 May 2023
# (FIN-2023-NCCSUPP-01); Hong Kong and Macau are listed apart from mainland China.
TRANSIT_HUBS: Final[tuple[str, ...]] = (
    "AM", "AE", "BR", "CN", "GE", "HK", "IL", "IN", "KG", "KZ", "MO", "MX", "NI", "RS", "SG",
    "TJ", "TR", "TW", "UZ", "ZA",
)  # fmt: skip
# Russia, Belarus and the occupied regions of Ukraine (ISO 3166-2), the end of a reroute.
DESTINATIONS: Final[tuple[str, ...]] = ("RU", "BY", "UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65")
# Countries applying the coalition's export controls (EU-27, G7 and partners), origins of a reroute.
COALITION: Final[tuple[str, ...]] = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "US", "GB", "CA",
    "JP", "AU", "NZ", "KR", "NO", "CH", "IS", "LI",
)  # fmt: skip
RUSSIA_INVADED: Final = "2022-02-24"  # the date entity red flags count "new since" from


def bic_country(bic: pl.Expr) -> pl.Expr:
    """Return the ISO-2 country of a SWIFT BIC (letters 5-6), null when the text is not a BIC.

    A BIC is written in capitals; a bank name such as 'Sberbank' has the shape of one but not the case.
    """
    code = bic.cast(pl.String).str.strip_chars().str.replace_all(r"\s", "")
    shaped = code.str.contains(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
    country = code.str.slice(4, 2)
    return pl.when(shaped & country.is_in(_ISO2)).then(country)


_ISO2: Final = sorted({c.alpha_2 for c in pycountry.countries} | {"XK"})
