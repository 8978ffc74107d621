"""Shared fixtures: the bundled case, and copies of it to break."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # tests never open windows

ROOT = Path(__file__).resolve().parents[1]
CASE_SLUG = "ru-ir-missile-experts-2024"
CASE_DIR = ROOT / "data" / "cases" / CASE_SLUG


@pytest.fixture(scope="session")
def case():
    """The bundled case, loaded once per test session (treat as read-only)."""
    from osint_kit import load_case

    return load_case(CASE_SLUG)


@pytest.fixture
def case_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled case folder."""
    dest = tmp_path / CASE_SLUG
    shutil.copytree(CASE_DIR, dest)
    for p in dest.iterdir():
        os.chmod(p, 0o644)
    return dest


NETGUARD = Path(__file__).resolve().parent / "netguard"


def pytest_configure(config):
    """Cut the network for this process and every child (notebook kernels), and
    keep the digest key of tests and kernels in a temporary folder, never in the
    user's ~/.config/osint-kit."""
    import tempfile

    os.environ["OSINT_KIT_CONFIG_DIR"] = tempfile.mkdtemp(prefix="osint-kit-config-")  # 0700
    os.environ.pop("OSINT_KIT_KEY_FILE", None)
    os.environ["OSINT_KIT_NO_NETWORK"] = "1"
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(NETGUARD), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "osint_kit_netguard", NETGUARD / "sitecustomize.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.install()
