"""The UN consolidated list as typed: documents in French and Spanish, birth and issuing countries."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.lists import read_list

UN = """<?xml version="1.0" encoding="utf-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID><FIRST_NAME>JEAN</FIRST_NAME><SECOND_NAME>DUPONT</SECOND_NAME>
      <UN_LIST_TYPE>DRC</UN_LIST_TYPE><REFERENCE_NUMBER>CDi.999</REFERENCE_NUMBER>
      <INDIVIDUAL_PLACE_OF_BIRTH><CITY>Goma</CITY><COUNTRY>Democratic Republic of the Congo</COUNTRY>
      </INDIVIDUAL_PLACE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>{doc}</TYPE_OF_DOCUMENT><NUMBER>OB 123456</NUMBER>
        <ISSUING_COUNTRY>Rwanda</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES/>
</CONSOLIDATED_LIST>
"""


@pytest.mark.parametrize(
    ("doc", "id_type"),
    [
        ("Passport", "PASSPORT"),
        ("Numéro de passeport", "PASSPORT"),
        ("Pasaporte", "PASSPORT"),
        ("Numéro d'identification nationale", "NATIONAL_ID"),
        ("Driving licence", "OTHER"),
    ],
)
def test_documents_and_countries(tmp_path: Path, doc: str, id_type: str) -> None:
    path = tmp_path / "un.xml"
    path.write_text(UN.format(doc=doc), encoding="utf-8")
    imp = read_list(path)
    assert imp.identifiers.select("id_type", "value").rows() == [(id_type, "OB123456")]
    assert imp.entities["countries"].to_list() == ["CD;RW"]
    assert imp.list_version == "2026-02-27"
