"""Raw LMIA checkpoint: each loaded file against expectations/raw_lmia.py, before dbt.

A critical failure withdraws the file: its rows leave the raw tables, the file it had
superseded (if any) is current again, and it is quarantined like a file that does not
parse, so it never reaches dbt, the marts or an analyst. The other files go on; the
ingest exits non-zero. Warnings stay in the file's report and go to the digest.
A file is checked once (raw.lmia_checks); one loaded but never checked (a crash between
load and check) is checked on the next ingest, and the mart checkpoint refuses to publish
a counted file that has no check.
"""
from __future__ import annotations

from dataclasses import replace

from expectations.checkpoint import (
    SAMPLE_ROWS,
    Batch,
    Checked,
    Outcome,
    _finding,
    read_as_categories,
    run_checkpoint,
    validate_frames,
    write_data_docs,
)
from flows.lmia import archive, load
from flows.lmia.ingest import FileReport
from flows.notify import messages
from flows.quality import results
from flows.settings import Settings

ROWS_QUERY = """
select
    lmia_rows.file_sha256,
    lmia_rows.sheet,
    lmia_rows.source_row,
    lmia_rows.province,
    lmia_rows.province_code,
    lmia_rows.postal_code,
    lmia_rows.occupation_code,
    lmia_rows.approved_positions,
    lmia_files.layout,
    lmia_files.noc_version as file_noc_version
from raw.lmia_rows as lmia_rows
inner join raw.lmia_files as lmia_files
    on lmia_rows.file_sha256 = lmia_files.file_sha256
where lmia_rows.file_sha256 in (select unnest($shas))
"""

FILES_QUERY = """
with

these_files as (
    select * from raw.lmia_files where file_sha256 in (select unnest($shas))
)

select
    these_files.file_sha256,
    these_files.original_name,
    these_files.period_kind,
    these_files.period_start::varchar as period_start,
    these_files.layout,
    these_files.noc_version,
    these_files.row_count,
    these_files.approved_positions,
    previous_file.original_name as previous_file,
    previous_file.row_count as previous_rows,
    previous_file.approved_positions as previous_positions,
    these_files.row_count / previous_file.row_count as row_ratio,
    these_files.approved_positions / previous_file.approved_positions as position_ratio
from these_files
left join lateral (
    select earlier.original_name, earlier.row_count, earlier.approved_positions
    from raw.lmia_files as earlier
    where earlier.period_kind = these_files.period_kind
        and earlier.period_start < these_files.period_start
        and earlier.superseded_by is null
    order by earlier.period_start desc, (earlier.language = these_files.language) desc
    limit 1
) as previous_file on true
order by these_files.file_sha256
"""

FILE_SAMPLE_COLUMNS = ("original_name", "period_start", "row_count", "approved_positions",
                       "previous_file", "previous_rows", "previous_positions")
# A failing row is shown by its file, sheet and row with the values checked: not by its
# employer and address, the two columns with a value per row (reading them for the checks
# cost a third of the checks' time on the history).
ROW_SAMPLE_COLUMNS = ("sheet", "source_row", "province", "province_code", "postal_code",
                      "occupation_code", "approved_positions")


def unchecked(settings: Settings, shas: list[str]) -> set[str]:
    """Which of these files are loaded and not checked yet: one opening of the working file
    for the whole run. Cheap: no Great Expectations import."""
    if not shas:
        return set()
    con = load.connect(settings.work_db)
    try:
        return {sha for (sha,) in con.execute(
            """select file_sha256 from raw.lmia_files
               where file_sha256 in (select unnest($shas))
                   and file_sha256 not in (select file_sha256 from raw.lmia_checks)""",
            {"shas": shas}).fetchall()}
    finally:
        con.close()


def frames(settings: Settings, shas: list[str]):
    """(one row per file, one row per data row) of these files, as the suites read them."""
    con = load.connect(settings.work_db)
    try:
        files = con.execute(FILES_QUERY, {"shas": shas}).df()
        rows = read_as_categories(con.sql(ROWS_QUERY, params={"shas": shas}))
    finally:
        con.close()
    return files, rows


