"""Planted network cases with known answers: corridor surges, ownership chains, payment chains, red flags.

A few hundred to a few thousand records per case, drawn with numpy per case (the cases are a fixed
table, the background ledger is what scales). Every case is a row of ``cases`` with the rule
family that should find it, or not: ``expect`` is ``hit`` for a planted exposure and ``miss`` for a
hard negative (a hub whose whole trade grew, an ordinary good surging, a 49 % stake, a payment
whose onward leg comes too late). ``subject`` is what a hit must name to count:

- ``corridor``: ``ORIGIN>DESTINATION HS6`` (a hit on that corridor at the HS-6 or a coarser level);
- ``party``: the party name as written in the records (hits carry it in ``party``);
- ``record``: a record id.

Corridor volumes sit on corridors the background ledger does not use (or uses thinly), so a
planted ratio is the ratio a rule sees. Planted firms carry names built from words the background
name generator never draws: the engine keys a party by its normalised name without the legal form,
and at 10M rows the background drew "Ak-Zhol Trade LLC" and "Ala-Too Trade JSC" in the very
countries of two planted firms, which then merged with them and blurred the answer.

The seeds of the mission — Chinese ball bearings to Kyrgyzstan +2,492 % in 2023, integrated
circuits to Türkiye $73 M → $125 M with Türkiye's exports of them to Russia +50 % — are planted as
customs statistics (``flows``) with both sides reporting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

import numpy as np
import polars as pl

from screening.frames import fmt
from screening.synth.ledger import priced

RECORD_COLUMNS: Final[dict[str, pl.DataType]] = {
    "record_id": pl.String(),
    "date": pl.Date(),
    "hs_code": pl.String(),
    "description": pl.String(),
    "shipper": pl.String(),
    "shipper_country": pl.String(),
    "consignee": pl.String(),
    "consignee_country": pl.String(),
    "origin_country": pl.String(),
    "destination_country": pl.String(),
    "value": pl.Float64(),
    "currency": pl.String(),
    "quantity": pl.Float64(),
    "originator": pl.String(),
    "originator_bank": pl.String(),
    "beneficiary": pl.String(),
    "beneficiary_bank": pl.String(),
    "address": pl.String(),
    "phone": pl.String(),
}
CASE_COLUMNS: Final[dict[str, pl.DataType]] = {
    "case": pl.String(),
    "rule": pl.String(),
    "typology": pl.String(),
    "expect": pl.String(),
    "subject_kind": pl.String(),
    "subject": pl.String(),
}
SURGE_FROM: Final = date(2022, 3, 1)

# (origin, hub, HS code, description, growth factor after Feb 2022, expect)
CORRIDORS: Final = (
    ("CN", "AM", "8542310000", "Microcontroller integrated circuits", 14.0, "hit"),
    ("HK", "KZ", "8526910000", "GNSS receiver module, GLONASS/GPS", 9.0, "hit"),
    ("CN", "UZ", "8482100000", "Ball bearings 6205-2RS", 20.0, "hit"),
    ("DE", "GE", "8458110000", "CNC lathe, horizontal", 6.0, "hit"),
    ("CN", "KZ", "0902300000", "Black tea in packings up to 3 kg", 15.0, "miss"),  # ordinary goods
)
# A hub whose whole trade with one partner grew threefold: CHPL goods grew no faster than the rest.
# New Zealand is no country of the background ledger, so the growth is the corridor's whole trade at
# any ledger size (with Japan, 100M rows of flat background trade diluted it to x1.2 and it surged).
ALL_GOODS_VALUE: Final = 400_000.0
ALL_GOODS_GROWTH: Final = (
    ("NZ", "AE", "8482500000", "Cylindrical roller bearings", 3.0),
    ("NZ", "AE", "6911100000", "Porcelain tableware, plates and cups", 3.0),
    ("NZ", "AE", "9403600000", "Wooden furniture for offices", 3.0),
    ("NZ", "AE", "4011100000", "New pneumatic tyres for cars", 3.0),
)
# A triangle: coalition/China -> hub and hub -> Russia rising together for the same HS-6.
TRIANGLE: Final = (
    ("CN", "AE", "8541210000", "Transistors, power MOSFET", 4.0),
    ("AE", "RU", "8541210000", "Transistors, power MOSFET", 3.0),
)
# Customs statistics: (reporter, partner, flow, HS code, {year: US$ millions}).
SEED_FLOWS: Final = (
    ("KG", "CN", "import", "8482", {2019: 1.5, 2020: 1.7, 2021: 1.6, 2022: 9.8, 2023: 1.6 * 25.92}),
    ("TR", "CN", "import", "8542", {2019: 70.0, 2020: 76.0, 2021: 73.0, 2022: 98.0, 2023: 125.0}),
    ("TR", "RU", "export", "8542", {2019: 20.0, 2020: 19.0, 2021: 21.0, 2022: 26.0, 2023: 31.5}),
    # mirror gap: China reports three times what Kazakhstan declares
    ("CN", "KZ", "export", "854800", {2019: 7.0, 2020: 7.5, 2021: 8.0, 2022: 22.0, 2023: 30.0}),
    ("KZ", "CN", "import", "854800", {2019: 7.2, 2020: 7.4, 2021: 7.6, 2022: 8.1, 2023: 9.0}),
    # matched mirror: both sides agree within CIF/FOB differences
    ("CN", "GE", "export", "853221", {2019: 4.8, 2020: 4.9, 2021: 5.0, 2022: 5.2, 2023: 5.5}),
    ("GE", "CN", "import", "853221", {2019: 5.1, 2020: 5.2, 2021: 5.3, 2022: 5.5, 2023: 5.8}),
)
# Ownership: (owner, owned, share or None, owned company's expected outcome or None).
OWNERSHIP: Final = (
    ("OBORONLOGISTIKA, OOO", "Vostok Kompozit LLC", 0.60, "hit"),
    ("Vostok Kompozit LLC", "Sever Promtekh TOO", 0.80, "hit"),  # blocked through a blocked parent
    ("GAZPROM BURENIE, OOO", "Altai Mikro LLC", 0.30, "hit"),  # 30 % + 25 % by two listed owners
    ("KOZITSYN, Nikolai", "Altai Mikro LLC", 0.25, None),
    ("GAZPROM BURENIE, OOO", "Baikal Optika LLC", 0.49, "miss"),
    ("Ivan Petrovich Sidorov", "Ural Detal LLC", 0.60, "miss"),  # owner not listed
    ("TIMCHENKO, Gennady", "Kama Instrument LLC", None, "hit"),  # stake of unknown size
)
# Payment chains: legs (payer, payer's bank, payee, payee's bank, day offset, share of the first value).
PAYMENT_CHAINS: Final = (
    ("hit", (("Rhein Maschinen GmbH", "DEUTDEFF", "Kazygurt Trade TOO", "KZKOKZKX", 0, 1.0),
             ("Kazygurt Trade TOO", "KZKOKZKX", "Uralmash Komplekt OOO", "SABRRUMM", 7, 0.94))),
    ("hit", (("Lyon Optique SA", "BNPAFRPP", "Ararat Tech LLC", "ARMIAM22", 0, 1.0),
             ("Ararat Tech LLC", "ARMIAM22", "Kavkaz Trans LLC", "BAGAGE22", 6, 0.95),
             ("Kavkaz Trans LLC", "BAGAGE22", "Izhevsk Elektro OOO", "SABRRUMM", 12, 0.9))),
    ("hit", (("Milano Utensili SpA", "BCITITMM", "Pamir Impex LLC", "ORIETJ22", 0, 1.0),
             ("Pamir Impex LLC", "ORIETJ22", "SGM MOST OOO", "EBILAEAD", 9, 0.97))),
    ("miss", (("Wien Antriebe GmbH", "BKAUATWW", "Steppe Agro TOO", "HSBKKZKX", 0, 1.0),
              ("Steppe Agro TOO", "HSBKKZKX", "Bremen Handel GmbH", "COBADEFF", 5, 0.9))),
    ("miss", (("Porto Metais Lda", "BCOMPTPL", "Tashkent Tekstil LLC", "NBFAUZ2X", 0, 1.0),
              ("Tashkent Tekstil LLC", "NBFAUZ2X", "Volgograd Snab OOO", "SABRRUMM", 95, 0.9))),
)  # fmt: skip
CHPL_PICKS: Final = (
    ("8542310000", "Microcontroller STM32F407 integrated circuits"),
    ("8482100000", "Ball bearings 6205-2RS"),
    ("8526910000", "GNSS receiver module, GLONASS/GPS"),
)
ORDINARY_PICK: Final = ("6911100000", "Porcelain tableware, plates and cups")


@dataclass(frozen=True)
class Planted:
    """Planted records, customs statistics, ownership links and the cases they carry."""

    transactions: pl.DataFrame
    flows: pl.DataFrame
    ownership: pl.DataFrame
    cases: pl.DataFrame


def plant_cases(seed: int = 7) -> Planted:
    """Return the planted cases, drawn with a seeded generator."""
    rng = np.random.default_rng(seed + 1_000)
    parts = [
        *(_corridor(rng, spec[:5]) for spec in CORRIDORS),
        *(_corridor(rng, spec, base_value=ALL_GOODS_VALUE) for spec in ALL_GOODS_GROWTH),
        *(_corridor(rng, spec, base_value=400_000.0) for spec in TRIANGLE),
        _owned_companies(rng),
        _payments(),
        _red_flags(rng),
    ]
    records = pl.concat([_frame(p) for p in parts], how="vertical")
    records = records.with_row_index("n", offset=1).with_columns(
        fmt("PL{}", pl.col("n").cast(pl.String).str.zfill(7)).alias("record_id")
    )
    records = records.drop("n")
    return Planted(transactions=records, flows=_flows(), ownership=_ownership(), cases=_cases(records))


def write_planted(planted: Planted, directory: Path) -> dict[str, Path]:
    """Write the planted records, statistics, ownership links and cases as CSV files."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {
        "transactions": directory / "planted_transactions.csv",
        "flows": directory / "flows.csv",
        "ownership": directory / "ownership.csv",
        "cases": directory / "cases.csv",
    }
    planted.transactions.write_csv(paths["transactions"])
    planted.flows.write_csv(paths["flows"])
    planted.ownership.write_csv(paths["ownership"])
    planted.cases.write_csv(paths["cases"])
    return paths


