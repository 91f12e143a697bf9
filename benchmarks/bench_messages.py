"""Payment-message benchmark: messages per second parsed and screened, peak memory, planted cases found.

    python benchmarks/bench_messages.py --messages 100000 [--format pacs008|mt103]

Writes the synthetic ledger's payments (:mod:`screening.synth.messages`, with the planted payment
chains and message-only cases) as one file of ``--messages`` messages, then runs three stages, each
in its own process so that each peak memory is its own:

- ``floor``: a plain ``lxml.etree.iterparse`` over the file extracting the same fields (message
  id, end-to-end id, UETR, amount, currency, date, debtor, creditor, the agents' BICs, ultimate
  creditor, remittance), clearing as it goes: what reading the XML costs at least (pacs.008 only);
- ``floor_xslt``: the same fields by one XSLT (libxslt, in C) over each run of 1,000 messages,
  parsed as one document: what lxml can do with no Python per message or per field;
- ``parse``: the message reader into canonical records (``screening.ingest.iter_batches``);
- ``scan``: the whole scan with the bundled rules and sample lists (``screening.scan``);
- ``stages`` (``--stages``, not run by default): the scan's stages one after the other in one process
  and one thread, each timed on its own: cutting the messages, reading them (the stylesheet or the
  MT fast path), the lines to records (polars), all of reading with the coercion, storing, each
  row-level rule and each run-level rule (in the rule set's order: a resource the rules share,
  such as the sample lists' name index, counts for the first rule that needs it).

Seconds (wall) and CPU seconds (user and system, of the stage's process and its worker processes)
are measured after the imports; on a shared machine the wall time includes waiting for a core. A
scan's include loading the rules and building the sample lists' name index, a fixed cost that
small runs feel most.

Every planted case (``message_cases.csv``) must be found, and no hard negative flagged.
Results go to ``benchmarks/results/messages_<format>_<messages>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl
from lxml import etree
from machine import describe

from screening import scan
from screening.ingest import iter_batches
from screening.ingest.messages import is_mt
from screening.ingest.messages.mt import split_mt
from screening.ingest.messages.split import split_messages
from screening.ingest.messages.workers import CHUNK, _chunks, finish, read_chunk
from screening.kinds.base import RunCheck, ScanContext
from screening.rules import load_rules
from screening.store import open_store
from screening.synth.messages import SUFFIX, ledger_payments, write_messages

HERE = Path(__file__).parent
NS = "{urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08}"
FIELDS = ("PmtId/EndToEndId", "PmtId/UETR", "IntrBkSttlmAmt", "IntrBkSttlmDt", "Dbtr/Nm", "Cdtr/Nm",
          "DbtrAgt/FinInstnId/BICFI", "CdtrAgt/FinInstnId/BICFI", "IntrmyAgt1/FinInstnId/BICFI", "UltmtCdtr/Nm",
          "RmtInf/Ustrd")  # fmt: skip


def floor(path: Path) -> int:
    """Extract the fields with a plain iterparse, clearing each message; return the transactions read."""
    paths = ["/".join(NS + step for step in f.split("/")) for f in FIELDS]
    columns: list[list[str | None]] = [[] for _ in range(len(paths) + 2)]
    for _, elem in etree.iterparse(str(path), events=("end",), tag=f"{NS}Document", resolve_entities=False,
                                   no_network=True, load_dtd=False, huge_tree=False):  # fmt: skip
        for tx in elem.iter(f"{NS}CdtTrfTxInf"):
            columns[0].append(elem.findtext(f"{NS}FIToFICstmrCdtTrf/{NS}GrpHdr/{NS}MsgId"))
            columns[1].append(tx.find(f"{NS}IntrBkSttlmAmt").get("Ccy"))
            for n, found in enumerate(paths, start=2):
                columns[n].append(tx.findtext(found))
        elem.clear()
        while elem.getprevious() is not None:
            del elem.getparent()[0]
    return len(pl.DataFrame(dict(zip(["msg", "ccy", *FIELDS], columns, strict=True))))


STYLESHEET = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
 xmlns:p="{NS[1:-1]}"><xsl:output method="text" encoding="utf-8"/><xsl:template match="/">
<xsl:for-each select="*/p:Document/p:FIToFICstmrCdtTrf/p:CdtTrfTxInf">
<xsl:value-of select="../p:GrpHdr/p:MsgId"/>&#xE000;<xsl:value-of select="p:IntrBkSttlmAmt/@Ccy"/>
{"".join(f'&#xE000;<xsl:value-of select="p:{f.replace("/", "/p:")}"/>' for f in FIELDS)}&#xE001;
</xsl:for-each></xsl:template></xsl:stylesheet>"""
RUN = 1000  # messages parsed as one document by floor_xslt