def validate_file(settings: Settings, sha256: str) -> Outcome:
    file_frame, rows_frame = frames(settings, [sha256])
    from expectations import raw_lmia as suites

    batch_id = f"{file_frame.at[0, 'original_name']}-{sha256[:12]}"
    return run_checkpoint("raw_lmia", [
        Batch(suites.raw_lmia_file(settings.volume_band), file_frame, batch_id,
              FILE_SAMPLE_COLUMNS),
        Batch(suites.raw_lmia_rows(), rows_frame, batch_id, ROW_SAMPLE_COLUMNS),
    ], docs_root=settings.home)


def check_loaded_file(settings: Settings, report: FileReport) -> FileReport:
    """Check a loaded file once; withdraw and quarantine it on a critical failure."""
    return check_loaded_files(settings, [report])[0]


def check_loaded_files(settings: Settings, reports: list[FileReport]) -> list[FileReport]:
    """Check every loaded, unchecked file of a run in one pass; same verdicts as file by file.

    All files' rows are validated as one frame per suite (one Great Expectations run, not
    one per file: a run costs about a second whatever its size). Each expectation's failing
    rows are then counted file by file and judged with its own `mostly`; a file whose
    failing rows fall under a conditional expectation is validated alone, the exact way.
    """
    candidates = [report.sha256 for report in reports
                  if report.status in ("loaded", "unchanged") and report.sha256]
    waiting = unchecked(settings, candidates)
    todo = list(dict.fromkeys(sha for sha in candidates if sha in waiting))
    if not todo:
        return reports
    outcomes = split_outcomes(settings, todo)
    con = load.connect(settings.work_db)
    checked: dict[str, FileReport] = {}
    try:
        results.record_with(con, *outcomes.values())
        load.record_checks(con, {sha: len(outcome.warnings) for sha, outcome in outcomes.items()
                                 if not outcome.critical})
        for report in reports:
            if report.sha256 not in outcomes or report.sha256 in checked:
                continue
            outcome = outcomes[report.sha256]
            findings = [finding.as_dict() for finding in outcome.findings]
            if not outcome.critical:
                checked[report.sha256] = replace(report, checks=findings)
                continue
            reason = f"{report.name}: failed data check: {messages.first_check(outcome, french=False)}"
            archived = _archived(settings, con, report.sha256)
            archive.quarantine(settings.quarantine_dir, archived, reason)
            load.withdraw(con, archived, reason)
            checked[report.sha256] = replace(report, status="quarantined", reason=reason,
                                             checks=findings)
    finally:
        con.close()
    return [checked.get(report.sha256, report) for report in reports]


def split_outcomes(settings: Settings, shas: list[str]) -> dict[str, Outcome]:
    """One Outcome per file from one validation of all of them (see check_loaded_files)."""
    if len(shas) == 1:
        return {shas[0]: validate_file(settings, shas[0])}
    file_frame, rows_frame = frames(settings, shas)
    from expectations import raw_lmia as suites

    batches = [Batch(suites.raw_lmia_file(settings.volume_band), file_frame, "raw-lmia-run",
                     FILE_SAMPLE_COLUMNS),
               Batch(suites.raw_lmia_rows(), rows_frame, "raw-lmia-run", ROW_SAMPLE_COLUMNS)]
    validated = validate_frames(batches, result_format="COMPLETE")
    names = dict(zip(file_frame["file_sha256"], file_frame["original_name"]))
    split = {sha: ([], []) for sha in shas}  # sha -> (findings, checked)
    alone: set[str] = set()
    for batch, result in validated:
        files = FilesOf(batch.frame["file_sha256"])
        for check in result.results:
            judged = judge_by_file(batch, check, files, shas)
            if judged is None:  # could not be split exactly: these files go alone
                alone.update(sha for sha in shas if files.rows(sha))
                continue
            for sha, (finding, success) in judged.items():
                if success is None:
                    alone.add(sha)
                    continue
                batch_id = f"{names.get(sha, sha)}-{sha[:12]}"
                split[sha][1].append(Checked(batch_id, finding, success))
                if not success:
                    split[sha][0].append(finding)
    outcomes = {sha: Outcome("raw_lmia", *split[sha]) for sha in shas if sha not in alone}
    for sha in alone:
        outcomes[sha] = validate_file(settings, sha)
    if len(alone) < len(shas):
        write_data_docs(settings.home, "raw_lmia", validated)
    return outcomes


