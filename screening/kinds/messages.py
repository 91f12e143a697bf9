"""Rule kinds for payment messages: routing through hub banks, and what the remittance text names.

``hub_routing``: a payment with an agent (debtor's, creditor's, intermediary, instructing …)
whose BIC is in a transit hub, where any party of the payment (debtor, creditor, ultimate debtor,
ultimate creditor, initiating party) is in Russia, Belarus or an occupied region — by the
party's address country (a ``{role}_country`` column the records carry), its IBAN's country,
its own agent's BIC, its own BIC in ``party_ids`` or a registration number only that country
issues, told by its shape and check digits (:mod:`.national_ids`: a Russian INN, OGRN or KPP, a
Belarusian UNP; a Kyrgyz or Uzbek "INN" is not Russian).

``remittance_text``: the remittance and purpose text (``description`` of a message record)
naming a listed party (the run's watchlist, names of at least ``min_name_chars`` letters compared
whole-word after the name normaliser, the text read with no type and each name both as its entry's
type and as such text reads it), a vessel by IMO number (a valid check digit; listed when
the list gives that IMO), or a Russian port. Dual-use goods named there are GOODS-003's, which
reads the same column. A listed name the text shares with a party of the message is NAME-001's,
which screens every structured party with its role: one listed name, one alert per message.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from screening.frames import fmt
from screening.ingest.messages.iban import iban_country
from screening.kinds.base import Check, Count, Resource, ScanContext, empty_hits, has_columns, row_check
from screening.kinds.keywords import keyword_term, normalize_text
from screening.kinds.names import PARTY_SCHEMA, watchlist_index
from screening.kinds.national_ids import NATIONAL_IDS, national_country
from screening.kinds.parties import ROLES
from screening.names import NameIndex, normalize_names, titles
from screening.names.single.forms import kind_of
from screening.schema import HIT_FRAME, conform

BIC: Final = r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$"
AGENTS: Final = (
    "originator_bank", "beneficiary_bank", "intermediary_bank", "intermediary_bank_2", "intermediary_bank_3",
    "previous_instructing_agent", "instructing_agent", "instructed_agent",
)  # fmt: skip
IMO: Final = r"(?i)\bIMO[\s:#.\-]*(\d{7})\b"


def bic_country(column: pl.Expr) -> pl.Expr:
    """Return the country of a BIC (letters 5-6), null when the value is not a BIC."""
    return pl.when(column.str.contains(BIC)).then(column.str.slice(4, 2))


# The parties of a payment, in the order the detail names the first one found in a destination.
PARTY_ROLES: Final = ("originator", "beneficiary", "ultimate_debtor", "ultimate_creditor", "initiating_party")
NATIONAL: Final = "__national"  # a name in hub_routing's set of filled columns: party_ids holds a national number


def _party_id(role: str, schemes: str) -> pl.Expr:
    """Return the first ``role=scheme:id`` entry of ``party_ids`` with a scheme matching ``schemes``, as 'scheme:id'."""
    return pl.col("party_ids").str.extract(rf"(?:^|; ){role}=((?:{schemes}):[^;]+)", 1)


def _national(role: str) -> str:
    """Return the name of the columns holding a role's first national registration number ('INN:…'), read once."""
    return f"__national_{role}"


def _filled(routed: pl.DataFrame) -> set[str]:
    """Return the columns holding a value in some row, and NATIONAL when ``party_ids`` holds a national number.

    Evidence from a column null in every row finds nothing: its expressions (some 10 ms to plan
    for each role's national numbers, whatever the rows) are left out of a batch that cannot use them.
    """
    nulls = routed.null_count().row(0) if routed.height else [0] * routed.width
    filled = {column for column, null in zip(routed.columns, nulls, strict=True) if null < routed.height}
    schemes = "|".join(NATIONAL_IDS)
    if "party_ids" in filled and routed["party_ids"].str.contains(rf"=(?:{schemes}):").any():
        filled.add(NATIONAL)
    return filled


def _national_ids(columns: set[str]) -> list[pl.Expr]:
    """Return each role's first national registration number in ``party_ids``: its scheme and number, as columns.

    The check digits read the number some thirty times: read from a column, the regular expressions run once.
    """
    schemes = "|".join(NATIONAL_IDS)
    found = [(_national(role), _party_id(role, schemes)) for role in PARTY_ROLES if NATIONAL in columns]
    return [
        expr
        for name, entry in found
        for expr in (
            entry.str.extract(r"^([^:]+):", 1).alias(f"{name}.scheme"),
            entry.str.extract(r"^[^:]+:(.*)$", 1).alias(f"{name}.number"),
        )
    ]


