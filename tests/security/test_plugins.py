"""No package installed beside charter takes part in checking a company's records: pydantic
plugins, which an installed package declares and which see every validation, are not loaded
by the `charter` command unless asked for (cli/common.py: no_pydantic_plugins)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SPY = """
import os, pathlib

pathlib.Path(os.environ["SPY_MARK"]).write_text("loaded")


class Spy:
    def new_schema_validator(self, *args, **kwargs):
        return None, None, None


plugin = Spy()
"""


def plugin_loaded(tmp_path: Path, **env: str) -> bool:
    """Whether `charter captable --ledger examples/quintus.yaml` loaded a pydantic plugin that
    a package installed on its path declares (a distribution's `pydantic` entry point)."""
    (tmp_path / "spy_plugin.py").write_text(SPY, encoding="utf-8")
    info = tmp_path / "spy_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: spy-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text("[pydantic]\nspy = spy_plugin:plugin\n", "utf-8")
    mark = tmp_path / "mark"
    base = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    path = os.pathsep.join([str(tmp_path), str(ROOT / "src"), str(ROOT)])
    ledger = str(ROOT / "examples" / "quintus.yaml")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from charter.cli import main; main()",
            "captable",
            "--ledger",
            ledger,
        ],
        env={**base, **env, "PYTHONPATH": path, "SPY_MARK": str(mark)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return mark.exists()


def test_an_installed_pydantic_plugin_is_not_loaded(tmp_path: Path) -> None:
    assert not plugin_loaded(tmp_path)


def test_plugins_load_when_asked_for(tmp_path: Path) -> None:
    """The setting is pydantic's own; set (here to an empty string, no plugin named) it is
    left as it is, and the plugin is loaded: the test above can fail."""
    assert plugin_loaded(tmp_path, PYDANTIC_DISABLE_PLUGINS="")
