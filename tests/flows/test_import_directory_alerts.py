"""Bad directory input: the flow fails on one line, the serving file is untouched, and the
maintainers' alert waits in the outbox."""
from __future__ import annotations

import hashlib

import duckdb
import pytest

from flows.errors import TmtError
from flows.import_directory import import_directory
from flows.notify import outbox
from flows.settings import get_settings
from tests.support import messy_directory as messy


@pytest.fixture
def serving(tmt_home):
    path = get_settings().serving_db
    path.parent.mkdir(parents=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create table marts.t as select 1 as x")
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def alerts():
    return [m for m in outbox.rows(get_settings().outbox_db) if m["tag"] == "alerts"]


def test_rejected_rows_alert_the_maintainers(prefect_engine, serving, tmp_path):
    path = messy.write_csv(tmp_path / "répertoire.csv")
    with pytest.raises(TmtError, match="rejetée"):
        import_directory(str(path))
    (alert,) = alerts()
    assert alert["kind"] == "directory_rows_rejected"
    assert len(alert["payload"]["rows_rejected"]) == len(messy.EXPECTED_REJECTED)
    assert alert["payload"]["subject"].startswith("[TMT] Répertoire")
    # The maintainers' digest gets one item saying what the import did (issue 15).
    (digest,) = [m for m in outbox.rows(get_settings().outbox_db)
                 if m["kind"] == "directory_import"]
    assert digest["tag"] == "maintainers"
    assert digest["payload"]["rows_rejected"] == sorted(messy.EXPECTED_REJECTED)
    assert digest["payload"]["duplicates_merged"] == [7]
    assert [entry["term"] for entry in digest["payload"]["terms_kept_as_free_text"]] == [
        "Cours de cuisine"]
    assert "16 ligne(s) lue(s), 11 importée(s), 5 rejetée(s) (lignes 8, 10, 11, 12, 18)" \
        in digest["payload"]["fr"]
    assert hashlib.sha256(serving[0].read_bytes()).hexdigest() == serving[1]


def test_unreadable_spreadsheet_alerts_the_maintainers(prefect_engine, serving, tmp_path):
    page = tmp_path / "repertoire.csv"
    page.write_bytes(b"<!DOCTYPE html><html><body>503 Service Unavailable</body></html>\n")
    with pytest.raises(TmtError) as error:
        import_directory(str(page))
    assert "\n" not in str(error.value)
    (alert,) = alerts()
    assert alert["kind"] == "directory_import_failed"
    assert alert["payload"]["reason"] == str(error.value)
    assert hashlib.sha256(serving[0].read_bytes()).hexdigest() == serving[1]
