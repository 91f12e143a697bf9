"""Seeded synthetic ledgers: trade records and payments between pool parties, with planted cases and truth.

A ledger is drawn in fixed blocks of :data:`BLOCK_ROWS` records; block ``b`` draws from a generator
seeded with ``(seed, b)``, so a ledger is the same whether it is made in one piece or streamed in
partitions (:mod:`screening.synth.stream`). Everything is drawn with numpy and assembled with
polars gathers from the party pool (:mod:`screening.synth.parties`), no Python step per record.

Records are trade records (70 %: shipper, consignee, notify party, HS code, goods, origin, transit
and destination countries, ports, vessel and IMO number, value, quantity, currency) and payments
(30 %: originator, beneficiary, their banks' BICs, an intermediary bank for a share of them), dated
evenly over 2019–2024 so that corridor volumes are stationary. Currencies follow the parties'
countries (CNY, RUB, AED, TRY, EUR, else USD); a value is drawn in US dollars and written in its
record's currency at the bundled yearly rate (:mod:`screening.ingest.rates`, the rate the corridor
sums convert it back with), so a yuan amount reads as yuan; a currency with no rate that year (RUB
from 2022, no longer quoted by the ECB) is written as the US-dollar amount it was drawn as.
Payments follow a sparse network, as real ones do: each party pays only its :data:`PARTNERS`
regular payees, mostly of its own country (:data:`DOMESTIC_PARTNERS`), the rest drawn by activity
(with independent payers and payees every busy hub firm paid every Russian firm within days).

The ground truth (``truth``) names, per record, the goods typology planted in it (``typology``):

- ``chpl_code``: a CHPL good declared under its HS code (in one of several spellings);
- ``chpl_description``: a CHPL good with no HS code but a telling description (English or Russian);
- ``chpl_wrong_code``: a CHPL good declared under an ordinary HS code;
- ``ordinary``: ordinary goods (and every payment), which no goods rule should flag;

and the listed party planted in it (``party_typology``): ``listed_variant`` (a variant of a listed
name, :mod:`screening.synth.listed`, with ``entity_id``, ``party_column``, ``variant`` and
``party_name``), ``near_miss`` (a name close to a listed one that is another party) or null.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

import numpy as np
import polars as pl

from screening.frames import fmt
from screening.ingest.rates import usd_rate
from screening.synth.listed import listed_variants, near_misses
from screening.synth.parties import party_pool, pick_per_country

# (HS code, description) of ordinary goods.
ORDINARY: Final = (
    ("6911100000", "Porcelain tableware, plates and cups"),
    ("9403600000", "Wooden furniture for offices"),
    ("6203420000", "Men's cotton trousers"),
    ("9503000000", "Plastic toys for children"),
    ("4011100000", "New pneumatic tyres for cars"),
    ("0901210000", "Roasted coffee, not decaffeinated"),
    ("7306300000", "Welded steel tubes"),
    ("3926909700", "Articles of plastics, n.e.s."),
    ("4819100000", "Cartons of corrugated paper"),
    ("0902300000", "Black tea in packings up to 3 kg"),
    ("6907211000", "Ceramic floor tiles"),
    ("8516600000", "Electric ovens and cookers"),
    ("6403990000", "Leather footwear"),
    ("3304990000", "Beauty and skin care preparations"),
)
# (HS code, English description, Russian description) of CHPL goods.
CHPL_GOODS: Final = (
    (
        "8542310000",
        "Microcontroller STM32F407 integrated circuits",
        "Микросхемы интегральные STM32",
    ),
    ("8542320000", "Memory chips DDR4 SDRAM", "Интегральные микросхемы памяти DDR4"),
    ("8482100000", "Ball bearings 6205-2RS", "Шарикоподшипники радиальные 6205"),
    ("8482500000", "Cylindrical roller bearings", "Роликоподшипники цилиндрические"),
    ("8526910000", "GNSS receiver module, GLONASS/GPS", "Навигационный приемник ГЛОНАСС"),
    ("8458110000", "CNC lathe, horizontal", "Токарный станок с ЧПУ"),
    ("8807300000", "UAV airframe parts for drones", "Части беспилотных летательных аппаратов"),
    ("9013100000", "Telescopic sight, optical sight for rifles", "Оптический прицел"),
    ("8532210000", "Tantalum capacitor, fixed", "Конденсаторы танталовые"),
    ("8541210000", "Transistors, power MOSFET", "Транзисторы полевые MOSFET"),
)
_TYPOLOGY_SHARE: Final = {"chpl_code": 0.05, "chpl_description": 0.01, "chpl_wrong_code": 0.005}
BLOCK_ROWS: Final = 250_000
PAYMENT_SHARE: Final = 0.3
LISTED_RATE: Final = 1e-4  # records with a listed party written as a variant
NEAR_MISS_RATE: Final = 1e-4  # records with a near-miss name
POOL_MAX: Final = 400_000
PARTNERS: Final = 6  # regular payees of each party
DOMESTIC_PARTNERS: Final = 0.6  # share of them in the payer's own country
START: Final = date(2019, 1, 1)
END: Final = date(2024, 12, 31)
MAKERS: Final = ("CN", "CN", "CN", "DE", "JP", "KR", "TW", "US")  # where a trader's goods were made
VIA: Final = ("AE", "TR", "KZ", "KG", "AM", "GE", "HK", "SG", "NL")  # transit countries
CORRESPONDENTS: Final = {
    "USD": ("CHASUS33", "CITIUS33", "IRVTUS3N"),
    "EUR": ("DEUTDEFF", "COBADEFF", "BNPAFRPP"),
    "CNY": ("BKCHCNBJ", "ICBKCNBJ"),
    "RUB": ("SABRRUMM", "VTBRRUMM"),
    "AED": ("EBILAEAD", "NBADAEAA"),
    "TRY": ("TGBATRIS", "ISBKTRIS"),
}
EURO: Final = ("DE", "FR", "IT", "ES", "NL", "BE", "AT", "FI", "PT", "GR", "LT", "LV", "EE", "CY")
RECORD_ORDER: Final = (
    "record_id", "date", "hs_code", "description", "shipper", "shipper_country", "consignee", "consignee_country",
    "origin_country", "destination_country", "value", "currency", "quantity", "notify_party", "transit_country",
    "port_of_loading", "port_of_discharge", "vessel", "vessel_imo", "originator", "originator_bank", "beneficiary",
    "beneficiary_bank", "intermediary_bank", "address", "phone",
)  # fmt: skip
TRUTH_COLUMNS: Final[dict[str, pl.DataType]] = {
    "record_id": pl.String(),
    "typology": pl.String(),
    "record_type": pl.String(),
    "party_typology": pl.String(),
    "entity_id": pl.String(),
    "party_column": pl.String(),
    "variant": pl.String(),
    "party_name": pl.String(),
}
TRADE_PARTIES: Final = ("shipper", "consignee", "notify_party")
PAYMENT_PARTIES: Final = ("originator", "beneficiary")


@dataclass(frozen=True)
class Ledger:
    """A synthetic ledger and its ground truth (record_id, typology, then the TRUTH_COLUMNS)."""

    records: pl.DataFrame
    truth: pl.DataFrame


@dataclass(frozen=True)
class World:
    """What every block of one ledger draws from: parties, vessels, listed variants and near misses."""

    pool: pl.DataFrame  # the party pool plus one all-null row at the end (index = height - 1)
    firms: np.ndarray  # pool rows of companies
    firm_cdf: np.ndarray  # cumulative activity of companies
    all_cdf: np.ndarray  # cumulative activity of every party
    country_code: np.ndarray  # the pool's countries as integers
    partners: np.ndarray  # (parties, PARTNERS): the pool rows each party pays
    vessels: pl.DataFrame
    variants: pl.DataFrame
    near: pl.DataFrame


def pool_size(rows: int, parties: int | None = None) -> int:
    """Return the number of parties of a ledger of ``rows`` records."""
    return parties or min(POOL_MAX, max(50, rows // 40))


def imo_numbers(rng: np.random.Generator, count: int) -> pl.Series:
    """Return ``count`` seven-digit IMO numbers with valid check digits."""
    digits = np.column_stack([np.full(count, 9), rng.integers(0, 10, (count, 5))])
    check = (digits @ np.arange(7, 1, -1)) % 10
    return pl.Series(digits @ (10 ** np.arange(6, 0, -1)) + check).cast(pl.String)


def _vessels(rng: np.random.Generator, count: int = 2000) -> pl.DataFrame:
    """Return ``count`` vessels: a name and an IMO number."""
    first = pl.Series(
        ["MSC", "Maersk", "Xin", "Cosco", "Ever", "Akademik", "Kapitan", "Sea", "Ocean", "Nordic", "Asia", "Pacific"]
    )
    second = pl.Series(
        [
            "Aurora",
            "Star",
            "Fortune",
            "Harmony",
            "Pioneer",
            "Glory",
            "Spirit",
            "Hai",
            "Pearl",
            "Trader",
            "Horizon",
            "Lotus",
        ]
    )
    number = pl.Series(rng.integers(1, 40, count)).cast(pl.String)
    name = pl.select(
        pl.concat_str(
            first.gather(rng.integers(0, first.len(), count)),
            second.gather(rng.integers(0, second.len(), count)),
            pl.when(pl.Series(rng.random(count) < 0.4)).then(number),
            separator=" ",
            ignore_nulls=True,
        )
    ).to_series()
    return pl.DataFrame({"vessel": name, "vessel_imo": imo_numbers(rng, count)})


def build_world(rows: int, seed: int, parties: int | None = None) -> World:
    """Return the party pool, vessels and listed-party names a seeded ledger of ``rows`` records draws from."""
    pool = party_pool(pool_size(rows, parties), seed)
    activity = pool["activity"].to_numpy()
    firms = np.flatnonzero((pool["kind"] == "company").to_numpy())
    codes = pool["country"].cast(pl.Categorical).to_physical().to_numpy().astype(np.int32)
    vessels = _vessels(np.random.default_rng([seed, 2]))
    partners = _partners(codes, np.cumsum(activity), np.random.default_rng([seed, 3]))
    return World(
        pool=pl.concat([pool, pool.clear(1)]),
        firms=firms,
        firm_cdf=np.cumsum(activity[firms]),
        all_cdf=np.cumsum(activity),
        country_code=codes,
        partners=partners,
        vessels=pl.concat([vessels, vessels.clear(1)]),
        variants=listed_variants(seed),
        near=near_misses(seed),
    )


def _draw(rng: np.random.Generator, cdf: np.ndarray, count: int) -> np.ndarray:
    """Return ``count`` indices drawn with probabilities proportional to the activity behind ``cdf``."""
    return np.asarray(np.searchsorted(cdf, rng.random(count) * cdf[-1], side="right").clip(0, cdf.size - 1))


def _partners(codes: np.ndarray, cdf: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return each party's regular payees: mostly parties of its own country, the rest drawn by activity."""
    count = codes.size
    order = np.argsort(codes, kind="stable")
    first = np.searchsorted(codes[order], codes, side="left")
    span = np.searchsorted(codes[order], codes, side="right") - first
    domestic = order[first[:, None] + (rng.random((count, PARTNERS)) * span[:, None]).astype(np.int64)]
    abroad = _draw(rng, cdf, count * PARTNERS).reshape(count, PARTNERS)
    return np.where(rng.random((count, PARTNERS)) < DOMESTIC_PARTNERS, domestic, abroad)


