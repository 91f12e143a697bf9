"""The ingestion entry points: stream a file as canonical batches, or read it whole.

Every row read is either in ``records`` or in ``quarantine`` of exactly one batch; blank lines
(CSV, JSON lines) and fully empty rows (XLSX) are not rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from screening.errors import InputError, located
from screening.ingest.files import check_file, file_sha256
from screening.ingest.formats import INPUT_FORMATS, ReadOptions, content_note
from screening.ingest.mapping import (
    CANONICAL,
    SYNONYMS,
    ColumnMapping,
    check_mapping,
    claims,
    column_key,
    currency_in_name,
    detect_kind,
    party_clash,
    patterned,
    resolve,
    restrict,
)
from screening.ingest.rates import USD_PER_UNIT
from screening.ingest.raw import Source
from screening.ingest.records import Plan, convert
from screening.ingest.unmapped import missing_required, nothing_maps
from screening.ingest.wide import as_long
from screening.schema import NOTE_COLUMNS, QUARANTINE_COLUMNS, REQUIRED, RecordKind, columns_for, empty_frame


@dataclass(frozen=True)
class IngestBatch:
    """Canonical records of one batch and the rows quarantined in it."""

    kind: RecordKind
    records: pl.DataFrame
    quarantine: pl.DataFrame
    mapping: ColumnMapping
    notes: pl.DataFrame = field(default_factory=lambda: empty_frame(NOTE_COLUMNS))  # side fields nulled in records
    messages: tuple[str, ...] = ()  # the reader's notes on data not read into the records

    @property
    def rows_read(self) -> int:
        """Return the rows this batch accounts for."""
        return self.records.height + self.quarantine.height


@dataclass(frozen=True)
class Ingested:
    """A whole file: its hash, kind, records, quarantine and the column mapping used."""

    path: Path
    sha256: str
    kind: RecordKind
    rows_read: int
    records: pl.DataFrame
    quarantine: pl.DataFrame
    mapping: ColumnMapping
    notes: pl.DataFrame = field(default_factory=lambda: empty_frame(NOTE_COLUMNS))
    messages: tuple[str, ...] = ()  # the reader's notes on data not read into the records


def iter_batches(
    path: Path | str,
    mapping: Mapping[str, str] | None = None,
    kind: RecordKind | None = None,
    batch_rows: int = 1_000_000,
    sheets: Sequence[str] | None = None,
) -> Iterator[IngestBatch]:
    """Yield canonical batches of a file (of a workbook's named sheets, when given); at least one."""
    path = Path(path)
    if mapping:
        check_mapping(mapping)
    fmt = check_file(path)
    told = content_note(str(path), path.suffix, fmt)  # said once, with the file's first batch
    for where, opened in open_format(path, fmt, batch_rows, mapping, sheets):  # a workbook may have several sheets
        source = as_long(opened, mapping, where)
        used, chosen = plan_mapping(Path(where), source.columns, mapping, kind)
        targets = {s: t for s, t in used.items() if t}
        currency = _stated_currency(targets)
        if chosen == "flows" and currency is not None and currency not in USD_PER_UNIT:
            known = ", ".join(sorted(USD_PER_UNIT))
            raise InputError(located(where, None, f"no exchange rate to US dollars for {currency}; known: {known}"))
        plan = Plan(where, Path(where).name, chosen, targets, source.separator, currency=currency)
        for raw in source.read(list(targets)):
            converted = convert(raw, plan)
            messages, told = (*told, *raw.messages), ()
            yield IngestBatch(chosen, converted.records, converted.quarantine, used, converted.notes, messages)


def _stated_currency(targets: Mapping[str, str]) -> str | None:
    """Return the currency the value column's name states, when no column gives the currency."""
    if "currency" in targets.values():
        return None
    return next((currency_in_name(s) for s, t in targets.items() if t == "value"), None)


def read_records(
    path: Path | str,
    mapping: Mapping[str, str] | None = None,
    kind: RecordKind | None = None,
    sheets: Sequence[str] | None = None,
) -> Ingested:
    """Read a whole file (a workbook's named sheets, when given) into canonical records and quarantine rows."""
    path = Path(path)
    batches = list(iter_batches(path, mapping, kind, sheets=sheets))
    first = batches[0]
    records = pl.concat([b.records for b in batches]) if batches else pl.DataFrame()
    quarantine = pl.concat([b.quarantine for b in batches])
    return Ingested(
        path=path,
        sha256=file_sha256(path),
        kind=first.kind,
        rows_read=records.height + quarantine.height,
        records=records,
        quarantine=quarantine.select(QUARANTINE_COLUMNS.keys()),
        mapping=first.mapping,
        notes=pl.concat([b.notes for b in batches]),
        messages=tuple(m for b in batches for m in b.messages),
    )


def open_sources(
    path: Path, batch_rows: int, mapping: Mapping[str, str] | None, sheets: Sequence[str] | None = None
) -> list[tuple[str, Source]]:
    """Open the file with the reader of its format: (where, source) per part to read, one but for workbooks."""
    return open_format(path, check_file(path), batch_rows, mapping, sheets)


def open_format(
    path: Path, fmt: str, batch_rows: int, mapping: Mapping[str, str] | None, sheets: Sequence[str] | None = None
) -> list[tuple[str, Source]]:
    """Open the file with the reader of the registered format ``fmt``."""
    keys = {column_key(k) for k in (mapping or {})}

    def known(name: str) -> bool:
        """Tell whether a header cell names a column the mapping or the synonyms know."""
        key = column_key(name)
        return key in keys or key in SYNONYMS or key in {column_key(c) for c in CANONICAL} or bool(patterned(key))

    return INPUT_FORMATS[fmt].open(path, ReadOptions(batch_rows, known, sheets))


def plan_mapping(
    path: Path, columns: list[str], mapping: Mapping[str, str] | None, kind: RecordKind | None
) -> tuple[ColumnMapping, RecordKind]:
    """Map the columns, choose the record kind; raise InputError when nothing maps."""
    resolved = resolve(columns, mapping)
    chosen = kind or detect_kind(t for t in resolved.values() if t)
    used = restrict(resolved, chosen)
    clash = party_clash(claims(columns, mapping), used, chosen)
    if clash:
        kept, dropped, target = clash
        raise InputError(
            located(
                str(path),
                None,
                f"columns '{kept}' and '{dropped}' both map to the party column '{target}' and only one can be "
                "screened there; map one of them elsewhere, or to null, with --mapping",
            )
        )
    if not {t for t in used.values() if t} - {"record_id"}:
        valid = ", ".join(c for c in CANONICAL if c in columns_for(chosen))
        raise InputError(located(str(path), None, nothing_maps(columns, valid)))
    missing = [c for c in REQUIRED[chosen] if c not in used.values()]
    if missing:
        raise InputError(located(str(path), None, missing_required(chosen, missing, columns)))
    return used, chosen