def floor_xslt(path: Path) -> int:
    """Extract the fields with one XSLT per run of messages, into a frame; return the transactions read."""
    transform = etree.XSLT(etree.XML(STYLESHEET.encode()))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    text = path.read_bytes()
    starts = [m.start() for m in re.finditer(rb"<Document[\s>]", text)]
    ends = [*starts[RUN::RUN], text.rindex(b"</Document>") + 11]
    out: list[bytes] = []
    for begin, end in zip(starts[::RUN], ends, strict=True):
        wrapped = etree.fromstring(b"<W>" + text[begin:end].replace(b"</Envelope>", b"") + b"</W>", parser)
        out.append(bytes(transform(wrapped)))
    records = b"".join(out).decode().split("\ue001")[:-1]
    columns = list(zip(*(r.split("\ue000") for r in records), strict=True))
    return len(pl.DataFrame(dict(zip(["msg", "ccy", *FIELDS], columns, strict=True))))


def parse(path: Path) -> int:
    """Read the file into canonical records with the message reader; return the records read."""
    return sum(b.records.height for b in iter_batches(path))


def screen(path: Path, cases: Path) -> dict[str, Any]:
    """Scan the file; return the hits per rule and the planted cases found."""
    result = scan([path], command="bench")
    hits = result.reported.frame().with_columns(message=pl.col("record_id").str.replace(r"/\d+$", ""))
    planted = pl.read_csv(cases)
    flagged = hits.select(rule_id="rule_id", record_id="message").unique()
    checked = planted.join(flagged.with_columns(found=pl.lit(True)), on=["rule_id", "record_id"], how="left")
    checked = checked.with_columns(pl.col("found").fill_null(False))
    return {
        "records": result.store.scalar("SELECT count(*) FROM transactions"),
        "quarantined": result.quarantined,
        "hits_by_rule": dict(sorted(hits.group_by("rule_id").len().rows())),
        "cases": checked.to_dicts(),
        "all_cases_right": bool((checked["found"] == (checked["expect"] == "hit")).all()),
        "timings": {k: round(v, 2) for k, v in result.timings.items()},
    }


def stage_times(path: Path) -> dict[str, tuple[float, float]]:
    """Time the scan's stages one after the other in this thread; return the seconds (wall, CPU) of each.

    CPU seconds count every thread of this process (polars and DuckDB work in threads of their own).
    """
    took: dict[str, tuple[float, float]] = {}

    def timed(name: str, work: Any, *args: Any) -> Any:
        clock, cpu = time.perf_counter(), time.process_time()
        done = work(*args)
        wall, used = took.get(name, (0.0, 0.0))
        took[name] = (wall + time.perf_counter() - clock, used + time.process_time() - cpu)
        return done

    rules = timed("load rules", load_rules)
    pieces = timed("cut", lambda: list(split_mt(path) if is_mt(path) else split_messages(path)))
    for chunk in _chunks(pieces, CHUNK):
        raw = timed("read (lxml/xslt; MT: pick plain)", read_chunk, chunk)
        timed("lines to records (polars)", finish, raw, chunk)
    del pieces
    frames = []
    for batch in timed("iter_batches: the above and coerce", lambda: list(iter_batches(path))):
        frames.append(batch.records)
    records = pl.concat(frames)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_store(Path(tmp) / "s.duckdb")
        ctx = ScanContext(record_kind="transactions", store=db, run_id="stages")
        timed("store", db.append, "transactions", records.with_columns(pl.lit("stages").alias("run_id")))
        for rule in rules.rules:
            if isinstance(rule.check, RunCheck):
                timed(f"run {rule.id}", rule.check.run, ctx)
            else:
                timed(f"row {rule.id}", lambda r=rule: r.check(records.lazy(), ctx).collect())
        db.close()
    return {k: (round(wall, 3), round(cpu, 3)) for k, (wall, cpu) in took.items()}