def _parties(world: World, rng: np.random.Generator, payment: np.ndarray) -> dict[str, np.ndarray]:
    """Return pool rows per party column: trade parties of different countries, payers and payees."""
    size, none = payment.size, world.pool.height - 1
    firm = world.firms

    def firms() -> np.ndarray:
        """Return drawn company rows."""
        return np.asarray(firm[_draw(rng, world.firm_cdf, size)])

    shipper, consignee, again = firms(), firms(), firms()
    consignee = np.where(world.country_code[shipper] == world.country_code[consignee], again, consignee)
    notify = np.where(rng.random(size) < 0.35, firms(), none)
    originator = _draw(rng, world.all_cdf, size)
    beneficiary = world.partners[originator, rng.integers(0, PARTNERS, size)]
    return {
        "shipper": np.where(payment, none, shipper),
        "consignee": np.where(payment, none, consignee),
        "notify_party": np.where(payment, none, notify),
        "originator": np.where(payment, originator, none),
        "beneficiary": np.where(payment, beneficiary, none),
        "payer": np.where(payment, originator, shipper),
        "payee": np.where(payment, beneficiary, consignee),
    }


def _goods(rng: np.random.Generator, size: int, payment: np.ndarray) -> pl.DataFrame:
    """Return the drawn goods columns: typology, ordinary and CHPL goods, language and HS spelling."""
    draw = rng.random(size)
    edges = np.cumsum(list(_TYPOLOGY_SHARE.values()))
    typology = np.select([draw < edges[0], draw < edges[1], draw < edges[2]], list(_TYPOLOGY_SHARE), "ordinary")
    typology = np.where(payment, "payment", typology)
    ordinary = pl.DataFrame(ORDINARY, orient="row", schema=["hs", "text"])
    chpl = pl.DataFrame(CHPL_GOODS, orient="row", schema=["hs", "en", "ru"])
    o_idx, c_idx = rng.integers(0, ordinary.height, size), rng.integers(0, chpl.height, size)
    return pl.DataFrame(
        {
            "typology": typology,
            "o_hs": ordinary["hs"].gather(o_idx),
            "o_text": ordinary["text"].gather(o_idx),
            "c_hs": chpl["hs"].gather(c_idx),
            "c_en": chpl["en"].gather(c_idx),
            "c_ru": chpl["ru"].gather(c_idx),
            "russian": rng.random(size) < 0.4,
            "style": rng.integers(0, 4, size),
        }
    )


