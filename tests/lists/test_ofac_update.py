"""OFAC update folders (alias and address files only) applied to the stored list as a new version."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.errors import ListError
from screening.lists import ImportOptions, diff_imports, import_list, read_list
from screening.store import open_store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"


@pytest.mark.parametrize(
    ("files", "changes", "problems"),
    [
        ({"alt.csv": '306,99990,"aka","BNC HAVANA",-0- \n'}, [("changed", "us_ofac_sdn:306", "names")], 0),
        ({"add.csv": '306,99992,-0- ,"Moscow","Russia",-0- \n'}, [("changed", "us_ofac_sdn:306", "countries")], 0),
        # an entry the stored list lacks is a problem; BNC is a known name of 306 already
        ({"alt.csv": '999999,1,"aka","NOBODY",-0- \n306,2,"aka","BNC",-0- \n'}, [], 1),
    ],
)
def test_update_folder_adds_to_the_stored_version(
    tmp_path: Path, files: dict[str, str], changes: list[tuple[str, str, str]], problems: int
) -> None:
    folder = tmp_path / "sdn_update_2021-08-02"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = open_store(":memory:")
    import_list(store, FIXTURES / "ofac_sdn_2021-07")
    imp = import_list(store, folder, options=ImportOptions(force=True))
    assert (imp.source, imp.list_version, imp.format, imp.problems.height) == (
        "us_ofac_sdn",
        "2021-08-02",
        "ofac_csv_update",
        problems,
    )
    assert diff_imports(store, "us_ofac_sdn").select("change", "entity_id", "fields").rows() == changes
    assert store.frame("SELECT list_version FROM list_sources")["list_version"].to_list() == ["2021-08-02"]


@pytest.mark.parametrize("imported", [False, True])
def test_update_folder_needs_a_stored_list(tmp_path: Path, imported: bool) -> None:
    folder = tmp_path / "update"
    folder.mkdir()
    (folder / "cons_alt.csv").write_text('1,1,"aka","X",-0- \n', encoding="utf-8")
    store = open_store(":memory:")
    if imported:
        import_list(store, FIXTURES / "ofac_sdn_2021-07")  # an SDN list is not the cons list
    with pytest.raises(ListError, match="an update of us_ofac_cons, but no us_ofac_cons list is imported"):
        import_list(store, folder)
    with pytest.raises(ListError, match="only applies to an imported list"):
        read_list(folder)
