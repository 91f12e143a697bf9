"""From a raw batch to canonical records, quarantine rows and data-quality notes, with duplicate ids across batches."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from screening.frames import fmt
from screening.ingest.coerce import (
    LOOKUP_COLUMNS,
    VALUE_LOCAL_COLUMNS,
    blank_placeholders,
    coerce_column,
    huge_fields,
    staging,
    text,
)
from screening.ingest.rates import no_rate_reason, usd_rate
from screening.ingest.raw import LINE, RAW_LIMIT, RawBatch, quarantine_frame
from screening.schema import (
    KEY_COLUMNS,
    NOTE_COLUMNS,
    PARTY_COLUMNS,
    REQUIRED,
    USABLE,
    RecordKind,
    columns_for,
    empty_frame,
)

_REASON = "__reason__"
_NOTED = "__noted__"  # the reasons a row's side fields were nulled, for the reason of a row left with nothing
_RATE = "__usd_rate__"  # a flow's US dollars per unit of its currency, null when it has none
# A flow whose currency cell is blank: its value is nulled and noted, the row kept; a currency is never guessed.
NO_CURRENCY = "no currency given: the value is left out (not read as US dollars)"
# A cell that labels a row as the sum of the rows above it in a vendor's workbook (as written, in
# upper, lower or title case).
SUMS_ROW = ("ИТОГО", "ИТОГО:", "ВСЕГО", "ВСЕГО:", "TOTAL", "TOTAL:", "GRAND TOTAL", "TOPLAM", "JAMI", "ЖАЛПЫ", "БҮГД")
_TOTAL = "__total__"  # the row's product code says "total of all products"
# A product code column's value for the total of all products (Comext ``TOTAL``, vendors' ``ИТОГО``).
TOTAL_PRODUCTS = r"(?i)^\s*(TOTAL|ALL PRODUCTS|ALL COMMODITIES|ИТОГО|ВСЕГО)\b"
LOOKUP_LIMIT = 100_000  # distinct values of a column whose readings are kept for the next batches
# (canonical column, source dtype) -> each distinct value read so far with its coerced columns. A
# value-local reading (a country, an HS code) is the same in every file, so the next files, often
# many small ones with the same codes, reuse it instead of planning the coercion again.
SHARED_READINGS: dict[tuple[str, str], pl.DataFrame] = {}
_VALUE = "__value__"


@dataclass
class Plan:
    """How the rows of one file become records; holds the ids seen so far."""

    where: str  # the path as given, for source_file and quarantine
    file_name: str  # for record ids made from FILE:LINE
    kind: RecordKind
    mapping: dict[str, str]  # source column -> canonical column, mapped columns only
    separator: str = ","
    totals_noted: bool = False  # whether the file's "total of all products" rows were noted
    currency: str | None = None  # the currency the value column's name states (VALUE_IN_EUR), when no column does
    seen: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"record_id": pl.String, "first": pl.Int64}))
    # per source column of VALUE_LOCAL_COLUMNS: each distinct value read so far with its coerced columns
    readings: dict[str, pl.DataFrame] = field(default_factory=dict)


def to_records(batch: RawBatch, plan: Plan) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the canonical records of a raw batch and its quarantine rows (see :func:`convert`)."""
    converted = convert(batch, plan)
    return converted.records, converted.quarantine


