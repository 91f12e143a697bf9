"""Column mapping: source columns to canonical ones, by synonym or by an explicit mapping file.

Names are compared by :func:`column_key` (case-folded, spaces, underscores, dashes, dots and
slashes dropped), so ``IMPORTER NAME EN`` and ``importer_name_en`` agree. An explicit mapping
overrides the synonyms; when two source columns claim one canonical column the first wins and
the others are reported as ignored, but a second party name column (a duplicated header cell too)
takes the party's ``_alt`` column, and one that cannot is refused rather than left unscreened.
The record kind follows from what was mapped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

import pycountry
import yaml

from screening import yamlsafe
from screening.errors import ConfigError, located, yaml_problem
from screening.schema import PARTY_COLUMNS, READ_ONLY_COLUMNS, RECORD_COLUMNS, RecordKind

# One table: each canonical column with the source column names that mean it, as files write
# them (vendors' customs extracts, Comext, UN Comtrade's API and bulk files, Russian headers).
# Compared by :func:`column_key`; ``screening inspect --synonyms`` prints the table.
COLUMN_SYNONYMS: Final[dict[str, tuple[str, ...]]] = {
    "record_id": ("id", "record id", "transaction id", "txn id", "reference"),
    "declaration_number": ("declaration number", "declaration no", "declaration", "gtd", "gtd number",
                           "decl number", "номер декларации", "номер дт", "номер гтд"),
    "item_number": ("item number", "item no", "item", "goods item", "line number", "position",
                    "номер товара", "номер позиции"),
    "hs_code": ("hs", "hscode", "tariff code", "commodity code", "tnved", "тнвэд", "код тнвэд", "cmd code",
                "product", "product nc", "hs code 10", "national code", "gtip", "gtip code"),
    "description": ("goods description", "goods desc", "описание", "описание товара", "hs code description en",
                    "product description en", "product description", "product label", "product nc lab1",
                    "cmd desc", "commodity", "goods description en", "commercial description"),
    "shipper": ("supplier name", "supplier", "exporter", "seller", "sender", "exporter name", "shipper name",
                "supplier name en", "exporter name en", "std exporter name", "seller name", "seller name en",
                "consignor", "consignor name", "sender name", "отправитель", "грузоотправитель", "продавец"),
    "shipper_alt": ("exporter name native", "supplier name native", "supplier name ru", "exporter name ru"),
    "consignee": ("importer name en", "importer name", "buyer", "importer", "receiver", "consignee name",
                  "buyer name", "buyer name en", "consignee name en", "std importer name", "recipient",
                  "recipient name", "получатель", "грузополучатель", "покупатель"),
    "consignee_alt": ("importer name native", "buyer name native", "importer name ru", "buyer name ru"),
    "declarant": ("declarant name", "customs broker", "declarant en", "декларант"),
    "applicant": ("customs applicant name", "applicant name", "customs applicant", "заявитель"),
    "counterparty": ("contractors name and location", "contractor name", "contractor", "foreign partner",
                     "foreign counterparty", "контрагент иностранный"),
    "notify_party": ("notify",),
    "originator": ("payer", "ordering customer", "debtor", "originator name", "payer name", "ordering customer name",
                   "debtor name", "remitter", "remitter name"),
    "beneficiary": ("payee", "creditor", "beneficiary name", "payee name", "creditor name"),
    "originator_bank": ("originator bic", "debtor agent"),
    "beneficiary_bank": ("beneficiary bic", "creditor agent"),
    "intermediary_bank": ("intermediary bic", "intermediary agent"),
    "vessel": ("vessel name", "ship"),
    "origin_country": ("origin country", "country of origin", "страна происхождения", "origin", "country origin"),
    "destination_country": ("destination country", "dest country", "country of destination",
                            "страна назначения", "destination"),
    "transit_country": ("transit",),
    "shipper_country": ("supplier country", "exporter country", "sender country", "country of dispatch",
                        "страна отправления"),
    "consignee_country": ("importer country", "buyer country"),
    "date": ("month year", "period", "shipment date", "value date", "transaction date", "declaration date",
             "imp date", "exp date", "date of issue", "registration date", "дата", "дата декларации"),
    "value": ("total value", "amount", "value usd", "invoice value", "total value usd", "customs value usd",
              "statistical value usd", "sum of value in foreign currency", "value in eur", "value in euros",
              "value in usd", "primary value", "trade value", "trade value usd", "trade value (us$)",
              "customs value", "statistical value", "стоимость", "сумма", "фактурная стоимость"),
    "currency": ("ccy", "currency code", "валюта"),
    "quantity": ("qty", "total quantity", "sum of quantity", "quantity in 100kg", "quantity in kg",
                 "net weight", "net wgt", "netweight (kg)", "количество", "вес нетто"),
    "address": ("consignee address", "addresses", "street address", "адрес"),
    "phone": ("consignee phone", "telephone", "tel", "phone number", "телефон"),
    "name": ("party name", "counterparty", "company name", "full name", "counterparty name", "customer name",
             "client name", "customer", "client", "entity name", "legal name", "company", "organisation name",
             "organization name", "account name", "account holder", "business name", "registered name",
             "наименование", "наименование контрагента", "контрагент", "наименование клиента", "клиент", "фио"),
    "country": ("nationality", "nationalities", "citizenship", "country code", "country of residence",
                "residence country", "country of registration", "country of incorporation", "registered country",
                "страна", "гражданство", "страна регистрации"),
    "identifier": ("tax id", "inn", "lei", "imo", "ids", "id number", "registration number", "passport number",
                   "national id", "tax number", "vat number", "ogrn", "инн", "огрн"),
    "entity_schema": ("schema", "entity type", "type"),
    "birth_date": ("dob", "date of birth", "birth date", "dates of birth", "year of birth", "birth year",
                   "дата рождения"),
    "director": ("ceo", "general director", "директор", "генеральный директор"),
    "incorporated": ("incorporation date", "date of incorporation", "date of registration", "founded",
                     "дата регистрации"),
    "reporter_country": ("reporter", "reporter iso", "declarant", "declarant iso", "reporter desc",
                         "reporter label", "declarant label"),
    "partner_country": ("partner", "partner iso", "partner desc", "partner label"),
    "flow": ("flow code", "flow desc", "trade flow", "trade flow code", "flow label"),
    "period": ("ref period", "period label", "time period"),
    "owner": ("shareholder", "parent", "parent company", "owner name", "beneficial owner", "владелец", "участник"),
    "owned": ("subsidiary", "owned entity", "owned name", "investee", "asset"),
    "share": ("percentage", "stake", "ownership share", "ownership percentage", "equity", "holding", "percent",
              "доля"),
}  # fmt: skip


# Column names built by a rule rather than listed: an HS code column named with its digits and
# nomenclature year (``HS6``, ``HS6_HS2022``, ``From HS2022``, ``HTS10``) and its description
# (``HS2022_description``). Matched on :func:`column_key`, after the synonym table.
_HS_NAME: Final = r"(?:hs|hts)(?:code)?(?:\d{1,2})?(?:hs)?(?:(?:19|20)\d\d)?(?:code)?"
COLUMN_PATTERNS: Final[dict[str, re.Pattern[str]]] = {
    "hs_code": re.compile(rf"(?:from|to)?{_HS_NAME}"),
    "description": re.compile(rf"{_HS_NAME}desc(?:ription)?(?:en)?"),
}
# What the rules of COLUMN_PATTERNS take, for ``screening inspect --synonyms``.
PATTERN_EXAMPLES: Final[dict[str, str]] = {
    "hs_code": "HS6, HS8, HTS10, HS2022, HS6_HS2022, From HS2022, To HS2017 …",
    "description": "HS2022 description, HS6 desc …",
}


def patterned(key: str) -> str | None:
    """Return the canonical column a rule of :data:`COLUMN_PATTERNS` gives a column key, else None."""
    return next((canonical for canonical, rule in COLUMN_PATTERNS.items() if rule.fullmatch(key)), None)


def column_key(name: str) -> str:
    """Return the comparison key of a column name."""
    return re.sub(r"[\s_\-./]+", "", name.casefold())


def _keyed(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Return {column key: canonical column} of a synonym table; a key listed twice keeps its first column."""
    keyed: dict[str, str] = {}
    for canonical, names in table.items():
        for name in names:
            keyed.setdefault(column_key(name), canonical)
    return keyed


