"""The bundled LMIA sample ingested, checked, built and published once per test session
(the `sample_home` fixture, tests/conftest.py); a module that needs a home of its own
starts from a copy of it instead of loading and building the sample again."""
from __future__ import annotations

import shutil
from pathlib import Path

from flows.build_warehouse import build_warehouse
from flows.settings import Settings
from tests.flows.test_build_warehouse import load_sample


def build_sample_home(settings: Settings) -> None:
    """The four LMIA files of the sample, with their raw checks, built and published."""
    load_sample(settings)
    build_warehouse()


def copy_home(sample_home: Path, target: Path) -> Path:
    """A private copy of the built sample home: its working and serving databases, archive,
    reports and dbt state, so that what one module changes no other sees."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(sample_home, target, symlinks=True)
    return target