def convert(batch: RawBatch, plan: Plan) -> Converted:
    """Return the records, quarantine rows and data-quality notes of a raw batch.

    An unreadable value in a key column of the record kind (``schema.KEY_COLUMNS``) quarantines
    its row; one in any other column is nulled and noted, and the row is kept unless nothing it
    could be screened for is left (``schema.USABLE``).
    """
    names = frozenset(s for s, t in plan.mapping.items() if t in PARTY_COLUMNS or t == "name")
    rows = blank_placeholders(batch.rows, list(plan.mapping), names)
    rows, total_note = _totals(rows, plan)
    values: dict[str, pl.Expr] = {}
    present: set[str] = set()
    checks: list[_Check] = []
    errors = huge_fields(rows)
    for source, target in plan.mapping.items():
        exprs, error = coerce_column(target, pl.col(source), rows.schema[source])
        present.update(exprs)
        if target in LOOKUP_COLUMNS:
            staged = staging(target, pl.col(source), rows.schema[source])
            keeper = plan if target in VALUE_LOCAL_COLUMNS else None
            rows = _join_unique(rows, (source, target), (staged, exprs), keeper)
        else:
            values.update(exprs)
        if error is not None and target in KEY_COLUMNS[plan.kind]:
            errors.append(error)
        elif error is not None:
            checks.append(_Check(source, tuple(exprs), error))
        if target in REQUIRED[plan.kind]:
            missing = text(pl.col(source)).is_null() & ~pl.col(_TOTAL)
            errors.append(pl.when(missing).then(pl.lit(f"column {target}: missing")))
    frame = rows.with_columns(expr.alias(f"__{name}") for name, expr in values.items())
    checks.extend(_no_currency(plan, present))
    frame, notes = _note_side_fields(frame, checks, plan)
    frame = _priced(frame, plan, present)
    errors.extend([_unusable(plan), _sums_row(rows, plan), _unpriced(plan, present)])
    reason = pl.concat_str(errors, separator="; ", ignore_nulls=True)
    frame = frame.with_columns(pl.when(reason != "").then(reason).alias(_REASON))
    frame = _check_ids(frame, plan)
    bad = frame.filter(pl.col(_REASON).is_not_null())
    raw = pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in plan.mapping], separator=plan.separator)
    quarantine = quarantine_frame(plan.where, bad[LINE], bad[_REASON], bad.select(raw).to_series())
    good = frame.filter(pl.col(_REASON).is_null())
    kept = notes.join(good.select(pl.col(LINE).alias("line")), on="line", how="semi", maintain_order="left")
    kept = pl.concat([total_note, kept])
    return Converted(_canonical(good, plan, present), pl.concat([batch.rejects, quarantine]), kept)


@dataclass(frozen=True)
class _Check:
    """A side column's error expression and the coerced columns an error nulls."""

    source: str
    outputs: tuple[str, ...]
    error: pl.Expr


@dataclass(frozen=True)
class Converted:
    """What a raw batch becomes: records, quarantine rows and data-quality notes on kept rows."""

    records: pl.DataFrame
    quarantine: pl.DataFrame
    notes: pl.DataFrame


def _note_side_fields(frame: pl.DataFrame, checks: list[_Check], plan: Plan) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Null the side fields that did not read and return one note per such field."""
    if not checks:
        return frame.with_columns(pl.lit("").alias(_NOTED)), empty_frame(NOTE_COLUMNS)
    flags = [f"__error__{n}" for n in range(len(checks))]
    frame = frame.with_columns(c.error.alias(flag) for c, flag in zip(checks, flags, strict=True))
    notes = pl.concat(
        frame.filter(pl.col(flag).is_not_null()).select(
            pl.lit(plan.where, pl.String).alias("source_file"),
            pl.col(LINE).cast(pl.Int64).alias("line"),
            pl.lit(c.source, pl.String).alias("column"),
            pl.col(c.source).cast(pl.String).str.slice(0, RAW_LIMIT).alias("value"),
            pl.col(flag).alias("reason"),
        )
        for c, flag in zip(checks, flags, strict=True)
    ).sort("line", maintain_order=True)
    nulled = [
        pl.when(pl.col(flag).is_null()).then(pl.col(f"__{out}")).alias(f"__{out}")
        for c, flag in zip(checks, flags, strict=True)
        for out in c.outputs
    ]
    # only a kind whose rows can be left with nothing to screen reads the reasons again (_unusable)
    said = (
        pl.concat_str([pl.col(f) for f in flags], separator="; ", ignore_nulls=True)
        if USABLE[plan.kind]
        else pl.lit("")
    )
    return frame.with_columns(nulled).with_columns(said.alias(_NOTED)).drop(flags), notes


def _totals(rows: pl.DataFrame, plan: Plan) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Blank product codes that say "total of all products", noting the first one of the file only."""
    source = next((s for s, t in plan.mapping.items() if t == "hs_code"), None)
    if source is None or rows.schema[source] != pl.String:
        return rows.with_columns(pl.lit(False).alias(_TOTAL)), empty_frame(NOTE_COLUMNS)
    total = pl.col(source).str.contains(TOTAL_PRODUCTS).fill_null(False)
    first = rows.filter(total).head(0 if plan.totals_noted else 1)
    plan.totals_noted = plan.totals_noted or first.height > 0
    note = first.select(
        pl.lit(plan.where, pl.String).alias("source_file"),
        pl.col(LINE).cast(pl.Int64).alias("line"),
        pl.lit(source, pl.String).alias("column"),
        pl.col(source).cast(pl.String).alias("value"),
        pl.lit(f"column {source}: totals of all products, no product detail (noted once per file)").alias("reason"),
    )
    blanked = pl.when(total).then(None).otherwise(pl.col(source)).alias(source)
    return rows.with_columns(blanked, total.alias(_TOTAL)), note