# Mapped columns that make a file a transaction dump rather than a counterparty list.
TRANSACTION_MARKERS: Final = frozenset(
    {"hs_code", "description", "value", "quantity", "currency", "destination_country",
     "origin_country", "transit_country", "shipper_country", "consignee_country", "date",
     "shipper", "consignee", "notify_party", "originator", "beneficiary", "originator_bank",
     "beneficiary_bank", "intermediary_bank", "vessel"}
)  # fmt: skip
_DERIVED: Final = frozenset({"source_file", "line", "hs6", "hs_note", "period_months"})
# A time column is a flow table's period and any other record's date, whatever it is called.
_TIME: Final[dict[str, str]] = {"date": "period", "period": "date"}
CANONICAL: Final[tuple[str, ...]] = tuple(
    dict.fromkeys(c for cols in RECORD_COLUMNS.values() for c in cols if c not in _DERIVED)
)
ColumnMapping = dict[str, str | None]  # source column -> canonical column, None when ignored


SYNONYMS: Final[dict[str, str]] = _keyed(COLUMN_SYNONYMS)
KNOWN_CURRENCIES: Final = frozenset(c.alpha_3 for c in pycountry.currencies)
# A second column of a party already mapped (the native name beside the ``_EN`` one) takes the
# party's second column, so both are screened.
SECOND: Final[dict[str, str]] = {"shipper": "shipper_alt", "consignee": "consignee_alt"}