def _frame(columns: dict[str, object]) -> pl.DataFrame:
    """Return drawn columns as records with every record column, missing ones null."""
    frame = pl.DataFrame(columns)
    return frame.select(
        [(pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c) for c, t in RECORD_COLUMNS.items()]
    )


def _months() -> pl.Series:
    """Return the first day of every month from 2019 to 2024."""
    return pl.date_range(date(2019, 1, 1), date(2024, 12, 1), "1mo", eager=True)


def _corridor(
    rng: np.random.Generator,
    spec: tuple[str, str, str, str, float],
    *,
    base_value: float = 30_000.0,
    per_month: int = 4,
) -> dict[str, object]:
    """Return monthly shipments of one corridor: steady until Feb 2022, then ``factor`` times more."""
    origin, destination, hs_code, text, factor = spec
    months = _months()
    counts = np.where(months.to_numpy() >= np.datetime64(SURGE_FROM), round(per_month * factor), per_month)
    day = np.repeat(months.to_numpy(), counts) + rng.integers(0, 28, counts.sum()).astype("timedelta64[D]")
    size = len(day)
    shippers = [f"{origin} Export Works {i} Ltd" for i in range(3)]
    consignees = [f"{destination} Import House {i} LLC" for i in range(3)]
    return {
        "date": day.astype("datetime64[D]"),
        "hs_code": [hs_code] * size,
        "description": [text] * size,
        "shipper": [shippers[i] for i in rng.integers(0, 3, size)],
        "shipper_country": [origin] * size,
        "consignee": [consignees[i] for i in rng.integers(0, 3, size)],
        "consignee_country": [destination] * size,
        "origin_country": [origin] * size,
        "destination_country": [destination] * size,
        "value": np.round(rng.normal(base_value, base_value * 0.1, size).clip(base_value * 0.5), 2),
        "currency": ["USD"] * size,
        "quantity": rng.integers(10, 500, size).astype(np.float64),
    }