def _sums_row(rows: pl.DataFrame, plan: Plan) -> pl.Expr:
    """Return the reason for a transaction row that sums the rows above it (``ИТОГО``, ``TOTAL``)."""
    texts = [s for s, t in plan.mapping.items() if rows.schema[s] == pl.String and t != "hs_code"]
    if plan.kind != "transactions" or not texts:
        return pl.lit(None, pl.String)
    forms = sorted({f(label) for label in SUMS_ROW for f in (str.upper, str.lower, str.title)})
    labelled = pl.any_horizontal(pl.col(s).is_in(forms).fill_null(False) for s in texts)
    return pl.when(labelled).then(pl.lit("a totals row (sums of the rows above), not a record"))


def _unusable(plan: Plan) -> pl.Expr:
    """Return the reason for a row left with nothing to screen, when the file maps something that could be."""
    wanted = [c for c in USABLE[plan.kind] if c in plan.mapping.values()]
    if not wanted:
        return pl.lit(None, pl.String)
    nothing = pl.all_horizontal(pl.col(f"__{c}").is_null() for c in wanted)
    # the fields nulled, and how an HS code could not be read (an ambiguous 5-digit code), if any
    hs = [fmt("column hs_code: {}", pl.col("__hs_note"))] if "hs_code" in wanted else []
    said = pl.concat_str([pl.when(pl.col(_NOTED) != "").then(pl.col(_NOTED)), *hs], separator="; ", ignore_nulls=True)
    why = pl.when(said != "").then(fmt(" ({})", said))
    reason = pl.concat_str([pl.lit("nothing left to screen: no party, goods or value"), why], ignore_nulls=True)
    return pl.when(nothing).then(reason)


def _flow_priced(plan: Plan, present: set[str]) -> bool:
    """Tell whether a file's rows are flows whose values are put into US dollars (they have a period)."""
    return plan.kind == "flows" and "period" in present


def _priced(frame: pl.DataFrame, plan: Plan, present: set[str]) -> pl.DataFrame:
    """Add each flow's US-dollar rate (``_RATE``), looked up once for the quarantine check and the stored value."""
    if not _flow_priced(plan, present):
        return frame
    return frame.with_columns(usd_rate(_flow_currency(plan, present), pl.col("__period").dt.year()).alias(_RATE))


def _currency_source(plan: Plan, present: set[str]) -> str | None:
    """Return the source column of a priced flow file's currency, None when it has none."""
    source = next((s for s, t in plan.mapping.items() if t == "currency"), None)
    return source if _flow_priced(plan, present) else None


def _blank_currency(source: str) -> pl.Expr:
    """Return whether a flow with a value leaves its currency cell blank (no currency given)."""
    return text(pl.col(source)).is_null() & pl.col("__value").is_not_null()


def _no_currency(plan: Plan, present: set[str]) -> list[_Check]:
    """Return the note on a flow with a value and a blank currency cell (its value is stored null: it has no rate)."""
    source = _currency_source(plan, present)
    return [] if source is None else [_Check(source, (), pl.when(_blank_currency(source)).then(pl.lit(NO_CURRENCY)))]


def _unpriced(plan: Plan, present: set[str]) -> pl.Expr:
    """Return the reason for a flow whose value has no US-dollar rate (a currency not quoted, or not in that year)."""
    if not _flow_priced(plan, present):
        return pl.lit(None, pl.String)
    currency, year = _flow_currency(plan, present), pl.col("__period").dt.year()
    priced = pl.col(_RATE).is_not_null() | pl.col("__value").is_null()
    source = _currency_source(plan, present)
    priced = priced if source is None else priced | _blank_currency(source)  # kept, valued null, noted
    return pl.when(~priced).then(fmt("column value: {}", no_rate_reason(currency, year)))


def _flow_currency(plan: Plan, present: set[str]) -> pl.Expr:
    """Return the currency of a flow's value: its currency column's, else the one the value column's name states."""
    stated = pl.lit(plan.currency or "USD", pl.String)
    return pl.col("__currency") if "currency" in present else stated