def _pick(values: tuple[str, ...], rng: np.random.Generator, size: int) -> pl.Series:
    """Return ``size`` values drawn evenly from ``values``."""
    return pl.Series(values).gather(rng.integers(0, len(values), size))


def _currency(rng: np.random.Generator, payer: pl.Expr, payee: pl.Expr, size: int) -> pl.Expr:
    """Return the currency of each record, following the countries of its two parties."""
    u = pl.lit(pl.Series(rng.random(size)))

    def either(*countries: str) -> pl.Expr:
        """Return whether payer or payee is in ``countries``."""
        return payer.is_in(countries) | payee.is_in(countries)

    return (
        pl.when(either("CN", "HK") & (u < 0.35))
        .then(pl.lit("CNY"))
        .when(either("RU", "BY") & (u < 0.45))
        .then(pl.lit("RUB"))
        .when(either("AE") & (u < 0.3))
        .then(pl.lit("AED"))
        .when(either("TR") & (u < 0.3))
        .then(pl.lit("TRY"))
        .when(either(*EURO) & (u < 0.6))
        .then(pl.lit("EUR"))
        .otherwise(pl.lit("USD"))
    )


def _block_frame(world: World, rng: np.random.Generator, size: int, offset: int) -> pl.DataFrame:
    """Return one block's drawn columns: parties, routes, goods, money, vessel and dates."""
    payment = rng.random(size) < PAYMENT_SHARE
    rows = _parties(world, rng, payment)
    pool = world.pool
    names = {c: pool["name"].gather(rows[c]) for c in (*TRADE_PARTIES, *PAYMENT_PARTIES)}
    frame = pl.DataFrame(
        {
            **names,
            "shipper_country": pool["country"].gather(rows["shipper"]),
            "consignee_country": pool["country"].gather(rows["consignee"]),
            "payer_country": pool["country"].gather(rows["payer"]),
            "payee_country": pool["country"].gather(rows["payee"]),
            "originator_bank": pool["bank"].gather(rows["originator"]),
            "beneficiary_bank": pool["bank"].gather(rows["beneficiary"]),
            "address": pool["address"].gather(rows["consignee"]),
            "phone": pool["phone"].gather(rows["consignee"]),
            "payment": payment,
            "maker": _pick(MAKERS, rng, size),
            "via": _pick(VIA, rng, size),
            "u_origin": rng.random(size),
            "u_via": rng.random(size),
            "u_bank": rng.random(size),
        }
    ).hstack(_goods(rng, size, payment))
    none = world.vessels.height - 1  # the vessels end with an all-null row
    shipped = ~payment & (rng.random(size) < 0.65)
    vessels = world.vessels[np.where(shipped, rng.integers(0, none, size), none)]
    start = START.toordinal() - date(1970, 1, 1).toordinal()
    return frame.hstack(vessels).with_columns(
        pl.Series("n", np.arange(offset + 1, offset + size + 1)),
        pl.Series("date", rng.integers(0, END.toordinal() - START.toordinal() + 1, size) + start).cast(pl.Date),
        pl.Series("usd", np.round(rng.lognormal(9.5, 1.0, size), 2)),
        pl.Series("quantity", rng.integers(1, 5000, size).astype(np.float64)),
        _currency(rng, pl.col("payer_country"), pl.col("payee_country"), size).alias("currency"),
        pl.Series("ports", pick_per_country(rng, pool["country"].gather(rows["shipper"]), 5)),
        pl.Series("portd", pick_per_country(rng, pool["country"].gather(rows["consignee"]), 5)),
        pl.Series("corr", rng.integers(0, 3, size)),
    )