def _shipments(
    rng: np.random.Generator, rows: list[tuple[str, str, str, str, str, str, date]], **extra: Sequence[object]
) -> dict[str, object]:
    """Return shipments (shipper, origin, consignee, destination, HS code, text, date) with drawn values."""
    size = len(rows)
    columns: dict[str, object] = {
        "shipper": [r[0] for r in rows],
        "shipper_country": [r[1] for r in rows],
        "origin_country": [r[1] for r in rows],
        "consignee": [r[2] for r in rows],
        "consignee_country": [r[3] for r in rows],
        "destination_country": [r[3] for r in rows],
        "hs_code": [r[4] for r in rows],
        "description": [r[5] for r in rows],
        "date": [r[6] for r in rows],
        "value": np.round(rng.lognormal(11, 0.5, size), 2),
        "currency": ["USD"] * size,
        "quantity": rng.integers(10, 500, size).astype(np.float64),
    }
    return {**columns, **extra}


def _owned_companies(rng: np.random.Generator) -> dict[str, object]:
    """Return three shipments to every company of the ownership table."""
    owned = list(dict.fromkeys(o for _, o, _, _ in OWNERSHIP))
    hs, text = CHPL_PICKS[0]
    rows = [
        ("Shenzhen Kaida Electronics Co Ltd", "CN", name, "KG", hs, text, date(2023, m, 10))
        for name in owned
        for m in (2, 5, 9)
    ]
    return _shipments(rng, rows)


