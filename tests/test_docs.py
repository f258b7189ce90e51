"""The README stays true to the registries it documents."""

import subprocess
import sys
from pathlib import Path

from config import SETTINGS
from geodata.registry import INDICATORS

ROOT = Path(__file__).resolve().parents[1]


def test_readme_tables_are_generated_from_the_registries():
    r = subprocess.run(
        [sys.executable, "docs/generate.py", "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert r.returncode == 0, r.stdout


def test_every_indicator_and_setting_is_documented():
    readme = (ROOT / "README.md").read_text()
    assert all(f"`{i.id}`" in readme for i in INDICATORS)
    assert all(f"`{s.name}`" in readme for s in SETTINGS)


def test_readme_names_the_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "`bash run.sh`" in readme and "`bash .ci/run`" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python -m pytest" in ci and "chromium" in ci and "redis-server" in ci