def _evidence(role: str, columns: set[str]) -> list[tuple[pl.Expr, pl.Expr]]:
    """Return (country, how it is known) of a role's party, from each column the records carry."""
    found: list[tuple[pl.Expr, pl.Expr]] = []
    if f"{role}_country" in columns:
        found.append((pl.col(f"{role}_country"), pl.lit("address")))
    if f"{role}_account" in columns:
        found.append((iban_country(pl.col(f"{role}_account")), pl.lit("IBAN")))
    if f"{role}_bank" in columns:
        found.append((bic_country(pl.col(f"{role}_bank")), pl.lit("bank BIC")))
    if "party_ids" in columns:
        own = _party_id(role, "BIC").str.slice(4)
        found.append((bic_country(own), pl.lit("own BIC")))
    if NATIONAL in columns:
        scheme, number = pl.col(f"{_national(role)}.scheme"), pl.col(f"{_national(role)}.number")
        found.append((national_country(scheme, number), scheme))
    return found


def _side(role: str, destinations: list[str], columns: set[str]) -> pl.Expr:
    """Return why a payment's party of this role is in a destination country (address, IBAN, bank …), else null."""
    found = [
        pl.when(country.is_in(destinations) & pl.col(role).is_not_null()).then(
            fmt(f"{role} {{}} is in {{}} ({{}})", pl.col(role), country, how)
        )
        for country, how in _evidence(role, columns)
    ]
    return pl.coalesce(found) if found else pl.lit(None, pl.String)


def hub_routing(*, hubs: list[str], destinations: list[str]) -> Check:
    """Flag payments whose party of any role is Russian or Belarusian and that pass through an agent in a hub."""
    agent = pl.coalesce(
        pl.when(bic_country(pl.col(c)).is_in(hubs)).then(fmt(f"{c} {{}} in {{}}", pl.col(c), bic_country(pl.col(c))))
        for c in AGENTS
    )
    needs = (*AGENTS, "originator_country", "beneficiary_country", "originator_account", "beneficiary_account")

    def check(frame: pl.LazyFrame, ctx: ScanContext) -> pl.LazyFrame:
        if not has_columns(frame, *needs):
            return empty_hits()
        # the parties' evidence (IBANs, national ids) only where it can fire; the agent is read once, as a column
        routed = frame.with_columns(__agent=agent).filter(pl.col("__agent").is_not_null()).collect()
        columns = _filled(routed)
        roles = [r for r in PARTY_ROLES if r in columns]
        if not roles:
            return empty_hits()
        frame = routed.lazy().with_columns(_national_ids(columns))
        frame = frame.with_columns(_side(r, destinations, columns).alias(f"__side_{r}") for r in roles)  # once each
        sides = {r: pl.col(f"__side_{r}") for r in roles}
        party = pl.coalesce(sides.values())
        # the party a hit is on: the payee's side first, as before the other roles were read
        order = ("beneficiary", "originator", "ultimate_creditor", "ultimate_debtor", "initiating_party")
        who = pl.coalesce([pl.when(sides[r].is_not_null()).then(pl.col(r)) for r in order if r in sides])
        # columns, not expressions: the detail and the party are then not worked out again from the evidence
        frame = frame.with_columns(__party=party, __who=who)
        score = pl.when(pl.col("__party").is_not_null()).then(0.75).otherwise(0.0)
        detail = fmt("routed through {}; {}", "__agent", "__party")
        return row_check(needs, score, detail, None, pl.col("__who"))(frame, ctx)

    return check


def imo_valid(number: pl.Expr) -> pl.Expr:
    """Tell whether a 7-digit IMO number's last digit is its check digit (weights 7 to 2, mod 10)."""
    total = pl.sum_horizontal(number.str.slice(i, 1).cast(pl.Int64) * (7 - i) for i in range(6))
    return (total % 10) == number.str.slice(6, 1).cast(pl.Int64)


def text_forms(index: NameIndex) -> pl.DataFrame:
    """Return each list name's normal forms (``raw``, ``core``): its entry type's, and free text's reading of it.

    A Person's name keeps its edge words (``SMITH, John B M``) and loses its titles; free text is
    read with no type (:data:`.titles.OTHER`), so it is also searched for the name as that reads it.
    """
    typed = index.names.filter(pl.col("kind") != titles.OTHER)["raw"].unique().sort()
    as_text = normalize_names(typed).select("raw", "core")
    return pl.concat([index.names.select("raw", "core"), as_text]).unique()


# Every list name's forms (the typed ones normalised again, as free text), made once per run.
TEXT_FORMS: Final = Resource("remittance text forms", lambda ctx: text_forms(watchlist_index(ctx)))


