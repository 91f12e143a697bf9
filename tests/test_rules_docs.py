"""The generated rules reference: what it holds per rule, and that the committed page is current."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from screening.rules import default_rules_dir, load_rules
from screening.rules_docs import check_rules_docs, kind_capabilities, kind_summary, render_rules_docs

PAGE = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


@pytest.fixture(scope="module")
def page() -> str:
    return render_rules_docs()


def test_committed_page_is_current() -> None:
    assert check_rules_docs(PAGE), "docs/rules.md is stale: run `screening rules docs`"


def test_every_rule_has_a_section_and_an_index_row(page: str) -> None:
    ids = [rule.id for rule in load_rules().rules]
    assert re.findall(r"^## (\S+)$", page, flags=re.MULTILINE) == ids
    assert all(f"| [{rule_id}](#{rule_id.lower()}) |" in page for rule_id in ids)


@pytest.mark.parametrize(
    ("rule_id", "line"),
    [
        # a parameter the rule sets, with its declared range and the kind's default
        (
            "NAME-001",
            '| `threshold` | `{"model": 0.73, "hand": 0.88}` | '
            "`float \\| dict[str, float] \\| None` | from 0 to 1 | `null` |",
        ),
        # a parameter the rule leaves at the default
        ("DEST-001", "| `fields` | (default) | `list[str] \\| None` |  | `null` |"),
        # a required parameter
        ("DEST-001", '| `countries` | `["RU", "BY"'),
        ("GOODS-004", "The kind takes no parameters."),
        ("GOODS-001", "- <https://www.bis.gov/articles/russia-export-controls-list-common-high-priority-items>"),
        ("ROUTE-001", "| `min_value` |"),
    ],
)
def test_section_lines(page: str, rule_id: str, line: str) -> None:
    section = page.split(f"## {rule_id}\n", 1)[1].split("\n## ", 1)[0]
    assert line in section


def test_kind_summary_is_the_docstrings_first_paragraph() -> None:
    assert kind_summary("destination_country").startswith("Flag records whose destination")


def test_disabled_rule_is_documented_as_such(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder)
    path = folder / "GOODS-004-hs-code-quality.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "enabled: false\n", encoding="utf-8")
    text = render_rules_docs(folder)
    assert "Declared HS code unknown or ambiguous (disabled) |" in text
    assert "(disabled)\n" in text.split("## GOODS-004\n", 1)[1]


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("chpl_goods", "runs on each batch of records; is drawn in the report's goods chart."),
        ("name_match", "builds once per run `name index`; says a party is listed (ranked first)."),
        ("ownership_exposure", "over the stored records; reads `ownership`, `parties`, `transactions`"),
    ],
)
def test_a_kinds_declared_capabilities_are_said(kind: str, said: str) -> None:
    assert said in kind_capabilities(kind)