def stage(name: str, path: Path, cases: Path) -> dict[str, Any]:
    """Run one stage in this process; return its seconds, peak memory and result."""
    start, cpu = time.perf_counter(), _cpu()
    stages = {"floor": floor, "floor_xslt": floor_xslt, "parse": parse, "stages": stage_times}
    done: Any = stages[name](path) if name in stages else screen(path, cases)
    seconds = time.perf_counter() - start
    peak = (_own_peak_kib() + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024**2
    return {"seconds": round(seconds, 2), "cpu_s": round(_cpu() - cpu, 2), "peak_rss_gib": round(peak, 3),
            "result": done}  # fmt: skip


WHO = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)


def _own_peak_kib() -> int:
    """Return this process's peak resident memory since it started its program (KiB).

    Not ``getrusage(RUSAGE_SELF).ru_maxrss``: Linux carries that over ``exec`` from the process it
    was started by (here the runner, which held the whole generated ledger), so every stage showed
    the runner's peak. ``VmHWM`` is the peak of this program's own memory. Reader processes are
    added as the largest one's peak (``RUSAGE_CHILDREN``): an upper bound of their sum with this one.
    """
    status = Path("/proc/self/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))


def _cpu() -> float:
    """Return the user and system CPU seconds of this process and its ended children."""
    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime for who in WHO)


def run(messages: int, file_format: str, seed: int, profile: bool = False) -> dict[str, Any]:
    """Write the messages and run every stage in a child process; return the result document."""
    load = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        # 30 % of records are payments; the limit keeps every planted payment, the chains' onward legs too
        frame, cases = ledger_payments(round(messages / 0.3), seed, file_format, limit=messages)
        path = Path(tmp) / f"payments.{SUFFIX[file_format]}"
        write_messages(frame, path, file_format)
        cases_path = Path(tmp) / "message_cases.csv"
        cases.write_csv(cases_path)
        stages = {}
        names = ("floor", "floor_xslt", "parse", "scan") if file_format == "pacs008" else ("parse", "scan")
        for name in (*names, "stages") if profile else names:
            child = subprocess.run(
                [sys.executable, __file__, "--stage", name, str(path), str(cases_path)],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            stages[name] = json.loads(child.stdout.splitlines()[-1])
            stages[name]["messages_per_s"] = round(frame.height / max(stages[name]["seconds"], 1e-9))
        size = path.stat().st_size
    return {
        "machine": describe(),
        "format": file_format,
        "messages": frame.height,
        "file_mib": round(size / 2**20, 1),
        "seed": seed,
        "load_average": load,
        "stages": stages,
    }


def main() -> None:
    """Run the benchmark (or one stage, for the child processes) and write its JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--format", default="pacs008", choices=sorted(SUFFIX))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stage", nargs=3, metavar=("NAME", "FILE", "CASES"), help=argparse.SUPPRESS)
    parser.add_argument("--stages", action="store_true", help="also time the scan's stages one by one")
    parser.add_argument("--no-write", action="store_true", help="print only; keep results/ untouched")
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage[0], Path(args.stage[1]), Path(args.stage[2]))))
        return
    doc = run(args.messages, args.format, args.seed, args.stages)
    for name, found in doc["stages"].items():
        print(
            f"{name}: {found['seconds']} s ({found['cpu_s']} CPU s), {found['messages_per_s']:,} messages/s,"
            f" peak {found['peak_rss_gib']} GiB"
        )
    for name, (wall, cpu) in doc["stages"].get("stages", {}).get("result", {}).items():
        print(f"  {name:<36} {wall:8.3f} s ({cpu:.3f} CPU s)")
    print(f"hits by rule: {doc['stages']['scan']['result']['hits_by_rule']}")
    print(f"the scan's own timings (s; rules run side by side overlap): {doc['stages']['scan']['result']['timings']}")
    print(f"load average at the start: {doc['load_average']}")
    print(f"planted cases all right: {doc['stages']['scan']['result']['all_cases_right']}")
    if not args.no_write:
        out = HERE / "results" / f"messages_{args.format}_{args.messages}.json"
        out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