def _payments() -> dict[str, object]:
    """Return the payments of every planted chain, the first leg on 2023-03-01."""
    start = date(2023, 3, 1).toordinal()
    legs = [leg for _, chain in PAYMENT_CHAINS for leg in chain]
    return {
        "date": [date.fromordinal(start + leg[4]) for leg in legs],
        "originator": [leg[0] for leg in legs],
        "originator_bank": [leg[1] for leg in legs],
        "beneficiary": [leg[2] for leg in legs],
        "beneficiary_bank": [leg[3] for leg in legs],
        "value": [round(480_000.0 * leg[5], 2) for leg in legs],
        "currency": ["USD"] * len(legs),
    }


def _red_flags(rng: np.random.Generator) -> dict[str, object]:
    """Return shipments that carry the entity red flags of the FinCEN/BIS alerts, and near misses."""
    chip, bearing, gnss = CHPL_PICKS
    plain = ORDINARY_PICK
    cn, de = "Shenzhen Kaida Electronics Co Ltd", "Rhein Maschinen GmbH"
    rows: list[tuple[str, str, str, str, str, str, date]] = []
    addresses: list[str | None] = []
    currencies: list[str] = []
    # ENTITY-001: a hub company first seen after the invasion, buying CHPL goods at once
    rows += [(cn, "CN", "Tengri Elektroniks TOO", "KZ", *chip, date(2022, m, 5)) for m in (7, 9, 11)]
    # ENTITY-002: ordinary goods for years, CHPL goods from 2022 on
    rows += [(cn, "CN", "Osh Textile Trade LLC", "KG", *plain, date(y, 4, 2)) for y in (2019, 2020, 2021)]
    rows += [(cn, "CN", "Osh Textile Trade LLC", "KG", *bearing, date(2022, m, 2)) for m in (6, 8, 10)]
    # ENTITY-003: a hub company buying CHPL goods and shipping to Russia
    rows += [(cn, "CN", "Erevan Global Trade LLC", "AM", *gnss, date(2023, 2, 1))]
    rows += [("Erevan Global Trade LLC", "AM", "Kazan Radio Zavod OOO", "RU", *gnss, date(2023, 2, 20))]
    # ENTITY-005: a freight forwarder as the end user of CHPL goods; a forwarder of plates is fine
    rows += [(de, "DE", "Kargo Ekspress Logistik TOO", "KZ", *chip, date(2023, 5, 5))]
    rows += [(de, "DE", "Trans Logistik Servis TOO", "KZ", *plain, date(2023, 5, 6))]
    # ENTITY-007: the same shipment declared again three days later for a Russian consignee
    rows += [("Hamburg Lager GmbH", "DE", "Dubai Star FZE", "AE", *bearing, date(2023, 6, 1))]
    rows += [("Hamburg Lager GmbH", "DE", "Kazan Opt OOO", "RU", *bearing, date(2023, 6, 4))]
    redeclared = len(rows) - 1  # same value and quantity as the declaration before it
    addresses += [None] * len(rows)
    currencies += ["USD"] * len(rows)
    # ENTITY-004: four consignees at one Bishkek address; two at another are not a pattern
    shared = ["Alamedin Trade LLC", "Chuy Tekh LLC", "Naryn Impex LLC", "Talas Komplekt LLC"]
    rows += [(cn, "CN", name, "KG", *chip, date(2023, 3, 3)) for name in shared]
    addresses += ["Chui Ave 125, office 4, Bishkek"] * len(shared)
    rows += [(cn, "CN", name, "KG", *chip, date(2023, 3, 4)) for name in ("Issyk Kul Servis LLC", "Batken Agro LLC")]
    addresses += ["Manas Ave 40, Bishkek"] * 2
    currencies += ["USD"] * 6
    # ENTITY-006: German CHPL goods to Kyrgyzstan settled in yuan
    rows += [(de, "DE", "Issyk Trade LLC", "KG", *bearing, date(2023, 7, 7))]
    addresses += [None]
    currencies += ["CNY"]
    values = _shipments(rng, rows, address=addresses)
    for column in ("value", "quantity"):
        drawn = values[column]
        assert isinstance(drawn, np.ndarray)
        drawn[redeclared] = drawn[redeclared - 1]
    drawn_in = pl.DataFrame({"usd": values["value"], "currency": currencies, "date": values["date"]})
    label, amount = priced(pl.col("currency"), pl.col("usd"), pl.col("date"))  # the yuan row in yuan
    written = drawn_in.select(label.alias("currency"), amount.alias("value"))
    return {**values, "value": written["value"].to_numpy(), "currency": written["currency"].to_list()}