def _hs_spelling(code: pl.Expr, style: pl.Expr) -> pl.Expr:
    """Write a 10-digit code in one of four spellings: dotted, HS-6, spaced, 8-digit."""
    return (
        pl.when(style == 0)
        .then(fmt("{}.{}.{}", code.str.slice(0, 4), code.str.slice(4, 2), code.str.slice(6, 2)))
        .when(style == 1)
        .then(code.str.slice(0, 6))
        .when(style == 2)
        .then(fmt("{} {} {}", code.str.slice(0, 4), code.str.slice(4, 2), code.str.slice(6, 4)))
        .otherwise(code.str.slice(0, 8))
    )


def priced(currency: pl.Expr, usd: pl.Expr, day: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Return a record's currency and its US-dollar amount in it at the bundled yearly rate (US dollars when none)."""
    rate = usd_rate(currency, day.dt.year())
    label = pl.when(rate.is_null()).then(pl.lit("USD")).otherwise(currency)
    return label, (usd / rate.fill_null(1.0)).round(2)


def _records(frame: pl.DataFrame) -> pl.DataFrame:
    """Turn one block's drawn columns into ledger records (RECORD_ORDER)."""
    label, amount = priced(pl.col("currency"), pl.col("usd"), pl.col("date"))
    frame = frame.with_columns(label.alias("currency"), amount.alias("usd"))
    t, trade = pl.col("typology"), ~pl.col("payment")
    text = pl.when(pl.col("russian")).then(pl.col("c_ru")).otherwise(pl.col("c_en"))
    made_elsewhere = (pl.col("u_origin") < 0.15) & (pl.col("maker") != pl.col("consignee_country"))
    origin = pl.when(made_elsewhere).then(pl.col("maker")).otherwise(pl.col("shipper_country"))
    via = (pl.col("u_via") < 0.07) & (pl.col("via") != pl.col("shipper_country"))
    via = via & (pl.col("via") != pl.col("consignee_country")) & trade
    correspondents = pl.col("currency").replace_strict(
        {k: list(v) for k, v in CORRESPONDENTS.items()}, return_dtype=pl.List(pl.String)
    )
    return frame.select(
        fmt("TX{}", pl.col("n").cast(pl.String).str.zfill(9)).alias("record_id"),
        "date",
        pl.when(t == "chpl_code")
        .then(_hs_spelling(pl.col("c_hs"), pl.col("style")))
        .when(t.is_in(["ordinary", "chpl_wrong_code"]))
        .then(_hs_spelling(pl.col("o_hs"), pl.col("style")))
        .alias("hs_code"),
        pl.when(t == "ordinary").then(pl.col("o_text")).when(trade).then(text).alias("description"),
        "shipper",
        "shipper_country",
        "consignee",
        "consignee_country",
        pl.when(trade).then(origin).alias("origin_country"),
        pl.col("consignee_country").alias("destination_country"),
        pl.col("usd").alias("value"),
        "currency",
        pl.when(trade).then(pl.col("quantity")).alias("quantity"),
        "notify_party",
        pl.when(via).then(pl.col("via")).alias("transit_country"),
        pl.col("ports").alias("port_of_loading"),
        pl.col("portd").alias("port_of_discharge"),
        "vessel",
        "vessel_imo",
        "originator",
        "originator_bank",
        "beneficiary",
        "beneficiary_bank",
        pl.when(pl.col("payment") & (pl.col("u_bank") < 0.35))
        .then(correspondents.list.get(pl.col("corr") % correspondents.list.len()))
        .alias("intermediary_bank"),
        pl.when(trade).then(pl.col("address")).alias("address"),
        pl.when(trade).then(pl.col("phone")).alias("phone"),
    )


def _planted_names(world: World, rng: np.random.Generator, listed: np.ndarray, payment: np.ndarray) -> pl.DataFrame:
    """Return, per planted record, a listed variant or a near miss: companies only in trade records."""
    tables = [world.variants, world.near]
    picks = []
    for table in tables:
        everyone = np.arange(table.height)
        firms = np.flatnonzero((table["schema"] == "Organization").to_numpy())
        choice = np.where(
            payment,
            everyone[rng.integers(0, everyone.size, payment.size)],
            firms[rng.integers(0, firms.size, payment.size)],
        )
        picks.append(table[choice])
    listed_s = pl.Series(listed)
    return pl.select(
        [pl.when(listed_s).then(picks[0][c]).otherwise(picks[1][c]).alias(c) for c in ("entity_id", "variant", "name")]
    ).with_columns(
        pl.when(listed_s).then(pl.lit("listed_variant")).otherwise(pl.lit("near_miss")).alias("party_typology")
    )


def _plant(
    records: pl.DataFrame, frame: pl.DataFrame, world: World, rng: np.random.Generator, rates: tuple[float, float]
) -> Ledger:
    """Write listed variants and near misses into a share of party columns; return records and truth."""
    size, payment = records.height, frame["payment"].to_numpy()
    u = rng.random(size)
    rows = np.flatnonzero(u < sum(rates))
    trade_col = np.array(TRADE_PARTIES)[rng.choice(3, rows.size, p=[0.35, 0.5, 0.15])]
    column = np.where(payment[rows], np.array(PAYMENT_PARTIES)[rng.integers(0, 2, rows.size)], trade_col)
    planted = _planted_names(world, rng, u[rows] < rates[0], payment[rows]).with_columns(
        pl.Series("party_column", column, dtype=pl.String)
    )
    columns: dict[str, pl.Series] = {}
    for c in (*TRADE_PARTIES, *PAYMENT_PARTIES):
        here = column == c
        columns[c] = records[c].scatter(rows[here], planted["name"].filter(pl.Series(here)))
    empty = pl.repeat(None, size, dtype=pl.String, eager=True)
    # a planted consignee keeps no contact details of the pool party it replaced (no accidental shared address)
    consignee = rows[column == "consignee"]
    columns |= {c: records[c].scatter(consignee, empty.head(consignee.size)) for c in ("address", "phone")}
    truth = records.select("record_id").with_columns(
        frame["typology"].replace("payment", "ordinary").alias("typology"),
        pl.when(frame["payment"]).then(pl.lit("payment")).otherwise(pl.lit("trade")).alias("record_type"),
        *[
            empty.clone().scatter(rows, planted[source]).alias(target)
            for target, source in (("party_typology", "party_typology"), ("entity_id", "entity_id"),
                                   ("party_column", "party_column"), ("variant", "variant"), ("party_name", "name"))
        ],
    )  # fmt: skip
    return Ledger(records=records.with_columns(**columns), truth=truth)


def ledger_block(
    world: World, seed: int, block: int, size: int, rates: tuple[float, float] = (LISTED_RATE, NEAR_MISS_RATE)
) -> Ledger:
    """Return block ``block`` (``size`` records) of the seeded ledger drawn from ``world``."""
    rng = np.random.default_rng([seed, 1, block])
    frame = _block_frame(world, rng, size, block * BLOCK_ROWS)
    return _plant(_records(frame), frame, world, rng, rates)


def block_sizes(rows: int) -> list[int]:
    """Return the sizes of the blocks of a ledger of ``rows`` records."""
    return [min(BLOCK_ROWS, rows - start) for start in range(0, rows, BLOCK_ROWS)]


def generate_ledger(
    rows: int,
    seed: int = 7,
    parties: int | None = None,
    *,
    listed_rate: float = LISTED_RATE,
    near_miss_rate: float = NEAR_MISS_RATE,
) -> Ledger:
    """Return a seeded ledger of ``rows`` trade and payment records with planted cases and their truth."""
    world = build_world(rows, seed, parties)
    rates = (listed_rate, near_miss_rate)
    blocks = [ledger_block(world, seed, b, n, rates) for b, n in enumerate(block_sizes(rows) or [0])]
    return Ledger(records=pl.concat([b.records for b in blocks]), truth=pl.concat([b.truth for b in blocks]))


def write_ledger(ledger: Ledger, directory: Path, file_format: str = "parquet") -> Path:
    """Write the ledger as ``ledger.<file_format>`` and its truth as ``truth.csv``; return the ledger path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"ledger.{file_format}"
    if file_format == "csv":
        ledger.records.write_csv(path)
    else:
        ledger.records.write_parquet(path)
    ledger.truth.write_csv(directory / "truth.csv")
    return path
