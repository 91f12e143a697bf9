"""A new user's trial: real public files, and the same files as banks export them, through the CLI.

    python benchmarks/trial_real_files.py [--only SUBSTRING] [--no-match]

Each real file of ``../shared/data`` (a sanctions list, people with birth dates, HS code tables, a
real workbook with title rows) is copied into a scratch folder, re-encoded as banks' exports come
(UTF-8 with BOM, a Windows code page, UTF-16 LE with BOM, semicolons with decimal commas, CRLF,
an .xlsx saved from the CSV with numbers and dates typed), and run through ``screening scan``
(and ``screening match`` for files of names) in a fresh store each, as separate processes. The
table on stdout and ``benchmarks/results/trial_real_files.json`` say, per run: exit code, rows
read / stored / quarantined / noted, which column became the name, country, HS code, the hits,
and the one line the tool printed when it refused. Skips cleanly when ``../shared/data`` is absent.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

HERE: Final = Path(__file__).resolve().parent
DATA: Final = HERE.parent / ".." / "shared" / "data"
RESULTS: Final = HERE / "results" / "trial_real_files.json"
SCREENING: Final = Path(sys.executable).parent / "screening"
WATCHLIST: Final = "lists/ofac_sdn_csv_2021-07"  # what `match` screens the name files against
# (file under ../shared/data, role): ``names`` files also go to `match`, ``goods`` files only to `scan`
FILES: Final = (
    ("lists/us_csl_2019-12.csv", "names"),
    ("lists/bis_dpl_2022-09.txt", "names"),
    ("lists/ofac_sdn_csv_2021-07/sdn.csv", "names"),
    ("lists/ofac_cons_nonsdn_csv_2025-12/cons_prim.csv", "names"),
    ("names_dev/valrep_negatives_us.csv", "names"),
    ("names_dev/valrep_negatives_global.csv", "names"),
    ("names_dev/ofac_fixtures.csv", "names"),
    ("reference/eu_sanctions_hs6_master.csv", "goods"),
    ("reference/chpl_feb2024_hs6.csv", "goods"),
    ("reference/HS2022toHS2017ConversionAndCorrelationTables.xlsx", "goods"),
)
SHOWN: Final = ("name", "country", "hs_code", "birth_date", "date", "counterparty", "shipper", "consignee")


@dataclass
class Outcome:
    """What one command did with one file."""

    file: str
    variant: str
    command: str
    exit: int
    seconds: float
    rows_read: int | None = None
    stored: int | None = None
    quarantined: int | None = None
    noted: int | None = None
    kind: str | None = None
    columns: str = ""
    hits: str = ""
    said: str = ""


def read_rows(path: Path) -> tuple[list[list[str]], str]:
    """Return a delimited text file's rows and its delimiter (tab for .txt, comma otherwise)."""
    text = path.read_bytes().decode("utf-8-sig")
    delimiter = "\t" if path.suffix == ".txt" else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), delimiter


def write_rows(rows: list[list[str]], delimiter: str, line_end: str = "\n") -> str:
    """Return rows as delimited text."""
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    return out.getvalue()


def _code_page(text: str) -> tuple[str, bytes]:
    """Return the Windows code page holding most of the text, and the text in it (the rest as ``?``)."""
    lost = {name: text.encode(name, "replace").count(b"?") - text.count("?") for name in ("cp1252", "cp1251")}
    name = min(lost, key=lambda n: lost[n])
    return name, text.encode(name, "replace")


_DECIMAL: Final = re.compile(r"^-?\d+\.\d+$")
_ISO_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_US_DATE: Final = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def _typed(cell: str) -> object:
    """Return a cell as Excel would keep it after a user opened the CSV: numbers and dates typed."""
    value = cell.strip()
    if ILLEGAL_CHARACTERS_RE.search(cell):
        return ILLEGAL_CHARACTERS_RE.sub("", cell)  # OFAC's files end with a DOS end-of-file mark, ^Z
    if value.isdigit() and len(value) < 16:
        return int(value)  # an HS code 010121 becomes the number 10121
    if _DECIMAL.match(value):
        return float(value)
    if _ISO_DATE.match(value):
        return dt.datetime.fromisoformat(value)
    if _US_DATE.match(value):
        return dt.datetime.strptime(value, "%m/%d/%Y")
    return cell


