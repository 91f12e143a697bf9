"""The synthetic party pool: companies and people in about sixty countries, with banks, INNs and activity.

Each country has a weight (how many parties it holds), a name style (:mod:`screening.synth.names`),
a dialling code, cities, ports and a few banks. A party gets a country by weight, a name in its
country's style (written in the native script for a share of Russian, Central Asian, Chinese and
Arabic parties), an address, a phone number, an account at one of its country's banks (a BIC of
the valid shape: bank code, the country's letters, a location code), a 10-digit INN with its check
digit for Russian companies, and an activity weight from a heavy-tailed (Lomax) distribution: a few
parties trade a lot, most a little.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from screening.frames import fmt
from screening.synth.names import STYLES, company_names, person_names

# code, weight, style, dialling code, cities ("Latin|native"), ports (UN/LOCODE name), bank codes
COUNTRIES: Final = (
    ("CN", 14.0, "cn", "86", ("Shenzhen|深圳", "Shanghai|上海", "Ningbo|宁波", "Yiwu|义乌", "Guangzhou|广州"),
     ("CNSHA Shanghai", "CNSZX Shenzhen", "CNNGB Ningbo"), ("ICBK", "BKCH", "PCBC", "CMBC")),
    ("HK", 4.0, "cn", "852", ("Hong Kong|香港", "Kowloon|九龙"), ("HKHKG Hong Kong",), ("HSBC", "BKCH", "SCBL")),
    ("TR", 5.0, "tr", "90", ("Istanbul", "Izmir", "Mersin", "Bursa"), ("TRIST Istanbul", "TRMER Mersin"),
     ("TGBA", "ISBK", "AKBK", "YAPI")),
    ("AE", 4.0, "ar", "971", ("Dubai|دبي", "Sharjah|الشارقة", "Abu Dhabi|أبوظبي"), ("AEJEA Jebel Ali",),
     ("EBIL", "NBAD", "MSHQ", "ADCB")),
    ("KG", 1.5, "central", "996", ("Bishkek", "Osh"), ("KGFRU Bishkek", "KGTRG Torugart"), ("KICB", "DEKG", "OPKB")),
    ("KZ", 2.5, "central", "7", ("Almaty", "Astana", "Shymkent"), ("KZKGS Khorgos", "KZDOS Dostyk"),
     ("KZKO", "HSBK", "CASP")),
    ("AM", 1.0, "en", "374", ("Yerevan", "Gyumri"), ("AMBGS Bagratashen",), ("ARMI", "AMEB", "ACBA")),
    ("GE", 1.0, "en", "995", ("Tbilisi", "Batumi", "Poti"), ("GEPTI Poti", "GEBUS Batumi"), ("BAGA", "TBCB")),
    ("UZ", 1.5, "central", "998", ("Tashkent", "Samarkand"), ("UZTAS Tashkent",), ("NBFA", "UZKC", "KACH")),
    ("IN", 4.0, "in", "91", ("Mumbai", "Chennai", "Delhi", "Pune"), ("INNSA Nhava Sheva", "INMAA Chennai"),
     ("SBIN", "HDFC", "ICIC")),
    ("RS", 0.8, "eu", "381", ("Belgrade", "Novi Sad"), ("RSBEG Belgrade",), ("AIKB", "BACX")),
    ("RU", 8.0, "ru", "7", ("Moscow|Москва", "Saint Petersburg|Санкт-Петербург", "Kazan|Казань",
     "Yekaterinburg|Екатеринбург"), ("RULED Saint Petersburg", "RUNVS Novorossiysk", "RUVVO Vladivostok"),
     ("SABR", "VTBR", "ALFA", "RZBM")),
    ("BY", 1.2, "ru", "375", ("Minsk|Минск", "Brest|Брест"), ("BYMSQ Minsk",), ("BPSB", "AKBB", "BLBB")),
    ("DE", 6.0, "de", "49", ("Hamburg", "Munich", "Frankfurt", "Stuttgart"), ("DEHAM Hamburg", "DEBRV Bremerhaven"),
     ("DEUT", "COBA", "DRES", "HYVE")),
    ("FR", 2.5, "fr", "33", ("Paris", "Lyon", "Marseille"), ("FRLEH Le Havre", "FRMRS Marseille"),
     ("BNPA", "SOGE", "CRLY")),
    ("IT", 2.5, "it", "39", ("Milan", "Turin", "Genoa"), ("ITGOA Genoa", "ITTRS Trieste"), ("BCIT", "UNCR")),
    ("ES", 1.5, "es", "34", ("Madrid", "Barcelona", "Valencia"), ("ESVLC Valencia", "ESALG Algeciras"),
     ("BBVA", "CAIX", "BSCH")),
    ("NL", 1.5, "eu", "31", ("Rotterdam", "Amsterdam"), ("NLRTM Rotterdam",), ("ABNA", "INGB", "RABO")),
    ("BE", 0.8, "fr", "32", ("Antwerp", "Brussels"), ("BEANR Antwerp",), ("GEBA", "KRED")),
    ("PL", 1.5, "eu", "48", ("Warsaw", "Gdansk", "Poznan"), ("PLGDN Gdansk",), ("PKOP", "BPKO")),
    ("CZ", 0.8, "eu", "420", ("Prague", "Brno"), ("CZPRG Prague",), ("KOMB", "CEKO")),
    ("AT", 0.7, "de", "43", ("Vienna", "Linz"), ("ATVIE Vienna",), ("BKAU", "RZBA")),
    ("SE", 0.7, "eu", "46", ("Stockholm", "Gothenburg"), ("SEGOT Gothenburg",), ("ESSE", "HAND")),
    ("FI", 0.5, "eu", "358", ("Helsinki", "Kotka"), ("FIKTK Kotka",), ("NDEA", "OKOY")),
    ("DK", 0.5, "eu", "45", ("Copenhagen", "Aarhus"), ("DKAAR Aarhus",), ("DABA", "NYKB")),
    ("PT", 0.5, "es", "351", ("Lisbon", "Porto"), ("PTLEI Leixoes",), ("BCOM", "CGDI")),
    ("GR", 0.5, "eu", "30", ("Athens", "Piraeus"), ("GRPIR Piraeus",), ("ETHN", "PIRB")),
    ("HU", 0.5, "eu", "36", ("Budapest",), ("HUBUD Budapest",), ("OTPV", "GIBA")),
    ("RO", 0.5, "eu", "40", ("Bucharest", "Constanta"), ("ROCND Constanta",), ("RNCB", "BTRL")),
    ("BG", 0.4, "eu", "359", ("Sofia", "Varna"), ("BGVAR Varna",), ("UNCR", "STSA")),
    ("LT", 0.4, "eu", "370", ("Vilnius", "Klaipeda"), ("LTKLJ Klaipeda",), ("CBVI", "HABA")),
    ("LV", 0.4, "eu", "371", ("Riga",), ("LVRIX Riga",), ("HABA", "PARX")),
    ("EE", 0.3, "eu", "372", ("Tallinn",), ("EETLL Tallinn",), ("HABA", "EEUH")),
    ("CY", 0.4, "eu", "357", ("Limassol", "Nicosia"), ("CYLMS Limassol",), ("BCYP", "HEBA")),
    ("US", 6.0, "en", "1", ("New York", "Houston", "Los Angeles", "Chicago"), ("USNYC New York", "USLAX Los Angeles"),
     ("CHAS", "CITI", "BOFA", "IRVT")),
    ("GB", 3.0, "en", "44", ("London", "Manchester", "Birmingham"), ("GBFXT Felixstowe", "GBSOU Southampton"),
     ("BARC", "HBUK", "LOYD", "NWBK")),
    ("JP", 3.0, "jp", "81", ("Tokyo", "Osaka", "Yokohama"), ("JPYOK Yokohama", "JPTYO Tokyo"),
     ("BOTK", "MHCB", "SMBC")),
    ("KR", 2.0, "kr", "82", ("Seoul", "Busan", "Incheon"), ("KRPUS Busan",), ("KOEX", "HVBK", "CZNB")),
    ("CH", 1.0, "de", "41", ("Zurich", "Geneva", "Basel"), ("CHBSL Basel",), ("UBSW", "CRES", "ZKBK")),
    ("NO", 0.5, "eu", "47", ("Oslo", "Bergen"), ("NOOSL Oslo",), ("DNBA", "NDEA")),
    ("CA", 1.0, "en", "1", ("Toronto", "Vancouver"), ("CAVAN Vancouver",), ("ROYC", "TDOM")),
    ("AU", 0.8, "en", "61", ("Sydney", "Melbourne"), ("AUSYD Sydney",), ("CTBA", "NATA")),
    ("SG", 1.5, "sea", "65", ("Singapore",), ("SGSIN Singapore",), ("DBSS", "OCBC", "UOVB")),
    ("TW", 1.5, "cn", "886", ("Taipei|台北", "Kaohsiung|高雄"), ("TWKHH Kaohsiung",), ("BKTW", "CTCB")),
    ("AZ", 0.6, "central", "994", ("Baku",), ("AZBAK Baku",), ("IBAZ", "PAHA")),
    ("TJ", 0.4, "central", "992", ("Dushanbe", "Khujand"), ("TJDYU Dushanbe",), ("ORIE", "AGRO")),
    ("TM", 0.3, "central", "993", ("Ashgabat",), ("TMTMZ Turkmenbashi",), ("TUDE", "SENA")),
    ("MN", 0.4, "central", "976", ("Ulaanbaatar",), ("MNULN Ulaanbaatar",), ("AGMO", "KHAN")),
    ("IR", 0.6, "ar", "98", ("Tehran|طهران", "Bandar Abbas|بندر عباس"), ("IRBND Bandar Abbas",), ("BMJI", "MELI")),
    ("SA", 1.0, "ar", "966", ("Riyadh|الرياض", "Jeddah|جدة"), ("SAJED Jeddah",), ("NCBK", "RJHI")),
    ("EG", 0.6, "ar", "20", ("Cairo|القاهرة", "Alexandria|الإسكندرية"), ("EGALY Alexandria",), ("NBEG", "CIBE")),
    ("VN", 1.2, "sea", "84", ("Ho Chi Minh City", "Hanoi", "Haiphong"), ("VNSGN Ho Chi Minh City",), ("BFTV", "ICBV")),
    ("TH", 0.8, "sea", "66", ("Bangkok", "Laem Chabang"), ("THLCH Laem Chabang",), ("BKKB", "KASI")),
    ("MY", 0.8, "sea", "60", ("Kuala Lumpur", "Penang"), ("MYPKG Port Klang",), ("MBBE", "CIBB")),
    ("ID", 0.8, "sea", "62", ("Jakarta", "Surabaya"), ("IDTPP Tanjung Priok",), ("BMRI", "CENA")),
    ("PK", 0.5, "in", "92", ("Karachi", "Lahore"), ("PKKHI Karachi",), ("HABB", "MUCB")),
    ("BR", 0.8, "es", "55", ("Sao Paulo", "Santos"), ("BRSSZ Santos",), ("BRAS", "ITAU")),
    ("MX", 0.6, "es", "52", ("Mexico City", "Monterrey"), ("MXZLO Manzanillo",), ("BNMX", "BCMR")),
    ("IL", 0.4, "en", "972", ("Tel Aviv", "Haifa"), ("ILHFA Haifa",), ("LUMI", "POAL")),
    ("UA", 0.8, "ru", "380", ("Kyiv|Київ", "Odesa|Одеса", "Lviv|Львів"), ("UAODS Odesa",), ("PBAN", "AVAL")),
)  # fmt: skip
COUNTRY_FRAME: Final = pl.DataFrame(
    [(c, w, s, d) for c, w, s, d, *_ in COUNTRIES], schema=["country", "weight", "style", "dial"], orient="row"
)
PERSON_SHARE: Final = 0.2
POOL_COLUMNS: Final = (
    "party_id", "kind", "name", "name_latin", "country", "style", "city", "address", "phone", "bank", "inn", "activity",
)  # fmt: skip
_STREETS: Final = ("Industrial St", "Central Ave", "Harbour Rd", "Trade Park", "Station St", "Business Centre")
_INN_WEIGHTS: Final = np.array([2, 4, 10, 3, 5, 9, 4, 6, 8])


def inn_check(first9: np.ndarray) -> np.ndarray:
    """Return the check digit of 10-digit Russian company INNs from their first nine digits (an N×9 array)."""
    return np.asarray((first9 @ _INN_WEIGHTS) % 11 % 10)


def _inns(rng: np.random.Generator, count: int) -> pl.Series:
    """Return ``count`` valid 10-digit company INNs (the first two digits a region code)."""
    digits = rng.integers(0, 10, (count, 9))
    digits[:, 0], digits[:, 1] = rng.choice([7, 5, 6], count), rng.integers(0, 10, count)
    number = digits @ (10 ** np.arange(9, 0, -1)) + inn_check(digits)
    return pl.Series(number).cast(pl.String).str.zfill(10)


def _values(cell: object) -> tuple[str, ...]:
    """Return a tuple cell of the country table (cities, ports or banks)."""
    assert isinstance(cell, tuple)
    return cell


def _per_country(column: int) -> pl.DataFrame:
    """Return one tuple column of the country table, one row per country and value."""
    return pl.DataFrame(
        [(c[0], i, v) for c in COUNTRIES for i, v in enumerate(_values(c[column]))],
        schema=["country", "i", "value"],
        orient="row",
    )


def pick_per_country(rng: np.random.Generator, countries: pl.Series, column: int) -> pl.Series:
    """Return, for each country in ``countries``, one value drawn from that country's tuple ``column``."""
    options = _per_country(column)
    sizes = options.group_by("country").len()
    frame = pl.DataFrame({"country": countries, "u": rng.random(countries.len())}).with_row_index("n")
    drawn = frame.join(sizes, on="country", how="left").with_columns(
        (pl.col("u") * pl.col("len")).floor().cast(pl.Int64).alias("i")
    )
    joined = drawn.join(options, on=["country", "i"], how="left", maintain_order="left")
    return joined["value"]