def _name_patterns(forms: pl.DataFrame, min_chars: int) -> dict[str, str]:
    """Return {" CORE NAME ": listed name} for the list's names' forms long enough to search for in free text."""
    names = forms.select("raw", "core").filter(pl.col("core").str.replace_all(" ", "").str.len_chars() >= min_chars)
    # one listed name per core, the same in every run (the index's row order is not fixed)
    names = names.sort("core", "raw").unique("core", keep="first", maintain_order=True)
    return dict(zip((" " + names["core"] + " ").to_list(), names["raw"].to_list(), strict=True))


def remittance_text(*, ports: list[str], min_name_chars: Count = 8) -> Check:
    """Flag payment messages whose remittance text names a listed party, a listed vessel or a Russian port."""
    port_terms = {keyword_term(p, whole_word=True): p for p in ports}
    patterns = Resource(
        f"remittance names {min_name_chars}", lambda ctx: _name_patterns(ctx.resource(TEXT_FORMS), min_name_chars)
    )

    def check(frame: pl.LazyFrame, ctx: ScanContext) -> pl.LazyFrame:
        if not has_columns(frame, "description", "message_type"):
            return empty_hits()
        messages = frame.filter(pl.col("message_type").is_not_null())
        texts = messages.select(pl.col("description").unique()).collect().drop_nulls()
        if texts.is_empty():
            return empty_hits()
        index = watchlist_index(ctx)
        found = _findings(texts, index, ctx.resource(patterns), port_terms)
        roles = [c for c in ROLES if c in frame.collect_schema().names()]
        records = messages.select("record_id", "description", *roles).join(found.lazy(), on="description").collect()
        return _scored(_unrepeated(records, roles, ctx)).lazy()

    return check


def _first(text: pl.Expr, terms: list[str]) -> pl.Expr:
    """Return the first of the terms found in a text, null when none is (or there are no terms)."""
    return text.str.extract_many(terms).list.first() if terms else pl.lit(None, pl.String)


def _findings(texts: pl.DataFrame, index: NameIndex, names: dict[str, str], ports: dict[str, str]) -> pl.DataFrame:
    """Return per distinct text that names something what it names: listed name (and its core), IMO, port."""
    # read with no type, as the list names' text forms (:func:`text_forms`)
    cores = normalize_names(texts["description"]).select(description="raw", core=" " + pl.col("core") + " ")
    imos = index.ids.filter(pl.col("id_type") == "IMO").select(imo="value", listed="entity_id").unique("imo")
    found = (
        texts.join(cores, on="description", how="left")
        .with_columns(
            name_core=_first(pl.col("core"), list(names)),
            imo=pl.col("description").str.extract(IMO, 1),
            port=_first(normalize_text(pl.col("description")), list(ports)),
        )
        .with_columns(
            name=pl.col("name_core").replace_strict(names, default=None),
            imo=pl.when(imo_valid(pl.col("imo"))).then(pl.col("imo")),
            port=pl.col("port").replace_strict(ports, default=None),
        )
        .join(imos, on="imo", how="left")
    )
    named = pl.any_horizontal(pl.col("name", "listed", "port").is_not_null())
    return found.filter(named).select("description", "name", "name_core", "imo", "listed", "port")


def _unordered(core: pl.Expr) -> pl.Expr:
    """Return a normal form's words in sorted order: NAME-001 compares names in any word order."""
    return core.str.split(" ").list.sort().list.join(" ")


def _entity_cores(ctx: ScanContext) -> pl.DataFrame:
    """Return each listed entity's names' normal forms, words sorted (``core``, ``entity_id``), distinct pairs."""
    index = watchlist_index(ctx)
    # a name's normal form follows its entry's type (a Person's keeps its initials): joined by name and kind
    entities = index.entities.select("entity_id", raw="name", kind=titles.kind("entity_schema"))
    typed = index.names.select("raw", "kind", "core").join(entities, on=["raw", "kind"])
    # free text's reading of a name (no type) is the same for every entity bearing it
    as_text = ctx.resource(TEXT_FORMS).join(entities.select("raw", "entity_id"), on="raw")
    forms = pl.concat([typed.select("core", "entity_id"), as_text.select("core", "entity_id")])
    return forms.select(_unordered(pl.col("core")), "entity_id").unique()


# The list-wide join of names to entities, made once per run, not once per batch whose texts name a listed name.
ENTITY_CORES: Final = Resource("remittance entity cores", _entity_cores)