def write_xlsx(rows: list[list[str]], target: Path) -> None:
    """Save rows as a workbook the way Excel saves an opened CSV: a title row, then typed cells."""
    from openpyxl import Workbook  # noqa: PLC0415

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Export from the bank's screening extract", None, None])
    sheet.append([])
    for row in rows:
        sheet.append([_typed(c) for c in row])
    book.save(target)


def variants(source: Path, folder: Path) -> list[tuple[str, Path | str]]:
    """Write the variants of one file into a folder; return (variant, path or why it was not made)."""
    if source.suffix == ".xlsx":
        target = folder / source.name
        shutil.copyfile(source, target)
        return [("original", target)]
    raw = source.read_bytes()
    rows, delimiter = read_rows(source)
    text = raw.decode("utf-8-sig")
    stem, suffix = source.stem, source.suffix
    made: list[tuple[str, Path | str]] = [("original", _write(folder / source.name, raw))]
    made.append(("utf8-bom", _write(folder / f"{stem}.bom{suffix}", b"\xef\xbb\xbf" + text.encode())))
    page, encoded = _code_page(text)
    made.append((page, _write(folder / f"{stem}.{page}{suffix}", encoded)))
    made.append(("utf16le-bom", _write(folder / f"{stem}.utf16{suffix}", b"\xff\xfe" + text.encode("utf-16-le"))))
    semi = [[c.replace(".", ",") if _DECIMAL.match(c) else c for c in row] for row in rows]
    made.append(("semicolon-decimal-comma", _write(folder / f"{stem}.semi.csv", write_rows(semi, ";").encode())))
    crlf = write_rows(rows, delimiter, "\r\n").encode()
    made.append(("crlf", _write(folder / f"{stem}.crlf{suffix}", crlf)))
    write_xlsx(rows, folder / f"{stem}.xlsx")
    made.append(("xlsx-typed", folder / f"{stem}.xlsx"))
    return made


def _write(target: Path, data: bytes) -> Path:
    """Write bytes to a path and return it."""
    target.write_bytes(data)
    return target


def run(argv: list[str], cwd: Path) -> tuple[int, str, float]:
    """Run the screening command; return its exit code, its last stderr line and its wall seconds."""
    start = time.perf_counter()
    done = subprocess.run([str(SCREENING), *argv], cwd=cwd, capture_output=True, text=True, check=False)
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    said = lines[-1].strip() if lines else ""
    if "Traceback" in done.stderr:
        said = "TRACEBACK: " + said
    return done.returncode, said[:300], round(time.perf_counter() - start, 1)


def scan(path: Path, label: str, variant: str, work: Path) -> Outcome:
    """Scan one file in a fresh store; return what it did."""
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copyfile(work.parent / "template.duckdb", work / "store.duckdb")
    argv = ["--db", "store.duckdb", "scan", str(path), "--format", "json", "--out", "out", "--quiet"]
    code, said, seconds = run(argv, work)
    outcome = Outcome(label, variant, "scan", code, seconds, said=said if code else "")
    summary = out / "summary.json"
    if code in (0, 1) and summary.is_file():
        _summarised(outcome, json.loads(summary.read_text(encoding="utf-8")))
    return outcome