def bic(bank: pl.Expr, country: pl.Expr, location: pl.Expr) -> pl.Expr:
    """Return a BIC: four-letter bank code, two-letter country, two-character location code."""
    return pl.concat_str(bank, country, location)


def party_pool(count: int, seed: int) -> pl.DataFrame:
    """Return ``count`` seeded parties (POOL_COLUMNS), companies and people, across about sixty countries."""
    rng = np.random.default_rng([seed, 0])
    weights = COUNTRY_FRAME["weight"].to_numpy()
    country = COUNTRY_FRAME["country"].gather(rng.choice(len(weights), count, p=weights / weights.sum()))
    person = rng.random(count) < PERSON_SHARE
    frame = pl.DataFrame({"country": country, "person": person}).with_row_index("n")
    frame = frame.join(COUNTRY_FRAME.select("country", "style", "dial"), on="country", maintain_order="left")
    frame = frame.with_columns(city=pick_per_country(rng, country, 4), bank_code=pick_per_country(rng, country, 6))
    named = pl.concat([_named(frame, style, rng) for style in STYLES]).sort("n")
    return _finish(named, rng)


def _named(frame: pl.DataFrame, style: str, rng: np.random.Generator) -> pl.DataFrame:
    """Return the parties of one style with ``native`` and ``latin`` names, people and companies."""
    part = frame.filter(pl.col("style") == style)
    people, firms = part.filter(pl.col("person")), part.filter(~pl.col("person"))
    firm_names = company_names(STYLES[style], rng, firms.height, firms["city"])
    person_frame = person_names(STYLES[style], rng, people.height)
    native = rng.random(part.height) < STYLES[style].native_share
    return pl.concat([firms.hstack(firm_names), people.hstack(person_frame)]).with_columns(
        pl.Series("native_script", native)
    )