def _join_unique(
    rows: pl.DataFrame,
    columns: tuple[str, str],
    steps: tuple[dict[str, pl.Expr], dict[str, pl.Expr]],
    plan: Plan | None,
) -> pl.DataFrame:
    """Add coerced columns computed once per distinct source value, or once per run when ``plan`` keeps them.

    ``columns`` are the source and canonical column; ``steps`` the staged columns
    (:func:`staging`) and the coerced values that read them.
    """
    (source, target), (staged, exprs) = columns, steps
    shared = (target, str(rows.schema[source]))
    known = _readings(plan, source, shared)
    values = rows.select(pl.col(source).unique())
    if known is not None:
        values = values.join(known.select(source), on=source, how="anti", nulls_equal=True)
    if known is None or values.height:  # an expression costs its set-up (regexes) even on no rows
        table = values.with_columns(**staged).with_columns(expr.alias(f"__{name}") for name, expr in exprs.items())
        table = table.drop(list(staged))
        known = table if known is None else pl.concat([known, table], how="vertical_relaxed")
    if plan is not None and known.height <= LOOKUP_LIMIT:
        plan.readings[source] = known
        SHARED_READINGS[shared] = known.rename({source: _VALUE})
    # joined on the one column, not the whole batch, so that only the new columns are gathered
    joined = rows.select(source).join(known, on=source, how="left", nulls_equal=True, maintain_order="left")
    return rows.hstack(joined.drop(source).get_columns())


def _readings(plan: Plan | None, source: str, shared: tuple[str, str]) -> pl.DataFrame | None:
    """Return the readings known for a column: the file's own, else those earlier files of the run left."""
    if plan is None:
        return None
    known = plan.readings.get(source)
    if known is None and shared in SHARED_READINGS:
        known = SHARED_READINGS[shared].rename({_VALUE: source})
    return known


def _check_ids(frame: pl.DataFrame, plan: Plan) -> pl.DataFrame:
    """Quarantine rows whose own id repeats one seen earlier in the file."""
    if "record_id" not in plan.mapping.values():
        return frame
    ids = frame.select(pl.col("__record_id").alias("record_id"), pl.col(LINE).alias("first")).drop_nulls("record_id")
    # distinct hashes prove distinct ids, so most batches skip the comparison of the ids themselves;
    # the earlier ids are looked up in the batch's, not the other way round: a file's ids outnumber a batch's
    keys = ids["record_id"].hash()
    if keys.n_unique() == ids.height and not plan.seen["record_id"].hash().is_in(keys.implode()).any():
        plan.seen = pl.concat([plan.seen, ids])
        return frame
    return _mark_repeated(frame, plan)


def _mark_repeated(frame: pl.DataFrame, plan: Plan) -> pl.DataFrame:
    """Quarantine the rows whose id is on an earlier line, in this batch or in ``plan.seen``, and add the new ids."""
    ids = frame.select(
        pl.col("__record_id").alias("record_id"),
        pl.col(LINE).min().over("__record_id").alias("here"),
    )
    known = ids.join(plan.seen, on="record_id", how="left", maintain_order="left")
    first = pl.coalesce(known["first"], known["here"])
    duplicate = pl.when(pl.col("__record_id").is_not_null() & (pl.col(LINE) != first)).then(
        fmt("duplicate record id '{}' (first on line {})", "__record_id", first)
    )
    reason = pl.concat_str([pl.col(_REASON), duplicate], separator="; ", ignore_nulls=True)
    frame = frame.with_columns(pl.when(reason != "").then(reason).alias(_REASON))
    fresh = ids.with_columns(known["first"]).filter(pl.col("first").is_null() & pl.col("record_id").is_not_null())
    new = fresh.unique("record_id").select("record_id", pl.col("here").alias("first"))
    plan.seen = pl.concat([plan.seen, new])
    return frame


def _record_id(plan: Plan, present: set[str]) -> pl.Expr:
    """Return the record id: the row's own id, else declaration/item when both are given, else FILE:LINE."""
    ids = [pl.col("__record_id")] if "record_id" in present else []
    if {"declaration_number", "item_number"} <= present:
        ids.append(fmt("{}/{}", pl.col("__declaration_number"), pl.col("__item_number")))
    return pl.coalesce(*ids, fmt(f"{plan.file_name}:{{}}", pl.col(LINE)))


def _canonical(good: pl.DataFrame, plan: Plan, present: set[str]) -> pl.DataFrame:
    """Select the canonical columns in schema order with their dtypes."""
    columns = []
    for name, dtype in columns_for(plan.kind).items():
        if name == "record_id":
            expr = _record_id(plan, present)
        elif name == "currency" and name not in present and plan.currency:
            expr = pl.when(pl.col("__value").is_not_null()).then(pl.lit(plan.currency))
        elif name == "value" and _flow_priced(plan, present):
            expr = pl.col("__value") * pl.col(_RATE)
        elif name == "source_file":
            expr = pl.lit(plan.where)
        elif name == "line":
            expr = pl.col(LINE)
        else:
            expr = pl.col(f"__{name}") if name in present else pl.lit(None)
        columns.append(expr.cast(dtype).alias(name))
    return good.select(columns)