def _summarised(outcome: Outcome, summary: dict[str, Any]) -> None:
    """Fill an outcome from a run summary."""
    counts = summary["counts"]
    outcome.rows_read, outcome.stored = counts["rows_read"], counts["stored"]
    outcome.quarantined, outcome.noted = counts["quarantined"], counts["noted"]
    files = summary["files"]
    if files:
        outcome.kind = files[0]["kind"]
        placed = {t: s for s, t in files[0]["columns"].items() if t in SHOWN}
        outcome.columns = ", ".join(f"{t}<-{s}" for t, s in placed.items())
    outcome.hits = ", ".join(f"{h['rule_id']}:{h['hits']}" for h in summary["hits_by_rule"])
    if summary["skipped"]:
        outcome.said = "; ".join(s["reason"] for s in summary["skipped"])[:300]


def match(path: Path, label: str, variant: str, work: Path, watchlist: Path) -> Outcome:
    """Match one file of names against the watchlist; return what it did."""
    target = work / "match.csv"
    target.unlink(missing_ok=True)
    argv = ["match", str(path), "--watchlist", str(watchlist), "--out", str(target)]
    code, said, seconds = run(argv, work)
    outcome = Outcome(label, variant, "match", code, seconds, said=said)
    if code == 0 and target.is_file():
        matched = [r for r in csv.DictReader(target.open(encoding="utf-8"))]
        outcome.hits = f"{len({r['query_id'] for r in matched})} queries matched"
    return outcome


def trial(only: str | None, with_match: bool) -> list[Outcome]:
    """Run every file and variant; return the outcomes."""
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="trial-real-") as tmp:
        scratch = Path(tmp)
        watchlist = scratch / "watchlist" / "sdn.csv"
        shutil.copytree(DATA / WATCHLIST, watchlist.parent)
        code, said, _ = run(["--db", "template.duckdb", "lists", "import", str(watchlist.parent)], scratch)
        if code:
            raise SystemExit(f"cannot import the watchlist: {said}")
        for name, role in FILES:
            if only and only not in name:
                continue
            folder = scratch / Path(name).stem
            folder.mkdir()
            for variant, path in variants(DATA / name, folder):
                outcomes.extend(
                    _one(
                        Path(name).name, variant, path, role, folder=folder, watchlist=watchlist if with_match else None
                    )
                )
    return outcomes


def _one(
    label: str, variant: str, path: Path | str, role: str, *, folder: Path, watchlist: Path | None
) -> list[Outcome]:
    """Return the outcomes of one variant (scan, and match for a names file), printing each."""
    if isinstance(path, str):
        return [_shown(Outcome(label, variant, "-", -1, 0.0, said=path))]
    done = [_shown(scan(path, label, variant, folder))]
    if role == "names" and watchlist is not None:
        done.append(_shown(match(path, label, variant, folder, watchlist)))
    return done


def _shown(outcome: Outcome) -> Outcome:
    """Print one outcome as a table row and return it."""
    counts = "/".join("-" if v is None else str(v) for v in (outcome.rows_read, outcome.stored, outcome.quarantined))
    print(
        f"| {outcome.file} | {outcome.variant} | {outcome.command} | {outcome.exit} | {counts} | "
        f"{outcome.noted if outcome.noted is not None else '-'} | {outcome.kind or '-'} | {outcome.columns or '-'} | "
        f"{outcome.hits or '-'} | {outcome.said.replace('|', '/') or '-'} | {outcome.seconds} |",
        flush=True,
    )
    return outcome


HEADER: Final = (
    "| file | variant | command | exit | read/stored/quarantined | noted | kind | columns | hits | said | s |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)


def main(argv: list[str] | None = None, say: Callable[[str], None] = print) -> int:
    """Run the trial and write the results file; 0 also when the data is absent (skipped)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="only files whose path holds this")
    parser.add_argument("--no-match", action="store_true", help="scan only, no `screening match`")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"results file (default {RESULTS.name})")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        say(f"skipped: {DATA} not found (the shared reference data is not beside this checkout)")
        return 0
    say(HEADER)
    outcomes = trial(args.only, not args.no_match)
    if not args.only:
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps([asdict(o) for o in outcomes], indent=1, ensure_ascii=False) + "\n")
        say(f"wrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
