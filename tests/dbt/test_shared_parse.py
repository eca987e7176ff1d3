"""A new home does not parse the whole dbt project again: every home of a machine shares
dbt's parse of it (flows/warehouse/dbt.py). A first build in a new home spent 3 s there."""
from __future__ import annotations

import os

from flows.settings import get_settings
from flows.warehouse.dbt import partial_parse_shared, run_dbt

FULL_PARSE = "Starting full parse"


def _parse_in(home, cache, monkeypatch) -> str:
    monkeypatch.setenv("TMT_HOME", str(home))
    monkeypatch.setenv("TMT_CACHE_DIR", str(cache))
    settings = get_settings()
    run_dbt(settings, "parse")
    return (home / "dbt" / "logs" / "dbt.log").read_text(encoding="utf-8")


def test_a_new_home_reuses_the_parse_another_home_made(tmp_path, monkeypatch):
    folder = os.getcwd()
    first = _parse_in(tmp_path / "first", tmp_path / "cache", monkeypatch)
    assert FULL_PARSE in first
    assert partial_parse_shared(get_settings()).is_file()

    second = _parse_in(tmp_path / "second", tmp_path / "cache", monkeypatch)
    assert FULL_PARSE not in second and "Unable to do partial parsing" not in second

    # without the shared parse (another machine, an emptied cache) dbt parses it all again
    alone = _parse_in(tmp_path / "third", tmp_path / "other-cache", monkeypatch)
    assert FULL_PARSE in alone
    assert os.getcwd() == folder  # dbt ran in the warehouse folder, the caller's is back
