"""One encoding policy for data files and list files, decided from the evidence of the words."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.ingest import read_records
from screening.ingest.encoding import decode_text
from screening.ingest.legacy import decide_legacy
from screening.lists.textio import read_text

CASES = [
    ("Ångström Laboratories AB, Göteborg", "latin-1", "cp1252"),
    ("Ångström Laboratories AB", "latin-1", "cp1252"),  # alone, charset-normalizer guesses a Chinese code
    ("ООО Трансойл, Москва", "cp1251", "cp1251"),
    ("Škoda Příbram s.r.o., Plzeň", "cp1250", "cp1250"),
    ("Łódź Spółka z o.o.", "cp1250", "cp1250"),
    ("Société Générale, Paris; Müller GmbH", "cp1252", "cp1252"),
]


@pytest.mark.parametrize(("text", "written", "decided"), CASES)
def test_code_page_from_the_words(text: str, written: str, decided: str) -> None:
    assert decide_legacy(f"{text}\n".encode(written)).encoding == decided


@pytest.mark.parametrize(("text", "written", "decided"), [*CASES, ("Ελληνικά Πετρέλαια", "cp1253", "cp1253")])
def test_data_files_and_lists_read_the_same(text: str, written: str, decided: str, tmp_path: Path) -> None:
    data = tmp_path / "parties.csv"
    data.write_bytes(f"name,country\n{text.replace(',', ' ')},DE\n".encode(written))
    assert read_records(data).records["name"].to_list() == [text.replace(",", " ")]
    assert read_text(data) == decode_text(data.read_bytes()).rstrip() == data.read_bytes().decode(decided).rstrip()


def test_an_unsure_decision_names_the_candidates_it_rejected() -> None:
    decision = decide_legacy("Müller\n".encode("cp1252"))
    assert not decision.sure
    assert decision.note.startswith("encoding read as cp1252, not sure; rejected: cp1250 (")