def _finish(named: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Add ids, written name, address, phone, bank BIC, INN and activity to named parties."""
    count = named.height
    russian_firm = (pl.col("country") == "RU") & ~pl.col("person")
    city = pl.col("city").str.split("|").list.first()
    letters = pl.Series(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))
    location = letters.gather(rng.integers(0, 32, count)) + letters.gather(rng.integers(0, 32, count))
    return named.with_columns(
        fmt("P{}", (pl.col("n") + 1).cast(pl.String).str.zfill(7)).alias("party_id"),
        pl.when(pl.col("person")).then(pl.lit("person")).otherwise(pl.lit("company")).alias("kind"),
        pl.when(pl.col("native_script")).then("native").otherwise("latin").alias("name"),
        pl.col("latin").alias("name_latin"),
        city.alias("city"),
        fmt(
            "{} {}, {}, {}",
            pl.Series(_STREETS).gather(rng.integers(0, len(_STREETS), count)),
            pl.Series(rng.integers(1, 250, count)),
            city,
            "country",
        ).alias("address"),
        fmt("+{} {}", "dial", pl.Series(rng.integers(100_000_000, 999_999_999, count))).alias("phone"),
        bic(pl.col("bank_code"), pl.col("country"), pl.lit(location)).alias("bank"),
        pl.when(russian_firm).then(_inns(rng, count)).alias("inn"),
        pl.Series(rng.pareto(1.3, count) + 0.05).alias("activity"),
    ).select(POOL_COLUMNS)