def _flows() -> pl.DataFrame:
    """Return the customs statistics rows of the seeds and the mirror cases."""
    rows = [
        {"reporter_country": r, "partner_country": p, "flow": f, "hs_code": hs, "period": str(y), "value": v * 1e6}
        for r, p, f, hs, series in SEED_FLOWS
        for y, v in series.items()
    ]
    return pl.DataFrame(rows)


def _ownership() -> pl.DataFrame:
    """Return the ownership links as a register extract would give them (shares in percent)."""
    return pl.DataFrame(
        {
            "owner": [o for o, _, _, _ in OWNERSHIP],
            "owned": [d for _, d, _, _ in OWNERSHIP],
            "share": [None if s is None else f"{s * 100:g}" for _, _, s, _ in OWNERSHIP],
        }
    )


def _cases(records: pl.DataFrame) -> pl.DataFrame:
    """Return one row per planted case and hard negative."""
    rows: list[tuple[str, str, str, str, str]] = []
    for o, d, hs, _, _, expect in CORRIDORS:
        rows.append(
            (
                "ROUTE-001",
                "corridor_surge" if expect == "hit" else "ordinary_surge",
                expect,
                "corridor",
                f"{o}>{d} {hs[:6]}",
            )
        )
    rows.append(("ROUTE-001", "all_goods_growth", "miss", "corridor", f"NZ>AE {ALL_GOODS_GROWTH[0][2][:6]}"))
    rows.append(("ROUTE-001", "seed_surge", "hit", "corridor", "CN>KG 848200"))
    rows.append(("ROUTE-001", "seed_surge", "hit", "corridor", "CN>TR 854200"))
    rows.append(("ROUTE-002", "triangle", "hit", "corridor", f"CN>AE {TRIANGLE[0][2][:6]}"))
    rows.append(("ROUTE-002", "seed_triangle", "hit", "corridor", "CN>TR 854200"))
    rows.append(("ROUTE-003", "mirror_gap", "hit", "corridor", "CN>KZ 854800"))
    rows.append(("ROUTE-003", "matched_mirror", "miss", "corridor", "CN>GE 853221"))
    rows += [
        ("OWN-001", "owned_by_listed" if e == "hit" else "not_owned", e, "party", d) for _, d, _, e in OWNERSHIP if e
    ]
    first_legs = records.filter(pl.col("originator").is_not_null()).group_by("originator", maintain_order=True).first()
    for expect, chain in PAYMENT_CHAINS:
        leg = first_legs.filter(pl.col("originator") == chain[0][0])
        rows.append(
            (
                "PAY-001",
                f"payment_chain_{len(chain) - 1}_hops" if expect == "hit" else "broken_chain",
                expect,
                "record",
                leg["record_id"][0],
            )
        )
    rows += [
        ("ENTITY-001", "new_party", "hit", "party", "Tengri Elektroniks TOO"),
        ("ENTITY-002", "chpl_without_history", "hit", "party", "Osh Textile Trade LLC"),
        ("ENTITY-003", "ships_to_russia", "hit", "party", "Erevan Global Trade LLC"),
        *[
            ("ENTITY-004", "shared_address", "hit", "party", n)
            for n in ("Alamedin Trade LLC", "Chuy Tekh LLC", "Naryn Impex LLC", "Talas Komplekt LLC")
        ],
        ("ENTITY-004", "two_at_one_address", "miss", "party", "Issyk Kul Servis LLC"),
        ("ENTITY-005", "forwarder_end_user", "hit", "party", "Kargo Ekspress Logistik TOO"),
        ("ENTITY-005", "forwarder_ordinary_goods", "miss", "party", "Trans Logistik Servis TOO"),
        ("ENTITY-006", "cny_settlement", "hit", "party", "Issyk Trade LLC"),
        ("ENTITY-007", "late_consignee_change", "hit", "party", "Kazan Opt OOO"),
    ]
    cases = pl.DataFrame(rows, schema=[c for c in CASE_COLUMNS if c != "case"], orient="row")
    return cases.with_row_index("n", offset=1).select(
        fmt("CASE{}", pl.col("n").cast(pl.String).str.zfill(3)).alias("case"),
        *[c for c in CASE_COLUMNS if c != "case"],
    )