def _unrepeated(records: pl.DataFrame, roles: list[str], ctx: ScanContext) -> pl.DataFrame:
    """Return the records' findings without a listed name that is also one of the record's parties.

    That party is NAME-001's: it screens every party with its role, and one listed name should
    make one alert per message. "The same" is the same listed entity: a normal form of the party
    (as free text reads it, or as NAME-001 does) is one of the entity's names', in any word order.
    """
    named = records.filter(pl.col("name").is_not_null())
    if named.is_empty() or not roles:  # most batches: no listed name in any text, so no list-wide join
        return records
    entity_of = ctx.resource(ENTITY_CORES)
    in_text = named.select("record_id", core=_unordered(pl.col("name_core").str.strip_chars())).join(
        entity_of, on="core"
    )
    parties = named.unpivot(roles, index="record_id", value_name="party").cast({"party": pl.String}).drop_nulls("party")
    # the party as free text reads it and as NAME-001 screens it (a LegalEntity, untyped: a title may go)
    names, readings = parties["party"].unique().sort(), (titles.OTHER, kind_of(PARTY_SCHEMA))
    kinds = pl.concat([pl.repeat(kind, names.len(), dtype=pl.String, eager=True) for kind in readings])
    party_cores = normalize_names(pl.concat([names] * len(readings)), kinds).select(
        party="raw", core=_unordered(pl.col("core"))
    )
    as_party = parties.join(party_cores, on="party").join(entity_of, on="core").select("record_id", "entity_id")
    repeated = in_text.join(as_party, on=["record_id", "entity_id"], how="semi")["record_id"].unique()
    return records.with_columns(name=pl.when(~pl.col("record_id").is_in(repeated.implode())).then(pl.col("name")))


def _scored(found: pl.DataFrame) -> pl.DataFrame:
    """Return a hit per record from its findings: the strongest sets score and severity, the detail names all."""
    score = (
        pl.when(pl.col("listed").is_not_null()).then(0.95)
        .when(pl.col("name").is_not_null()).then(0.9)
        .when(pl.col("port").is_not_null()).then(0.6)
        .otherwise(0.0)
    )  # fmt: skip
    detail = pl.concat_str(
        [
            pl.when(pl.col("listed").is_not_null()).then(
                fmt("remittance names listed vessel IMO {} ({})", "imo", "listed")
            ),
            pl.when(pl.col("name").is_not_null()).then(fmt("remittance names listed party '{}'", "name")),
            pl.when(pl.col("port").is_not_null()).then(fmt("remittance names Russian port {}", "port")),
        ],
        separator="; ",
        ignore_nulls=True,
    )
    severity = pl.when(score >= 0.9).then(pl.lit("critical")).otherwise(pl.lit("medium"))
    hits = found.with_columns(score=score).filter(pl.col("score") > 0)
    party = pl.coalesce("name", "imo")
    return conform(hits.select("record_id", "score", detail=detail, severity=severity, party=party), HIT_FRAME)


def _id_key(scheme: pl.Expr, value: pl.Expr) -> pl.Expr:
    """Return an identifier's comparison key: upper case without spaces, a BIC by its first 8 characters."""
    clean = value.str.to_uppercase().str.replace_all(r"\s+", "")
    return pl.when(scheme.str.to_uppercase() == "BIC").then(clean.str.slice(0, 8)).otherwise(clean)


def listed_identifiers() -> Check:
    """Flag payment messages whose parties or banks carry an identifier (BIC, LEI, INN …) of a listed entity."""

    def check(frame: pl.LazyFrame, ctx: ScanContext) -> pl.LazyFrame:
        if not has_columns(frame, "party_ids"):
            return empty_hits()
        parts = pl.col("entry").str.extract_groups(r"^(?<role>[^=]+)=(?<scheme>[^:]+):(?<value>.+)$")
        ids = (
            frame.select("record_id", entry=pl.col("party_ids").str.split("; "))
            .explode("entry")
            .drop_nulls("entry")
            .select("record_id", parts.struct.unnest())
            .filter(~pl.col("scheme").is_in(["name", "clearing"]))
            .with_columns(key=_id_key(pl.col("scheme"), pl.col("value")))
            .collect()
        )
        if ids.is_empty():
            return empty_hits()
        index = watchlist_index(ctx)
        names = index.entities.group_by("entity_id", maintain_order=True).agg(listed=pl.col("name").first())
        listed = index.ids.select("entity_id", "id_type", key=_id_key(pl.col("id_type"), pl.col("value"))).unique()
        joined = ids.join(listed, on="key").filter((pl.col("scheme") == "BIC") == (pl.col("id_type") == "BIC"))
        joined = joined.join(names, on="entity_id", how="left")
        return joined.select(
            "record_id",
            score=pl.lit(0.95),
            detail=fmt("{} {} {} is the {} of listed {}", "role", "scheme", "value", "id_type", "listed"),
            severity=pl.lit("critical"),
            party="value",
            entity_id="entity_id",
        ).lazy()

    return check