def load_mapping(path: Path) -> dict[str, str]:
    """Read and check a YAML mapping file ``{source column: canonical column}``."""
    try:
        data = yamlsafe.load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(located(str(path), None, f"cannot read mapping file: {exc}")) from exc
    except yaml.YAMLError as exc:
        line, problem = yaml_problem(exc)
        raise ConfigError(located(str(path), line, f"not valid YAML: {problem}")) from exc
    if not isinstance(data, dict):
        raise ConfigError(located(str(path), None, "expected a mapping {source column: canonical}"))
    mapping = {str(k): "" if v is None else str(v) for k, v in data.items()}
    check_mapping(mapping, str(path))
    _one_source_each(mapping, str(path))
    return mapping


def _one_source_each(mapping: Mapping[str, str], where: str) -> None:
    """Refuse a mapping that sends two source columns to one canonical column (only the first would be read)."""
    seen: dict[str, str] = {}
    for source, target in mapping.items():
        if target and target in seen:
            raise ConfigError(
                located(
                    where,
                    None,
                    f"columns '{seen[target]}' and '{source}' both map to '{target}'; only one column can: "
                    "map the other to another column or leave it out",
                )
            )
        seen[target] = source


def check_mapping(mapping: Mapping[str, str], where: str = "mapping") -> None:
    """Raise ConfigError when a mapping names an unknown canonical column."""
    unknown = sorted({v for v in mapping.values() if v and v not in CANONICAL})
    if unknown:
        valid = ", ".join(CANONICAL)
        raise ConfigError(located(where, None, f"unknown canonical column(s) {unknown}; valid: {valid}"))


