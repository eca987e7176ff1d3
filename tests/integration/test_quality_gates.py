"""Data quality gates and publication, as a user meets them: real `tmt` processes on a
home where the bundled sample was ingested, checked, built and published once.

For every bad input of the LMIA pull and for a mart that fails a check: the command fails
with one line, the serving file is byte for byte what it was, the maintainers' alert is in
the outbox. Then versions and rollback.
"""
from __future__ import annotations

import hashlib
import json
import re

import duckdb
import pytest

from flows.notify import outbox
from flows.settings import bundled_lmia_sample, get_settings
from flows.warehouse import versions
from flows.warehouse.publish import publish
from tests.integration.test_cli import tmt
from tests.support.bad_files import make_bad_data_files, make_bad_files

CURRENT_RAW = """select count(*), sum(approved_positions) from raw.lmia_rows where file_sha256 in
                 (select file_sha256 from raw.lmia_files where superseded_by is null)"""


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def raw_counts(settings):
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        return con.execute(CURRENT_RAW).fetchall()[0]


@pytest.fixture(scope="module")
def home(tmp_path_factory, prefect_engine):
    """The sample ingested (with its raw checks), built, checked and published, in-process."""
    from prefect.settings import PREFECT_API_URL

    from flows.build_warehouse import build_warehouse
    from flows.ingest_lmia import ingest_lmia

    path = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMT_HOME", str(path))
        patch.delenv("TMT_LMIA_SOURCE", raising=False)
        ingest_lmia(str(bundled_lmia_sample()))
        build_warehouse()
        yield {"settings": get_settings(), "env": {"TMT_HOME": str(path),
                                                   "PREFECT_API_URL": PREFECT_API_URL.value()}}


@pytest.fixture(scope="module")
def bad_ingest(home, real_lmia, tmp_path_factory):
    """One `tmt ingest lmia` over a folder holding every bad file at once."""
    settings = home["settings"]
    cases = {**make_bad_files(real_lmia), **make_bad_data_files(real_lmia)}
    folder = tmp_path_factory.mktemp("downloads")
    for name, (data, _) in cases.items():
        (folder / name).write_bytes(data)
    before = {"serving": sha256(settings.serving_db), "raw": raw_counts(settings)}
    result = tmt("ingest", "lmia", "--source", str(folder), env=home["env"])
    alerts = {message["payload"]["file"]: message
              for message in outbox.pending(settings.outbox_db, "alerts")
              if message["kind"] == "lmia_file_quarantined"}
    return {"cases": cases, "before": before, "result": result, "alerts": alerts}


def test_bad_files_fail_the_command_on_one_line_and_reach_nobody(home, bad_ingest):
    settings, result = home["settings"], bad_ingest["result"]
    cases = bad_ingest["cases"]
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"tmt: error: {len(cases)} fichier(s) LMIA sur {len(cases)} non "
                           f"chargé(s) / {len(cases)} of {len(cases)} LMIA file(s) not loaded: ")
    assert sha256(settings.serving_db) == bad_ingest["before"]["serving"]
    # nothing of theirs is in the current set: the good 2017 Q3 list is current again
    assert raw_counts(settings) == bad_ingest["before"]["raw"]


@pytest.mark.parametrize("name", sorted(
    ["2019q1_empty_positive_en.csv", "2019q2_truncated_positive_en.csv",
     "2019q3_error_page_positive_en.csv", "2019q4_corrupt_positive_en.xlsx",
     "2020q1_encrypted_positive_en.xlsx", "2017q3_no_count_column_positive_en.csv",
     "2017q3_total_mismatch_positive_en.csv", "2017q3_zero_positions_positive_en.csv"]))
def test_each_bad_file_is_quarantined_with_an_alert(home, bad_ingest, name):
    settings = home["settings"]
    _, expected_words = bad_ingest["cases"][name]
    assert name in bad_ingest["result"].stderr
    alert = bad_ingest["alerts"][name]["payload"]
    assert alert["reason"].startswith(name) and expected_words in alert["reason"]
    assert alert["text"].startswith(f"Le fichier {name} n'a pas été chargé")
    assert (settings.quarantine_dir / f"{alert['sha256']}.reason.txt").exists()
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        assert con.execute("select count(*) from raw.lmia_rows where file_sha256 = ?",
                           [alert["sha256"]]).fetchall() == [(0,)]


