"""``screening inspect``: the column plan of real layouts, and a starter mapping that loads back."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.cli import main
from screening.ingest import load_mapping, read_records
from screening.ingest.inspect import column_plan, starter_mapping

CORPUS = Path(__file__).parents[2] / "fixtures" / "real_layouts"
FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"

PLANS = [
    # file, kind, a placed (source, canonical), the columns not placed
    (CORPUS / "vendor_short_ru.csv", "transactions", ("SUPPLIER_NAME_EN", "shipper"), []),
    (CORPUS / "vendor_full_uz.csv", "transactions", ("CUSTOMS_APPLICANT_NAME", "applicant"), []),
    (CORPUS / "comext_total.csv", "flows", ("VALUE_IN_EUR", "value"), ["PRODUCT_LABEL"]),
    (CORPUS / "vendor_title_rows_kz.xlsx", "transactions", ("КОД ТНВЭД", "hs_code"), []),
    (FIXTURES / "nothing_maps.csv", "transactions", None, ["foo", "bar"]),
]


@pytest.mark.parametrize(("path", "kind", "placed", "unplaced"), PLANS)
def test_column_plan(path: Path, kind: str, placed: tuple[str, str] | None, unplaced: list[str]) -> None:
    plan = column_plan(path)
    assert plan.kind == kind
    assert [s for s, t in plan.mapping.items() if t is None] == unplaced
    if placed is not None:
        assert plan.mapping[placed[0]] == placed[1]


@pytest.mark.parametrize("name", ["vendor_full_uz.csv", "comext_total.csv", "comtrade_api.csv"])
def test_starter_mapping_loads_back_and_reads_the_same(tmp_path: Path, name: str) -> None:
    plan = column_plan(CORPUS / name)
    path = tmp_path / "mapping.yaml"
    path.write_text(starter_mapping(plan), encoding="utf-8")
    explicit = load_mapping(path)
    assert {s: t for s, t in explicit.items() if t} == {s: t for s, t in plan.mapping.items() if t}
    assert read_records(CORPUS / name, mapping=explicit).records.equals(read_records(CORPUS / name).records)


def test_inspect_command_prints_the_plan_and_writes_the_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "total.yaml"
    assert main(["inspect", str(CORPUS / "comext_total.csv"), "--write", str(target)]) == 0
    out = capsys.readouterr().out
    assert "flows, 7 of 8 columns placed" in out and "not used" in out
    assert '"PRODUCT_LABEL": ""  # not placed' in target.read_text(encoding="utf-8")
    assert main(["inspect", "--synonyms"]) == 0
    assert "SUPPLIER_NAME_EN".lower().replace("_", " ") in capsys.readouterr().out
