"""Files that cannot be read give one-line InputErrors; bad mapping files give ConfigErrors."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.errors import ConfigError, InputError
from screening.ingest import load_mapping, read_records

FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"


@pytest.mark.parametrize(("name", "message"), [
    ("missing.csv", "file not found"),
    (".", "is a directory"),
    ("empty.csv", "file is empty"),
    ("notes.doc", "unsupported format '.doc'; supported: CSV"),
    ("binary.csv", "binary data, not a text file"),
    ("no_header.xlsx", "no header row found in the first 30 rows"),
    ("corrupt.xlsx", "corrupt workbook"),
    ("encrypted.xlsx", "encrypted or legacy (.xls) workbook"),
    ("corrupt.parquet", "corrupt or encrypted Parquet file"),
    ("nothing_maps.csv", "no column maps to a canonical column; found ['foo', 'bar']"),
])  # fmt: skip
def test_input_errors(name: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_records(FIXTURES / name)
    text = str(caught.value)
    assert text.startswith(str(FIXTURES / name)) and message in text and "\n" not in text


@pytest.mark.parametrize(("content", "message"), [
    ("Col A: hs_kode\n", "unknown canonical column(s) ['hs_kode']; valid: record_id"),
    ("- just\n- a list\n", "expected a mapping"),
    ("a: [unclosed\n", "not valid YAML"),
])  # fmt: skip
def test_mapping_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(
        ConfigError,
        match=message.replace("(", r"\(")
        .replace(")", r"\)")
        .replace("[", r"\[")
        .replace("]", r"\]"),
    ):
        load_mapping(path)