def claims(columns: Iterable[str], explicit: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """Return {source column: the canonical column its name means, or None}, before any clash is settled."""
    by_key = {column_key(k): v for k, v in (explicit or {}).items()}
    self_map = {column_key(c): c for c in CANONICAL}
    claimed: dict[str, str | None] = {}
    for column in columns:
        key = column_key(column)
        target = (
            by_key[key]
            if key in by_key
            else self_map.get(key) or SYNONYMS.get(key) or patterned(key) or _priced(column)
        )
        repeat = _DUPLICATE.fullmatch(column)
        if target is None and key not in by_key and repeat and repeat.group(1) in claimed:
            target = claimed[repeat.group(1)]  # a duplicated header cell, renamed ``consignee_2`` on reading
        claimed[column] = target or None
    return claimed


def _priced(column: str) -> str | None:
    """Return ``value`` for a value column named with its currency (``Value (RUB)``, ``Amount EUR``), else None."""
    stated = _currency_suffix(column)
    if stated is None:
        return None
    key = column_key(stated[1])
    return "value" if key == "value" or SYNONYMS.get(key) == "value" else None


# How :func:`screening.ingest.raw.unique_names` renames the second of two equal header cells.
_DUPLICATE: Final = re.compile(r"(.+)_([2-9]|[1-9]\d+)")


def resolve(columns: Iterable[str], explicit: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """Return {source column: canonical or None}; an explicit mapping overrides the synonyms."""
    mapping: dict[str, str | None] = {}
    taken: set[str] = set()
    for column, claimed in claims(columns, explicit).items():
        target = SECOND[claimed] if claimed in taken and claimed in SECOND else claimed
        mapping[column] = target if target and target not in taken else None
        taken.add(target or "")
    return mapping


def party_clash(claimed: ColumnMapping, used: ColumnMapping, kind: RecordKind) -> tuple[str, str, str] | None:
    """Return (kept column, dropped column, party column) when a party name column would go unscreened."""
    parties = set(PARTY_COLUMNS) | {"name"}
    for source, target in claimed.items():
        if used.get(source) is None and target in parties and target in RECORD_COLUMNS[kind]:
            holder = next((s for s, t in used.items() if t == target), None)
            if holder is not None:
                return holder, source, target
    return None


# A currency closing a column's name: ``VALUE_IN_EUR``, ``Amount (RUB)``, ``Стоимость, USD``, ``(US$)``.
_CURRENCY_SUFFIX: Final = re.compile(r"(?:^|[\s_(\-,])(?:IN[\s_])?(US\$|[A-Z]{3})(?:OS)?\)?$", re.IGNORECASE)


def _currency_suffix(column: str) -> tuple[str, str] | None:
    """Return the currency a column's name ends with and the name before it, else None."""
    found = _CURRENCY_SUFFIX.search(column)
    if found is None:
        return None
    code = found.group(1).upper().replace("US$", "USD")
    return (code, column[: found.start()].rstrip(" _(-,")) if code in KNOWN_CURRENCIES else None


def currency_in_name(column: str) -> str | None:
    """Return the currency a value column's name states (``VALUE_IN_EUR``, ``Trade Value (US$)``), else None."""
    stated = _currency_suffix(column)
    return stated[0] if stated else "USD" if "US$" in column.upper() else None


def detect_kind(columns: Iterable[str]) -> RecordKind:
    """Return the record kind of a file from its mapped canonical columns."""
    mapped = set(columns)
    if {"reporter_country", "partner_country"} <= mapped:
        return "flows"
    if {"owner", "owned"} <= mapped:
        return "ownership"
    if "name" in mapped and not mapped & TRANSACTION_MARKERS:
        return "parties"
    return "transactions"


def restrict(mapping: ColumnMapping, kind: RecordKind) -> ColumnMapping:
    """Drop canonical targets the record kind does not have or read; a flow table's date is its period."""
    allowed = RECORD_COLUMNS[kind].keys() | READ_ONLY_COLUMNS[kind]
    renamed = {src: (_TIME[dst] if dst in _TIME and dst not in allowed else dst) for src, dst in mapping.items()}
    kept: ColumnMapping = {}
    for src, dst in renamed.items():  # of two columns landing on one canonical column, the first keeps it
        kept[src] = dst if dst in allowed and dst not in kept.values() else None
    return kept