def test_a_failed_data_check_alerts_with_the_expectation_and_sample_rows(bad_ingest):
    alert = bad_ingest["alerts"]["2017q3_zero_positions_positive_en.csv"]["payload"]
    (failed,) = alert["failed_expectations"]
    assert (failed["suite"], failed["expectation"], failed["column"]) == (
        "raw_lmia_rows", "expect_column_values_to_be_between", "approved_positions")
    assert failed["samples"][0]["approved_positions"] == 0
    french, english = alert["text"].split("--- English ---")
    # the check, its column and its failing rows in words, French first: no internal names
    assert ("Raison : 2017q3_zero_positions_positive_en.csv : contrôle de qualité en échec : "
            "Lignes d'un fichier LMIA · valeurs dans l'intervalle attendu (postes approuvés)"
            ) in french
    assert ("2\u202f923 ligne(s) sur 4\u202f538\n" in french
            and "\n  exemple : ligne du fichier : 9 ; province : Newfoundland and Labrador ; "
                "code de province : NL ; code postal : A0E 2V0 ; code CNP : 0711 ; postes "
                "approuvés : 0\n" in french)
    assert ("2,923 of 4,538 rows\n" in english
            and "\n  sample: file row: 9; province: Newfoundland and Labrador; province "
                "code: NL; postal code: A0E 2V0; NOC code: 0711; approved positions: 0\n"
            in english)
    assert not re.search(r"approved_positions|source_row|expect_|\w=", alert["text"])


UNPLACE = """update raw.lmia_rows set address = 'Nowhere-Land, QC', postal_code = null
               where file_sha256 = (select file_sha256 from raw.lmia_files
                                    where period_year = 2017 and superseded_by is null)
                   and province_code = 'QC' and source_row < 200"""


PERIOD_ROWS = """select source_file, source_row, address, municipality_code, geo_precision,
                        approved_positions from marts.fct_lmia_positions
                 where period_start = ? order by all"""
RENAME = """update raw.lmia_rows set employer_name = 'Ferme renommée'
            where rowid = (select lmia_rows.rowid from raw.lmia_rows
                           inner join raw.lmia_files
                               on lmia_rows.file_sha256 = lmia_files.file_sha256
                           where lmia_files.period_year = 2025
                               and lmia_files.superseded_by is null
                           order by lmia_rows.source_row limit 1)"""


def test_a_bad_quarter_is_withheld_and_every_other_period_published(home):
    """Some 2017 Q3 Quebec addresses made unplaceable (all periods together still pass
    dbt's 99% test) and a 2025 employer renamed: the quarter alone fails the mart
    checkpoint and keeps its last good publication; 2025 is published with the new name;
    the command exits 3 and the alert names the quarter and the check."""
    settings = home["settings"]
    served_before = versions.publication_of(settings.serving_db)["version"]
    with duckdb.connect(str(settings.serving_db), read_only=True) as con:
        quarter_before = con.execute(PERIOD_ROWS, ["2017-07-01"]).fetchall()
    with duckdb.connect(str(settings.work_db)) as con:
        con.execute("create table raw.lmia_rows_saved as select * from raw.lmia_rows")
        con.execute(UNPLACE)
        con.execute(RENAME)
    try:
        result = tmt("build", env=home["env"])
    finally:
        with duckdb.connect(str(settings.work_db)) as con:
            con.execute("create or replace table raw.lmia_rows as "
                        "select * from raw.lmia_rows_saved")
            con.execute("drop table raw.lmia_rows_saved")
    assert result.returncode == 3, result.stdout[-2000:]
    dbt_run = json.loads((settings.home / "dbt" / "target" / "run_results.json").read_text())
    assert not {node["status"] for node in dbt_run["results"]} & {"error", "fail"}  # dbt passed
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith(  # French first, then English
        "tmt: error: 1 période(s) retenue(s), toutes les autres publiées (responsables "
        "alertés) : 2017 T3 ; Périodes publiées (lmia_periods) · valeurs dans l'intervalle "
        "attendu (part placée dans une municipalité) : 1 ligne(s) sur 4 / 1 period(s) "
        "withheld, every other period published (maintainers alerted): 2017 Q3; Published "
        "periods (lmia_periods) · values within range (share placed in a municipality): "
        "1 of 4 rows, e.g. period kind: quarter; period start: 2017-07-01")
    with duckdb.connect(str(settings.serving_db), read_only=True) as con:
        assert con.execute(PERIOD_ROWS, ["2017-07-01"]).fetchall() == quarter_before
        assert con.execute("select count(*) from marts.fct_lmia_positions "
                           "where employer_name = 'Ferme renommée'").fetchone() == (1,)
        assert con.execute("select period_kind, period_start::varchar, kept_from_version "
                           "from meta.withheld_periods").fetchall() == [
            ("quarter", "2017-07-01", served_before)]
        assert con.execute("select count(distinct period_start) from marts.tmw_by_territory"
                           ).fetchone() == (4,)
    (alert,) = [m["payload"] for m in outbox.pending(settings.outbox_db, "alerts")
                if m["kind"] == "data_check_periods_withheld"]
    assert alert["withheld_periods"] == [{"period_kind": "quarter", "period_start": "2017-07-01"}]
    assert alert["subject"].startswith("[TMT] Contrôle de qualité en échec : 1 période(s)")
    french, english = alert["text"].split("--- English ---")
    # the check in words, French then English, its description in each language
    assert "- 2017 T3 : Périodes publiées (lmia_periods) · valeurs dans l'intervalle " \
           "attendu (part placée dans une municipalité)" in french
    assert "« au moins 99 % des postes du Québec de la période sont placés dans une " \
           "municipalité »" in french
    assert "expect_" not in alert["text"]
    assert "- 2017 Q3: Published periods (lmia_periods) · values within range" in english
    (failed,) = alert["failed_expectations"]
    assert failed["samples"][0]["municipality_share"] < 0.99
    assert not [m for m in outbox.pending(settings.outbox_db, "alerts")
                if m["kind"] in ("data_check_failed", "flow_run_failed")]
    digest = [m for m in outbox.pending(settings.outbox_db, "maintainers")
              if m["payload"].get("checkpoint") == "marts"]
    assert digest and "(âge en mois) : valeur observée" in digest[0]["payload"]["text"]  # old


