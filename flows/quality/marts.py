"""Mart checkpoint: the marts just built in the working database, before publication.

Runs after dbt build and before flows/warehouse/publish.py. It reads the dbt models of
schema `quality` (dbt_project/models/quality: reconciliations and per-period shares are
SQL there, with ref() and lineage) with `select *`, and holds them to the suites of
expectations/. A critical failure on rows of some periods withholds those periods only:
the others are published, the withheld ones keep their last good publication (or are
absent), the maintainers get one alert naming each period and check, and the build exits
with EXIT_PERIODS_WITHHELD. A critical failure that names no period (the directory, a
check that could not run) stops the whole publication, as before. Warnings (an old latest
period) go to the digest.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from expectations.checkpoint import Batch, Outcome, read_as_categories, run_checkpoint
from flows.errors import TmtError, alerted
from flows.notify import messages, outbox
from flows.quality import results
from flows.settings import Settings
from flows.warehouse.dbt import project_var

PERIOD_COLUMNS = ("period_kind", "period_start")
# `tmt build` exits with this when it published but withheld some periods (docs: README).
EXIT_PERIODS_WITHHELD = 3


@dataclass(frozen=True)
class Verdict:
    """The checkpoint's outcome and the periods the publication must withhold."""

    outcome: Outcome
    withheld: tuple[tuple[str, str], ...] = ()
    waiting_files: int = 0  # loaded, not raw-checked yet: left for the next build


class PeriodsWithheld(TmtError):
    """Published, but some periods failed a mart check and were withheld (alert queued)."""

    exit_code = EXIT_PERIODS_WITHHELD


def _frame(con, model: str, today: date | None = None):
    if today is None:
        return con.execute(f"select * from quality.{model}").df()
    # Freshness is measured to today, which a view must not fix at build time.
    return con.execute(f"select *, date_diff('month', period_start::date, ?::date) as months_old "
                       f"from quality.{model}", [today]).df()


def validate_marts(settings: Settings, today: date | None = None) -> tuple[Outcome, int]:
    try:
        with duckdb.connect(str(settings.work_db), read_only=True) as con:
            # one row per source row (750,000 on a history): text as categories
            positions = read_as_categories(con.sql("select * from quality.quality_lmia_positions"))
            files = _frame(con, "quality_lmia_files")
            waiting = len(_frame(con, "quality_lmia_files_waiting"))
            periods = _frame(con, "quality_lmia_periods", today or date.today())
            directory = (con.execute("select * from marts.directory_organizations").df(),
                         _frame(con, "quality_directory_codes"))
    except duckdb.Error as exc:
        raise TmtError(f"{settings.work_db}: cannot read the marts to check them "
                       f"({' '.join(str(exc).split())[:200]})") from exc
    from expectations import directory as directory_suites
    from expectations import marts as suites

    share = float(project_var("min_quebec_municipality_share"))
    batches = [
        Batch(suites.marts_lmia_positions(), positions, "fct_lmia_positions",
              period_columns=PERIOD_COLUMNS),
        Batch(suites.marts_lmia_files(), files, "lmia_files", period_columns=PERIOD_COLUMNS),
        Batch(suites.marts_lmia_periods(share, settings.stale_after_months, not periods.empty),
              periods, "lmia_periods", period_columns=PERIOD_COLUMNS),
        Batch(directory_suites.directory_organizations(), directory[0],
              "directory_organizations"),
        Batch(directory_suites.directory_codes(), directory[1], "directory_codes"),
    ]
    return run_checkpoint("marts", batches, docs_root=settings.home), waiting


def withheld_periods(outcome: Outcome) -> tuple[tuple[str, str], ...] | None:
    """The periods named by the critical findings; None when one of them names no period
    (then nothing can be published)."""
    periods: set[tuple[str, str]] = set()
    for finding in outcome.critical:
        if not finding.periods:
            return None
        periods.update(finding.periods)
    return tuple(sorted(periods, key=lambda period: (period[1], period[0])))


def check_marts(settings: Settings, today: date | None = None) -> Verdict:
    """Validate, keep the results, queue the alert or the digest items. Raise when nothing
    can be published; otherwise return the periods to withhold."""
    outcome, waiting = validate_marts(settings, today)
    results.record(settings.work_db, outcome)
    queued = messages.digest_items("marts", "marts", outcome.warnings)
    withheld = withheld_periods(outcome)
    if outcome.critical:
        queued.append(messages.checks_failed(outcome) if withheld is None
                      else messages.periods_withheld(outcome, withheld))
    outbox.enqueue(settings.outbox_db, queued)
    if withheld is None:
        raise alerted(TmtError(
            f"contrôle de qualité en échec, rien n'est publié (responsables alertés) : "
            f"{messages.first_check(outcome)} / data check failed, nothing published "
            f"(maintainers alerted): {messages.first_check(outcome, french=False)}"))
    return Verdict(outcome, withheld, waiting)


def withheld_error(verdict: Verdict) -> PeriodsWithheld:
    """The build's error once the other periods are published: how many were withheld, the
    first failed check."""
    count = len(verdict.withheld)

    def listed(french: bool) -> str:
        return ", ".join(messages.period_label(kind, start, french=french)
                         for kind, start in verdict.withheld)

    return alerted(PeriodsWithheld(
        f"{count} période(s) retenue(s), toutes les autres publiées (responsables alertés) : "
        f"{listed(True)} ; {messages.first_check(verdict.outcome)} / "
        f"{count} period(s) withheld, every other period published (maintainers alerted): "
        f"{listed(False)}; {messages.first_check(verdict.outcome, french=False)}"))
