"""The wheel holds the app only: the benchmark and the fake hub are development tools,
kept outside ``paperreader/`` and run from the repository's root as the README says."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV_TOOLS = ("benchmarks", "tools")


def _packaged() -> list[str]:
    """The packages ``pip wheel .`` puts in the wheel (pyproject's package discovery)."""
    setuptools = pytest.importorskip("setuptools")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    find = config["tool"]["setuptools"]["packages"]["find"]
    packages: list[str] = setuptools.find_packages(
        where=str(ROOT), include=find.get("include", ["*"]), exclude=find.get("exclude", ())
    )
    return packages


def test_the_wheel_holds_no_benchmark_or_fake_hub() -> None:
    packages = _packaged()

    assert "paperreader" in packages and "paperreader.core" in packages
    assert not [p for p in packages if p.split(".")[0] in (*DEV_TOOLS, "tests", "scripts")]
    modules = {
        path.stem
        for package in packages
        for path in (ROOT / package.replace(".", "/")).glob("*.py")
    }
    assert "app" in modules  # the listing above found the modules
    assert not modules & {"bench", "fakehub"}


def test_the_app_never_imports_the_development_tools() -> None:
    """An installed paperreader has no ``benchmarks`` or ``tools`` to import."""
    for path in (ROOT / "paperreader").rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in DEV_TOOLS, f"{path}: imports {name}"


@pytest.mark.parametrize("module", ["benchmarks.bench", "tools.fakehub"])
def test_the_development_tools_run_from_the_repository_root(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert f"python -m {module}" in done.stdout
