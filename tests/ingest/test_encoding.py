"""One encoding policy for data files and list files, decided from the evidence of the words."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.errors import InputError, ListError
from screening.ingest import read_records
from screening.ingest.encoding import decode_text, detect_encoding
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


# The same steps for data and list files: byte-order mark, binary data, UTF-8, the words' code page.
SAME_STEPS = [
    ("utf-16 with a mark", "name,country\nООО Ромашка,RU\n".encode("utf-16"), "ООО Ромашка"),
    ("utf-8 with a mark", "name,country\nMüller GmbH,DE\n".encode("utf-8-sig"), "Müller GmbH"),
    ("cp1251", "name,country\nООО Трансойл,RU\n".encode("cp1251"), "ООО Трансойл"),
    ("binary", b"name,country\n\x00\x01\x02,RU\n", None),
    ("control characters", b"name,country\n" + b"\x01\x02\x03\x04\x05\x06\x07\x08\x0b,RU\n" * 4, None),
]


@pytest.mark.parametrize(("case", "data", "name"), SAME_STEPS)
def test_data_and_list_files_take_the_same_steps(tmp_path: Path, case: str, data: bytes, name: str | None) -> None:
    path = tmp_path / "parties.csv"
    path.write_bytes(data)
    if name is None:
        with pytest.raises(InputError, match=r"parties\.csv: binary data, not a text file"):
            read_records(path)
        with pytest.raises(ListError, match=r"parties\.csv: binary data, not a text list file"):
            read_text(path)
        return
    assert read_records(path).records["name"].to_list() == [name]
    assert read_text(path).splitlines()[1] == f"{name},{'RU' if case != 'utf-8 with a mark' else 'DE'}"


def test_a_few_bad_bytes_keep_a_data_file_utf8_and_send_a_list_to_a_code_page(tmp_path: Path) -> None:
    lines = ["name,country", *(f"Société {n} Générale,FR" for n in range(300)), "Bad \xff byte,FR"]
    path = tmp_path / "parties.csv"
    path.write_bytes("\n".join(lines).encode("utf-8").replace("\xff".encode(), b"\xff") + b"\n")
    assert detect_encoding(path) == "utf-8"  # the bad line is quarantined, every other name kept
    assert "\ufffd" not in read_text(path)  # a list, read whole, goes to the code page its words support


# names_dev/valrep_negatives_global.csv saved in cp1251: 'Лі' is the valid UTF-8 character U+02F3 by chance
VALREP_CP1251 = [
    "full_name,gender,nationality",
    "Ліза Лілія Байдак,female,Russia",
    "Юрий Борена Пътечкова,male,Slovenia",
    "Назар Гречаник,male,Slovenia",
    "Patricia Lucas Wheeler,female,Ethiopia",
]


@pytest.mark.parametrize(("lines", "written", "decided"), [
    (VALREP_CP1251, "cp1251", "cp1251"),
    (VALREP_CP1251[:2] * 3, "cp1251", "cp1251"),
    (VALREP_CP1251, "utf-8", "utf-8"),
    ([*VALREP_CP1251, "Bad \udcff byte,male,Russia"], "utf-8", "utf-8"),  # one bad byte among many letters
])  # fmt: skip
def test_a_chance_utf8_character_does_not_make_a_code_page_utf8(
    tmp_path: Path, lines: list[str], written: str, decided: str
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes("\n".join(lines).encode(written, "surrogateescape") + b"\n")
    assert detect_encoding(path) == decided
    names = read_records(path).records["name"].to_list()
    assert names[:3] == [line.split(",")[0] for line in lines[1:4]]
