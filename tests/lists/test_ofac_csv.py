"""The OFAC legacy CSV as published: titles, call signs, renamed files and header rows."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screening.lists import detect_format, read_list

VESSEL = '30823,"FORTUNA","vessel","RUSSIA",-0- ,"UBDP8","Tanker",-0- ,-0- ,"Russia",-0- ,-0- \n'
LEADER = (
    '9001,"DOE, John","individual","SDGT","Operational and Military Leader of Jihad Group",'
    '-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1961."\n'
)
HEADER = "ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks\n"


@pytest.mark.parametrize(
    ("name", "content", "source", "problems"),
    [
        ("sdn.csv", VESSEL + LEADER, "us_ofac_sdn", 0),
        ("sdn_2023-01-15.csv", VESSEL + LEADER, "us_ofac_sdn", 0),  # renamed: detected by shape
        ("cons_prim_2025.csv", VESSEL + LEADER, "us_ofac_cons", 0),
        ("sdn_with_header.csv", HEADER + VESSEL + LEADER, "us_ofac_sdn", 0),
        ("sdn.csv", VESSEL + LEADER + HEADER, "us_ofac_sdn", 1),  # a header row in the middle is a problem
    ],
)
def test_titles_are_not_call_signs(tmp_path: Path, name: str, content: str, source: str, problems: int) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert detect_format(path) == "ofac_csv"
    imp = read_list(path)
    assert (imp.source, imp.entities.height, imp.problems.height) == (source, 2, problems)
    ids = imp.identifiers.select("entity_id", "id_type", "value").rows()
    assert ids == [(f"{source}:30823", "CALL_SIGN", "UBDP8")]


def test_problem_names_the_entry_number(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_text(VESSEL + 'X1,"A",-0- ,"P",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n', encoding="utf-8")
    reasons = read_list(path).problems["reason"].to_list()
    assert reasons == ["expected 12 fields starting with an entry number, found entry number 'X1'"]


def test_vessel_flag_is_a_country(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_text(VESSEL, encoding="utf-8")
    row = read_list(path).entities.filter(pl.col("entity_id") == "us_ofac_sdn:30823").row(0, named=True)
    assert (row["entity_schema"], row["countries"]) == ("Vessel", "RU")
