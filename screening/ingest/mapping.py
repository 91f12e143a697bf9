"""Column mapping: source columns to canonical ones, by synonym or by an explicit mapping file.

Names are compared by :func:`column_key` (case-folded, spaces, underscores, dashes, dots and
slashes dropped), so ``IMPORTER NAME EN`` and ``importer_name_en`` agree. An explicit mapping
overrides the synonyms; when two source columns claim one canonical column the first wins and
the others are reported as ignored. The record kind follows from what was mapped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

import yaml

from screening import yamlsafe
from screening.errors import ConfigError, located, yaml_problem
from screening.schema import RECORD_COLUMNS, RecordKind

SYNONYMS: Final[dict[str, str]] = {
    "hs": "hs_code", "hscode": "hs_code", "tariffcode": "hs_code", "commoditycode": "hs_code",
    "tnved": "hs_code", "тнвэд": "hs_code", "кодтнвэд": "hs_code",
    "goodsdescription": "description", "goodsdesc": "description", "product": "description",
    "описание": "description", "описаниетовара": "description",
    "suppliername": "shipper", "supplier": "shipper", "exporter": "shipper", "seller": "shipper",
    "sender": "shipper", "exportername": "shipper", "shippername": "shipper",
    "importernameen": "consignee", "importername": "consignee", "buyer": "consignee",
    "importer": "consignee", "receiver": "consignee", "consigneename": "consignee",
    "notify": "notify_party", "payer": "originator", "orderingcustomer": "originator",
    "debtor": "originator", "payee": "beneficiary", "creditor": "beneficiary",
    "originatorbic": "originator_bank", "debtoragent": "originator_bank",
    "beneficiarybic": "beneficiary_bank", "creditoragent": "beneficiary_bank",
    "intermediarybic": "intermediary_bank", "intermediaryagent": "intermediary_bank",
    "vesselname": "vessel", "ship": "vessel",
    "origincountry": "origin_country", "countryoforigin": "origin_country",
    "destinationcountry": "destination_country", "destcountry": "destination_country",
    "countryofdestination": "destination_country", "transit": "transit_country",
    "suppliercountry": "shipper_country", "exportercountry": "shipper_country",
    "importercountry": "consignee_country", "buyercountry": "consignee_country",
    "monthyear": "date", "period": "date", "shipmentdate": "date", "valuedate": "date",
    "transactiondate": "date", "declarationdate": "date",
    "totalvalue": "value", "amount": "value", "valueusd": "value", "invoicevalue": "value",
    "ccy": "currency", "qty": "quantity", "consigneeaddress": "address",
    "id": "record_id", "recordid": "record_id", "transactionid": "record_id",
    "txnid": "record_id", "reference": "record_id", "declarationnumber": "record_id",
    "partyname": "name", "counterparty": "name", "companyname": "name", "fullname": "name",
    "taxid": "identifier", "inn": "identifier", "lei": "identifier", "imo": "identifier",
    "schema": "entity_schema", "entitytype": "entity_schema", "type": "entity_schema",
    "dob": "birth_date", "dateofbirth": "birth_date", "birthdate": "birth_date",
    "наименование": "name", "наименованиеконтрагента": "name", "контрагент": "name",
    "страна": "country", "адрес": "address", "инн": "identifier",
    "отправитель": "shipper", "грузоотправитель": "shipper", "продавец": "shipper",
    "получатель": "consignee", "грузополучатель": "consignee", "покупатель": "consignee",
    "странапроисхождения": "origin_country", "странаназначения": "destination_country",
    "стоимость": "value", "сумма": "value", "валюта": "currency", "количество": "quantity",
    "дата": "date",
    "consigneephone": "phone", "telephone": "phone", "tel": "phone", "phonenumber": "phone",
    "телефон": "phone", "ceo": "director", "generaldirector": "director", "директор": "director",
    "генеральныйдиректор": "director", "incorporationdate": "incorporated",
    "dateofincorporation": "incorporated", "registrationdate": "incorporated",
    "dateofregistration": "incorporated", "founded": "incorporated", "датарегистрации": "incorporated",
    "reporter": "reporter_country", "reporteriso": "reporter_country", "declarant": "reporter_country",
    "reporterdesc": "reporter_country", "partner": "partner_country", "partneriso": "partner_country",
    "partnerdesc": "partner_country", "flowcode": "flow", "flowdesc": "flow", "tradeflow": "flow",
    "cmdcode": "hs_code", "primaryvalue": "value", "tradevalue": "value", "tradevalueusd": "value",
    "refperiod": "date", "refperiodid": "date",
    "shareholder": "owner", "parent": "owner", "parentcompany": "owner", "ownername": "owner",
    "beneficialowner": "owner", "subsidiary": "owned", "ownedentity": "owned", "ownedname": "owned",
    "investee": "owned", "asset": "owned", "percentage": "share", "stake": "share",
    "ownershipshare": "share", "ownershippercentage": "share", "equity": "share", "holding": "share",
    "percent": "share", "доля": "share", "владелец": "owner", "участник": "owner",
}  # fmt: skip

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


def column_key(name: str) -> str:
    """Return the comparison key of a column name."""
    return re.sub(r"[\s_\-./]+", "", name.casefold())


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


def resolve(columns: Iterable[str], explicit: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """Return {source column: canonical or None}; an explicit mapping overrides the synonyms."""
    by_key = {column_key(k): v for k, v in (explicit or {}).items()}
    self_map = {column_key(c): c for c in CANONICAL}
    mapping: dict[str, str | None] = {}
    taken: set[str] = set()
    for column in columns:
        key = column_key(column)
        target = by_key[key] if key in by_key else self_map.get(key) or SYNONYMS.get(key)
        mapping[column] = target if target and target not in taken else None
        taken.add(target or "")
    return mapping


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
    """Drop canonical targets the record kind does not have; a flow table's date is its period."""
    allowed = RECORD_COLUMNS[kind]
    renamed = {src: (_TIME[dst] if dst in _TIME and dst not in allowed else dst) for src, dst in mapping.items()}
    return {src: (dst if dst in allowed else None) for src, dst in renamed.items()}
