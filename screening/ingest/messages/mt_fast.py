"""MT103 and MT202 (COV) messages read in runs by regular expressions over the whole run, in polars.

The worker keeps the plain messages for this path (:func:`plain`, one search of each text): no
party field of option F, no ultimate party code (``/ULTD/``, ``/ULTB/``) and no line break but
``\\n``. Here every message's blocks are cut by :func:`pl.Expr.str.extract`, its block 4 split into
one row per field, each party field read by its option (:func:`.mt.read_party` in expressions) and
each role taken as :func:`.rows.mt_rows` takes it: the first field of a role, but in a COV's
customer sequence B (from field 50a on) the last, named ``{4}:50K/B``. No Python runs per message or
field. A message missing block 1, 2 or 4, field 20 or a 32A of the right shape, of another type,
or a COV naming a role twice in sequence B is read the slow way (it quarantines what it must).
Both ways give the same records.
"""

from __future__ import annotations

import re
from typing import Final

import polars as pl

from screening.ingest.messages.mt import BIC, ROLES, MtPiece
from screening.ingest.messages.rows import FRAME, MESSAGE, SEQ
from screening.ingest.raw import LINE
from screening.schema import conform

_NOT_PLAIN: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]|/ULT[DB]/|^:5\dF:", re.MULTILINE)
_FIELD_MARK: Final = "\x00"  # before a field's tag once cut (no plain message holds it)
_TAG_END: Final = "\x01"  # between a field's tag and its value
# the message types' role tables (mt.ROLES) keyed as "103:50" or, for a COV's customer sequence, "202COVB:59"
_SEQUENCE: Final = {"103": "103", "202": "202", "202COV": "202COV", "COV-B": "202COVB"}
_ROLE_OF: Final = {f"{_SEQUENCE[kind]}:{tag}": column for kind, roles in ROLES.items() for column, tag in roles}
_COLUMNS: Final = tuple(dict.fromkeys(column for roles in ROLES.values() for column, _ in roles))
_SETTLED: Final = r"^(?<yy>\d{2})(?<mm>\d{2})(?<dd>\d{2})(?<ccy>[A-Z]{3})(?<amount>[\d,.]+)$"


def plain(text: str) -> bool:
    """Tell whether a FIN message may be read by this path: nothing in it that the expressions read otherwise."""
    return _NOT_PLAIN.search(text) is None


def _address_bic(address: pl.Expr) -> pl.Expr:
    """Return the BIC of a 12-character logical terminal address (BIC8, terminal letter, branch), else null."""
    bic = address.str.slice(0, 8) + address.str.slice(9, 3)
    return pl.when((address.str.len_chars() >= 12) & bic.str.contains(BIC)).then(bic)


def _messages(pieces: list[MtPiece]) -> pl.DataFrame:
    """Return one row per message: its place, blocks 1 to 4 cut, sender, receiver and UETR."""
    frame = pl.DataFrame(
        {
            "p": range(len(pieces)),
            "number": [p.number for p in pieces],
            "offset": [p.offset for p in pieces],
            "line": [p.line for p in pieces],
            "text": [p.text for p in pieces],
        },
        schema={"p": pl.Int64, "number": pl.Int64, "offset": pl.Int64, "line": pl.Int64, "text": pl.String},
    )
    text = pl.col("text")
    block2 = text.str.extract_groups(r"\{2:(?<direction>[IO])(?<kind>\d{3})(?<rest>[A-Z0-9]*)")
    frame = frame.with_columns(
        block1=text.str.extract(r"\{1:F01([A-Z0-9]{12})", 1),
        block2=block2,
        body=text.str.extract(r"(?s)\{4:\s*\n(.*?)\n-\}", 1),
        headers=text.str.extract(r"\{3:((?:\{[^}]*\})*)\}", 1).str.extract_all(r"\{\d{3}:[^}]*\}"),
    ).unnest("block2")
    inward = pl.col("direction") == "I"
    local = _address_bic(pl.col("block1"))
    other = _address_bic(
        pl.when(inward).then(pl.col("rest").str.slice(0, 12)).otherwise(pl.col("rest").str.slice(10, 12))
    )
    cover = (pl.col("kind") == "202") & (_header("119") == "COV").fill_null(False)
    return frame.select(
        "p", "number", "offset", "line", "body",
        read=(pl.col("block1").is_not_null() & pl.col("kind").is_in(["103", "202"])).fill_null(False),
        kind=pl.when(cover).then(pl.lit("202COV")).otherwise("kind"),
        sender=pl.when(inward).then(local).otherwise(other), receiver=pl.when(inward).then(other).otherwise(local),
        uetr=_header("121"),
    )  # fmt: skip


