"""What ``pip install unspin`` gives, with no extras, in a fresh virtual environment.

CI installs ``.[dev]``, which hides a base install's gaps: this test installs
the package alone from PyPI's dependencies and runs the core commands, and a
ring command whose extra is missing. It also keeps the optional rings out of
the core commands' imports, and ``unspin.__version__`` tied to the metadata.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLES

PASSPORT_COPY = SAMPLES / "suspects/handmade/actor-passport-spun.txt"
RINGS_AND_OPTIONAL_DEPENDENCIES = ("fastapi", "trafilatura", "unspin.detect", "unspin.scan")

ARTICLE_PAGE = """<!doctype html><html><head><title>Harbour cranes return</title>
<meta property="og:site_name" content="Harbourside Post"></head><body>
<nav>Home | News | Sport</nav><article><h1>Harbour cranes return</h1>
<p>The two container cranes that were shipped away for repair last spring came back to the
harbour on Tuesday, towed on a barge past the old lighthouse while crowds watched.</p>
<p>Port officials said the cranes would be working again within a fortnight, ending months of
delays for the shipping lines that use the east quay.</p></article>
<footer>Copyright Harbourside Post</footer></body></html>"""


def run(
    *command: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, timeout=900, env=env
    )


@pytest.fixture(scope="session")
def base_install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh venv holding ``pip install unspin``, no extras."""
    root = tmp_path_factory.mktemp("base-install")
    # Built from a copy, so that building leaves no egg-info or build folder in the checkout.
    source = root / "unspin"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "src", source / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    venv.create(root / "venv", with_pip=True)
    bin_dir = root / "venv" / "bin"
    pip = (bin_dir / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check")
    done = run(*pip, "--no-compile", source)  # Python compiles what it imports, on first use
    assert done.returncode == 0, done.stdout + done.stderr
    return bin_dir


@pytest.mark.slow
def test_base_install_indexes_and_checks(base_install: Path, tmp_path: Path) -> None:
    page = tmp_path / "harbour-cranes.html"
    page.write_text(ARTICLE_PAGE, encoding="utf-8")
    db = tmp_path / "archive.db"
    indexed = run(base_install / "unspin", "index", SAMPLES / "archive", page, "--db", db)
    assert indexed.returncode == 0, indexed.stderr
    assert "indexed 51 new documents" in indexed.stdout  # 50 samples and the HTML page

    checked = run(base_install / "unspin", "check", PASSPORT_COPY, "--db", db, "--json")
    assert checked.returncode == 0, checked.stderr
    result = json.loads(checked.stdout)
    assert result["verdict"] == "spun"
    assert result["matches"][0]["source_id"] == "coastal-wire/actor-russian-passport.txt"

    helped = run(base_install / "unspin", "check", "--help")
    assert helped.returncode == 0 and "--db" in helped.stdout, helped.stderr


@pytest.mark.slow
def test_base_install_says_how_to_get_a_missing_extra(base_install: Path, tmp_path: Path) -> None:
    listed = run(base_install / "unspin", "--help")
    assert listed.returncode == 0 and "serve" in listed.stdout, listed.stderr
    for asked in (["serve", "--db", str(tmp_path / "archive.db")], ["serve", "--help"]):
        served = run(base_install / "unspin", *asked)
        assert served.returncode == 2
        assert "pip install 'unspin[web]'" in served.stderr
        assert "Traceback" not in served.stderr + served.stdout


def test_core_commands_import_no_ring() -> None:
    """``unspin check`` loads neither the web app, detection, the scan engines nor trafilatura."""
    done = run(sys.executable, "-X", "importtime", "-m", "unspin.cli", "check", "--help")
    assert done.returncode == 0, done.stderr
    imported = set(re.findall(r"\|\s+(\S+)$", done.stderr, flags=re.MULTILINE))
    assert "unspin.console" in imported  # the list was read
    loaded = {
        name
        for name in imported
        if any(
            name == ring or name.startswith(ring + ".") for ring in RINGS_AND_OPTIONAL_DEPENDENCIES
        )
    }
    assert loaded == set()


def test_version_comes_from_the_installed_metadata(tmp_path: Path) -> None:
    metadata = tmp_path / "unspin-7.7.7.dist-info"
    metadata.mkdir()
    (metadata / "METADATA").write_text("Metadata-Version: 2.1\nName: unspin\nVersion: 7.7.7\n")
    # Ahead of the real install on sys.path: this is the unspin distribution Python finds.
    path = os.pathsep.join([str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])])
    done = run(
        sys.executable,
        "-c",
        "import unspin; from unspin.api import unspin_version; "
        "print(unspin.__version__, unspin_version())",
        env={**os.environ, "PYTHONPATH": path},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["7.7.7", "7.7.7"]


def test_version_of_a_source_tree_never_installed() -> None:
    never_installed = textwrap.dedent(
        """
        import importlib.metadata

        def version(name):
            raise importlib.metadata.PackageNotFoundError(name)

        importlib.metadata.version = version
        import unspin
        print(unspin.__version__)
        """
    )
    done = run(sys.executable, "-c", never_installed)
    assert done.returncode == 0, done.stderr
    declared = re.search(r'^version = "(.+)"$', (ROOT / "pyproject.toml").read_text(), re.M)
    assert declared is not None and done.stdout.strip() == declared.group(1)