def test_a_file_still_being_checked_waits_for_the_next_build_without_an_alert(home):
    """An ingest has loaded the 2018 Q1 list but not finished its raw checks: the build
    publishes the checked files, says it left one, alerts nobody; the next build, once the
    check is in, counts it."""
    settings = home["settings"]
    alerts_before = len(outbox.pending(settings.outbox_db, "alerts"))
    with duckdb.connect(str(settings.work_db)) as con:
        con.execute("create table raw.lmia_checks_saved as select * from raw.lmia_checks")
        con.execute("""delete from raw.lmia_checks where file_sha256 = (
                           select file_sha256 from raw.lmia_files where period_year = 2018
                               and superseded_by is null)""")
    try:
        result = tmt("build", env=home["env"])
    finally:
        with duckdb.connect(str(settings.work_db)) as con:
            con.execute("create or replace table raw.lmia_checks as "
                        "select * from raw.lmia_checks_saved")
            con.execute("drop table raw.lmia_checks_saved")
    assert result.returncode == 0, result.stderr
    assert "1 LMIA file(s) not raw-checked yet: left for the next build" in result.stdout
    assert len(outbox.pending(settings.outbox_db, "alerts")) == alerts_before
    with duckdb.connect(str(settings.serving_db), read_only=True) as con:
        periods = [period for (period,) in con.execute(
            "select distinct period_start::varchar from marts.fct_lmia_positions order by 1"
        ).fetchall()]
    assert periods == ["2017-07-01", "2021-10-01", "2025-01-01"]


def test_versions_and_rollback(home):
    settings = home["settings"]
    first = versions.publication_of(settings.serving_db)["version"]
    with duckdb.connect(str(settings.work_db)) as con:  # a second, different publication
        con.execute("delete from marts.tmw_map_points where approved_positions = "
                    "(select min(approved_positions) from marts.tmw_map_points)")
    second = publish(settings).version
    assert second != first

    listed = tmt("versions", env=home["env"])
    assert listed.returncode == 0
    assert [line[:20].split() for line in listed.stdout.splitlines()][:2] == [
        ["*", second], [first]]
    kept = ", ".join(version.name for version in versions.list_versions(settings))

    back = tmt("rollback", env=home["env"])
    assert (back.returncode, back.stdout.strip()) == (0, f"serving {first} (was {second})")
    assert sha256(settings.serving_db) == sha256(settings.versions_dir / f"{first}.duckdb")
    query = tmt("sql", "select version from meta.publication", "--format", "json",
                env=home["env"])
    assert json.loads(query.stdout) == [{"version": first}]

    forward = tmt("rollback", "--to", second, env=home["env"])
    assert forward.stdout.strip() == f"serving {second} (was {first})"
    unknown = tmt("rollback", "--to", "19990101T000000Z", env=home["env"])
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines() == [
        (f"tmt: error: no version 19990101T000000Z in {settings.versions_dir} "
         f"(kept: {kept})")]