def _header(tag: str) -> pl.Expr:
    """Return the value of the last block-3 field of a tag (a later one overrides), null without one."""
    found = pl.col("headers").list.eval(pl.element().filter(pl.element().str.starts_with(f"{{{tag}:"))).list.last()
    return found.str.slice(5).str.strip_suffix("}")


def _fields(messages: pl.DataFrame) -> pl.DataFrame:
    """Return one row per block-4 field of each message, in order: its tag and its value (ends' line breaks cut)."""
    marked = pl.col("body").str.replace_all(r"(?m)^:(\d{2}[A-Z]?):", f"{_FIELD_MARK}${{1}}{_TAG_END}")
    cut = messages.select("p", "kind", field=marked.str.split(_FIELD_MARK).list.slice(1)).explode("field")
    parts = pl.col("field").str.split_exact(_TAG_END, 1).struct.rename_fields(["tag", "value"])
    cut = cut.drop_nulls("field").with_columns(parts).unnest("field")
    cut = cut.with_columns(pl.col("value").str.strip_chars("\r\n"), k=pl.int_range(pl.len()).over("p"))
    first_50 = pl.col("k").filter(pl.col("tag").str.slice(0, 2) == "50").min().over("p")
    in_b = ((pl.col("kind") == "202COV") & (pl.col("k") >= first_50)).fill_null(False)
    role = pl.col("kind") + pl.when(in_b).then(pl.lit("B")).otherwise(pl.lit("")) + ":" + pl.col("tag").str.slice(0, 2)
    return cut.with_columns(in_b=in_b, column=role.replace_strict(_ROLE_OF, default=None))


def _chosen(fields: pl.DataFrame) -> pl.DataFrame:
    """Return the party fields the roles are read from: each role's first, and all of a COV's sequence B."""
    roles = fields.filter(pl.col("column").is_not_null())
    first = roles.filter(~pl.col("in_b")).unique(["p", "column"], keep="first", maintain_order=True)
    return pl.concat([first, roles.filter(pl.col("in_b"))]).sort("p", "k")


def _parties(roles: pl.DataFrame) -> pl.DataFrame:
    """Return each chosen party field read as a party: name, account, country, BIC, id and the role's FIN field."""
    lines = (
        pl.col("value")
        .str.split("\n")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )
    roles = roles.with_columns(lines=lines)
    has_account = pl.col("lines").list.first().str.starts_with("/").fill_null(False)
    rest = pl.when(has_account).then(pl.col("lines").list.slice(1)).otherwise(pl.col("lines"))
    roles = roles.with_columns(
        account=pl.when(has_account).then(pl.col("lines").list.first().str.slice(1).str.strip_chars()), rest=rest
    )
    first = pl.col("rest").list.first()
    single_bic = first.str.contains(BIC).fill_null(False) & (pl.col("rest").list.len() == 1)
    bic = pl.when((pl.col("tag").str.slice(2) == "A") | single_bic).then(first)
    sequence = pl.when(pl.col("in_b")).then(pl.lit("/B")).otherwise(pl.lit(""))
    return roles.select(
        "p", "k", "tag", "column", "account", name=first, bic=bic, country=bic.str.slice(4, 2),
        id=pl.lit("") + pl.col("column") + "=BIC:" + bic,
        xpath=pl.lit('"') + pl.col("column") + '":"{4}:' + pl.col("tag") + sequence + '"',
    )  # fmt: skip


def _party(column: str, what: str) -> pl.Expr:
    """Return what a message's party of a role says (name, account, country), null without one."""
    return pl.col(what).filter(pl.col("column") == column).first().alias(f"{column}.{what}")


def _texts(fields: pl.DataFrame) -> pl.DataFrame:
    """Return per message its fields 20, 21, 32A (a COV's sequence A) and its texts (70, 72) as the description."""
    texts = pl.col("value").filter(pl.col("tag").is_in(["70", "72"])).str.replace_all("\n", " ", literal=True)
    return fields.group_by("p", maintain_order=True).agg(
        message_id=_first("20"), end_to_end_id=_first("21"), settled=_first("32A"), description=texts.str.join(" | ")
    )


def _first(tag: str) -> pl.Expr:
    """Return the value of a message's first field of a tag (before a COV's sequence B)."""
    return pl.col("value").filter((pl.col("tag") == tag) & ~pl.col("in_b")).first()


