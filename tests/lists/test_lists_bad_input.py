"""Broken, unsafe and wrong files: one clear ListError line, or the bad row reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from screening.errors import ListError
from screening.lists import read_list

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"
SDN_ROW = '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
    "<CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>\n"
)
EXTERNAL = '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<export>&x;</export>\n'

# file name, content, format or None, the exact message after "<path>"
ERRORS = [
    (
        "bomb.xml",
        BOMB,
        None,
        ": refused: the XML declares an entity (EntitiesForbidden); "
        "list files never need entities and expanding them is unsafe",
    ),
    (
        "external.xml",
        EXTERNAL,
        "eu_xml",
        ": refused: the XML declares an entity "
        "(EntitiesForbidden); list files never need entities and expanding them is unsafe",
    ),
    (
        "cut.xml",
        "<CONSOLIDATED_LIST>\n  <INDIVIDUALS>\n    <INDIVIDUAL>\n",
        "un_xml",
        ":4: not well-formed XML (no element found: line 4, column 0)",
    ),
    (
        "other.xml",
        "<catalog><book/></catalog>",
        None,
        ": unknown XML list <catalog>; known roots are <CONSOLIDATED_LIST>, <export>, <Designations>, <Sanctions>",
    ),
    (
        "wrong_root.xml",
        "<export/>",
        "un_xml",
        ":1: expected a UN CONSOLIDATED_LIST, found <export>",
    ),
    (
        "sdn.csv",
        SDN_ROW + '306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,"trunc',
        None,
        ":2: broken CSV record (unexpected end of data); is the file truncated?",
    ),
    (
        "notes.txt",
        "hello world\nthis is not a list\n",
        None,
        ":1: cannot tell the list format; pass --format, one of ofac_csv, ofac_xml, un_xml, "
        "eu_xml, "
        "uk_csv, uk_xml, csl_csv, bis_dpl, ftm_json, os_simple_csv, generic_csv",
    ),
    ("list.csv", "entity_id,name\n", None, ": no list entries found (read as generic_csv)"),
    (
        "list.csv",
        "id,caption\n1,x\n",
        "generic_csv",
        ":1: a list CSV needs the columns entity_id and name",
    ),
    (
        "bin.csv",
        "entity_id,name\n1,\x00\x01\n",
        "generic_csv",
        ": binary data, not a text list file",
    ),
    ("e.json", "not json\n", "ftm_json", ":1: not FtM JSON lines: Expecting value"),
    (
        "uk.csv",
        "Report Date: 01/01/2026\nfoo,bar\n",
        "uk_csv",
        ":1: no header row with a 'Unique ID' column found",
    ),
]


@pytest.mark.parametrize(("name", "content", "fmt", "message"), ERRORS)
def test_bad_file_raises_one_line(tmp_path: Path, name: str, content: str, fmt: str | None, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ListError) as info:
        read_list(path, fmt)
    assert str(info.value) == f"{path}{message}"


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ListError, match=r"missing\.csv: no such file or folder$"):
        read_list(tmp_path / "missing.csv")
    with pytest.raises(ListError, match=r"^unknown list format 'pdf'; choose one of ofac_csv, "):
        read_list(FIXTURES / "generic_watchlist.csv", "pdf")


# file name, content, the (line, reason) problems reported
PROBLEMS = [
    (
        "sdn.csv",
        SDN_ROW + SDN_ROW + '99,"SHORT ROW"\r\n',
        [
            (2, "duplicate id us_ofac_sdn:36; the first entry is kept"),
            (3, "expected 12 fields starting with an entry number, found 2 fields"),
        ],
    ),
    (
        "sdn.csv",
        SDN_ROW + '37,"",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n',
        [(2, "entry us_ofac_sdn:37 has an empty name")],
    ),
    (
        "list.csv",
        "entity_id,name,name_type\n1,Acme,\n1,Acme Ltd,nickname\n,Nobody,\n2,,\n3,Ok,\n",
        [
            (
                3,
                "name_type 'nickname' is not one of ['alias', 'former', 'original_script', 'primary', 'weak_alias']",
            ),
            (4, "row without an entity_id"),
            (5, "entry generic:2 has an empty name"),
        ],
    ),
    (
        "dpl.txt",
        "Name\tStreet_Address\tCountry\tEffective_Date\nACME\tX\tUS\t01/02/2003\nBAD\n",
        [(3, "expected 4 fields, found 1")],
    ),
    (
        "e.json",
        '{"id": "a", "schema": "Person", "properties": {"name": ["A B"]}}\n{broken\n{"schema": "Person"}\n',
        [
            (2, "not a JSON object: Expecting property name enclosed in double quotes"),
            (3, "JSON line without id and schema"),
        ],
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), PROBLEMS)
def test_bad_rows_are_reported(tmp_path: Path, name: str, content: str, expected: list[tuple[int, str]]) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    imp = read_list(path)
    assert imp.entities.height >= 1
    assert list(imp.problems.select("line", "reason").iter_rows()) == expected
    assert (imp.problems["source_file"] == str(path)).all()


def test_alias_of_unknown_entry_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "ofac"
    shutil.copytree(FIXTURES / "ofac_sdn_2021-07", folder)
    with (folder / "alt.csv").open("a", encoding="utf-8") as out:
        out.write('999999,1,"aka","NOBODY",-0- \r\n')
    imp = read_list(folder)
    assert imp.problems.select("line", "reason").rows()[-1][1] == (
        "alias row does not belong to a known entry (5 fields)"
    )