class FilesOf:
    """Which file each row of a frame belongs to, as integer codes: counting rows per file
    is then one bincount, not one string comparison over the whole frame per file."""

    def __init__(self, by_file):
        import numpy as np
        import pandas as pd

        self.codes, uniques = pd.factorize(by_file)
        self.code_of = {sha: code for code, sha in enumerate(uniques)}
        self._rows = np.bincount(self.codes, minlength=len(uniques))

    def rows(self, sha: str) -> int:
        code = self.code_of.get(sha)
        return 0 if code is None else int(self._rows[code])

    def count(self, mask) -> dict[str, int]:
        """Rows per file where mask (a boolean Series over the frame) holds."""
        import numpy as np

        counts = np.bincount(self.codes, weights=mask.to_numpy(dtype=bool),
                             minlength=len(self.code_of))
        return {sha: int(counts[code]) for sha, code in self.code_of.items()}

    def split(self, indexes: list[int]) -> dict[str, list[int]]:
        by_code: dict[int, list[int]] = {}
        for index, code in zip(indexes, self.codes[indexes].tolist()):
            by_code.setdefault(code, []).append(index)
        shas = list(self.code_of)
        return {shas[code]: found for code, found in by_code.items()}


_COMPARISONS = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}


def _condition_mask(frame, condition):
    """Rows an expectation's row_condition keeps (all rows without one), as GE would: only
    simple comparisons (`Column("layout") != "employer_format"`); None for anything else."""
    import pandas as pd

    if not condition:
        return pd.Series(True, index=frame.index)
    if not isinstance(condition, dict) or condition.get("type") != "comparison" \
            or condition.get("operator") not in _COMPARISONS:
        return None
    column = (condition.get("column") or {}).get("name")
    if column not in frame.columns:
        return None
    compare = getattr(frame[column], _COMPARISONS[condition["operator"]])
    return compare(condition.get("parameter")).fillna(False).astype(bool)


def judge_by_file(batch: Batch, check, files: FilesOf, shas: list[str]):
    """{sha: (Finding, success or None when only a file-alone run can say)} for one
    expectation run over all files' rows; None when its result cannot be split."""
    if (check.exception_info or {}).get("raised_exception"):
        return None
    config = check.expectation_config
    kwargs = config.kwargs
    indexes = (check.result or {}).get("unexpected_index_list")
    if indexes is None or any(not isinstance(i, int) for i in indexes):
        return None if not check.success else {
            sha: (_finding(batch.suite.name, batch, check, [], (0, files.rows(sha))), True)
            for sha in shas if files.rows(sha)}
    failing_by_file = files.split(indexes)
    column = kwargs.get("column")
    mostly = kwargs.get("mostly")
    considered = None  # rows per file the expectation looks at, counted when needed
    judged = {}
    for sha in shas:
        rows = files.rows(sha)
        if not rows:
            continue
        failing = failing_by_file.get(sha, [])
        if not failing:
            success = True
        elif mostly is None:
            success = False
        else:
            if considered is None:
                applies = _condition_mask(batch.frame, kwargs.get("row_condition"))
                if applies is not None and "not_be_null" not in config.type \
                        and column is not None:
                    applies = applies & batch.frame[column].notna()
                considered = {} if applies is None else files.count(applies)
            if sha not in considered:
                success = None  # a condition this code cannot evaluate: GE counts, file alone
            else:
                mine = considered[sha]
                success = mine > 0 and (mine - len(failing)) / mine >= mostly
        finding = _finding(batch.suite.name, batch, check, failing[:SAMPLE_ROWS],
                           (len(failing), rows))
        judged[sha] = (finding, success)
    return judged


def _archived(settings: Settings, con, sha256: str) -> archive.ArchivedFile:
    source_url, name = con.execute("select source_url, original_name from raw.lmia_files "
                                   "where file_sha256 = ?", [sha256]).fetchall()[0]
    path = next(settings.raw_lmia_dir.glob(f"{sha256}.*"))
    return archive.ArchivedFile(sha256=sha256, path=path, bytes=path.stat().st_size,
                                source_url=source_url, original_name=name)
