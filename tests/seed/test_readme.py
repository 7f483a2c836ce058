"""seed/README.md summarises every defect resolution recorded in the data."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tests.seed.sources import SEED


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "resolutions_table", SEED / "tools" / "resolutions_table.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_lists_every_resolution_of_the_data() -> None:
    tool = _tool()
    readme = (SEED / "README.md").read_text(encoding="utf-8")
    assert tool.table() in readme, "run: python3 seed/tools/resolutions_table.py --write"
    assert len(tool.rows()) == 32 + 44 + 21  # ocsc items, tpqi items, ocsc profiles


def test_the_readme_links_the_defect_files() -> None:
    readme = (SEED / "README.md").read_text(encoding="utf-8")
    for name in (
        "ocsc/DEFECTS.md",
        "ocsc/PROFILE_DEFECTS.md",
        "tpqi-it-exec/DEFECTS.md",
        "FORMAT.md",
    ):
        assert name in readme
        assert (SEED / name).is_file()