def _roles(parties: pl.DataFrame) -> pl.DataFrame:
    """Return per message each role's value (present or not), the ids and the provenance's roles.

    A role's last chosen field gives its value (a COV's sequence B overrides); the provenance
    names the roles in the order they were first read, the ids every chosen field's BIC once.
    """
    ids = (
        parties.filter(pl.col("bic").is_not_null())
        .group_by("p", maintain_order=True)
        .agg(party_ids=pl.col("id").unique(maintain_order=True).str.join("; "))
    )
    winners = parties.with_columns(at=pl.col("k").min().over("p", "column"))
    winners = winners.unique(["p", "column"], keep="last", maintain_order=True).sort("p", "at")
    roles = winners.group_by("p", maintain_order=True).agg(
        *(_party(column, "name") for column in _COLUMNS),
        *(_party(column, what) for column in ("originator", "beneficiary") for what in ("account", "country")),
        has_bank=(pl.col("column") == "originator_bank").any(),
        roles=pl.col("xpath").str.join(","),
    )
    return roles.join(ids, on="p", how="left")


def _twice_in_b(fields: pl.DataFrame) -> set[int]:
    """Return the messages whose COV sequence B names a role twice (left to the slow way)."""
    roles = fields.filter(pl.col("in_b") & pl.col("column").is_not_null())
    return set(roles.filter(pl.struct("p", "column").is_duplicated())["p"].to_list())


def mt_records(pieces: list[MtPiece]) -> tuple[pl.DataFrame, set[int]]:
    """Return the records of plain MT messages (:data:`.rows.FRAME`) and the places of those to read the slow way."""
    messages = _messages(pieces)
    fields = _fields(messages.filter(pl.col("read") & pl.col("body").is_not_null()))
    roles = _roles(_parties(_chosen(fields)))
    joined = messages.join(_texts(fields), on="p", how="left").join(roles, on="p", how="left")
    settled = pl.col("settled").str.strip_chars().str.extract_groups(_SETTLED)
    joined = joined.with_columns(settled=settled).unnest("settled")
    ready = pl.col("read") & pl.col("message_id").is_not_null() & pl.col("amount").is_not_null()
    ready = ready & ~pl.col("p").is_in(list(_twice_in_b(fields)))
    slow = set(joined.filter(~ready)["p"].to_list())
    records = _records(joined.filter(ready))
    absent = [pl.lit(None, pl.String).alias(c) for c in FRAME if c not in records.columns]  # roles no MT has
    return conform(records.with_columns(absent), FRAME), slow


def _records(found: pl.DataFrame) -> pl.DataFrame:
    """Return the records of the messages read, with the columns :func:`.rows.mt_rows` writes."""
    provenance = pl.concat_str(
        pl.lit('{"offset":'), pl.col("offset"), pl.lit(',"message":'), pl.col("number"),
        pl.lit(',"transaction":1,"roles":{'), pl.col("roles").fill_null(""), pl.lit("}}"),
    )  # fmt: skip
    message_id = pl.col("message_id").str.strip_chars()
    names = {column: pl.col(f"{column}.name") for column in _COLUMNS}
    sender = pl.when(pl.col("kind") != "202").then(pl.col("sender"))  # an MT202's sender is its originator's bank
    bank = pl.when(pl.col("has_bank").fill_null(False)).then(names.pop("originator_bank")).otherwise(sender)
    return found.select(
        record_id=message_id + "/" + pl.col("number").cast(pl.String),
        date=pl.concat_str(pl.lit("20"), "yy", pl.lit("-"), "mm", pl.lit("-"), "dd"),
        value=pl.col("amount").str.replace_all(",", ".", literal=True).str.strip_chars_end("."), currency="ccy",
        description=pl.when(pl.col("description") != "").then("description"), **names, originator_bank=bank,
        instructing_agent="sender", instructed_agent="receiver",
        originator_country="originator.country", beneficiary_country="beneficiary.country",
        originator_account="originator.account", beneficiary_account="beneficiary.account",
        party_ids=pl.when(pl.col("party_ids") != "").then("party_ids"), message_type=pl.lit("MT") + pl.col("kind"),
        message_id=message_id, end_to_end_id="end_to_end_id", uetr="uetr", provenance=provenance,
        **{LINE: pl.col("line"), MESSAGE: pl.col("number"), SEQ: pl.lit(0, pl.Int64)},
    )  # fmt: skip
