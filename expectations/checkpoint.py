"""Run suites over pandas frames in an ephemeral context; keep what failed, with sample rows.

Frames, not a SQL datasource: GE's SQL route on DuckDB returns empty metrics (see
docs/architecture.md). Each run can also file its results in a file context under
$TMT_HOME/gx and rebuild the Data Docs there; that context never holds the verdict.
Great Expectations is imported inside the functions: this module is cheap to import.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SAMPLE_ROWS = 5


def said(french: str, english: str) -> dict:
    """An expectation's description in both languages: GE keeps one `description` (English,
    in the Data Docs), the French rides in its `meta` for the French half of a message."""
    return {"description": english, "meta": {"description_fr": french}}


@dataclass(frozen=True)
class Batch:
    """One frame and the suite it must satisfy."""

    suite: Any  # great_expectations.ExpectationSuite
    frame: Any  # pandas.DataFrame
    batch_id: str  # names the frame in the Data Docs: a file, "marts"
    sample_columns: tuple[str, ...] = ()  # shown for failing rows; all columns when empty
    # (period_kind, period_start) columns: a failing row names its period, and the
    # publication withholds that period only (flows/quality/marts.py).
    period_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One failed expectation."""

    suite: str
    expectation: str
    column: str | None
    severity: str  # critical | warning | info
    description: str
    unexpected: int | None = None  # failing rows, for row-level expectations
    rows: int | None = None
    observed: str | None = None  # the measured value, for aggregate expectations
    samples: list[dict] = field(default_factory=list)
    # The periods of every failing row, (period_kind, period_start), when the batch has
    # period columns and the expectation is about rows; empty otherwise.
    periods: tuple[tuple[str, str], ...] = ()
    description_fr: str = ""

    @property
    def is_critical(self) -> bool:
        return self.severity == "critical"

    def line(self) -> str:
        """One line for an error message or a log."""
        target = f"{self.expectation}({self.column})" if self.column else self.expectation
        if self.unexpected is not None:
            what = f"{self.unexpected} of {self.rows} rows"
        else:
            what = f"observed {self.observed}"
        example = f", e.g. {_compact(self.samples[0])}" if self.samples else ""
        return f"{self.suite}: {target} failed on {what}{example}"

    def as_dict(self) -> dict:
        return {**asdict(self), "line": self.line()}


@dataclass(frozen=True)
class Checked:
    """One expectation as evaluated, passed or not: what the operations dashboard shows."""

    batch_id: str
    result: Finding  # a Finding's fields describe a passed expectation as well
    success: bool

    @property
    def outcome(self) -> str:
        if self.success:
            return "passed"
        return "failed" if self.result.is_critical else "warning"


@dataclass(frozen=True)
class Outcome:
    checkpoint: str
    findings: list[Finding]
    checked: list[Checked] = field(default_factory=list)

    @property
    def expectations(self) -> int:
        """How many ran: passed = expectations - len(findings)."""
        return len(self.checked)

    @property
    def critical(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.is_critical]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.is_critical]

    def summary(self) -> str:
        """One line naming the first critical finding and how many more there are."""
        critical = self.critical
        more = f" (and {len(critical) - 1} more)" if len(critical) > 1 else ""
        return f"{critical[0].line()}{more}" if critical else "passed"


def run_checkpoint(name: str, batches: list[Batch], docs_root: Path | None = None) -> Outcome:
    """Validate every batch; with docs_root, also update the Data Docs under docs_root/gx."""
    findings, checked = [], []
    results = validate_frames(batches)
    for batch, result in results:
        for check in result.results:
            evaluated = _finding(batch.suite.name, batch, check)
            checked.append(Checked(batch.batch_id, evaluated, bool(check.success)))
            if not check.success:
                findings.append(evaluated)
    if docs_root is not None:
        write_data_docs(docs_root, name, results)
    return Outcome(name, findings, checked)


def validate_frames(batches: list[Batch], result_format: str = "SUMMARY") -> list[tuple]:
    """(batch, GE validation result) per batch, in one ephemeral context; a suite's
    validation definition is made once and reused for every batch of that suite."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    # Progress bars go to stderr, which the CLI keeps for the one line a person must read.
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    definitions: dict[str, Any] = {}
    results = []
    for batch in batches:
        name = batch.suite.name
        if name not in definitions:
            suite = context.suites.add(batch.suite)
            asset = context.data_sources.add_pandas(name).add_dataframe_asset(name)
            definitions[name] = context.validation_definitions.add(gx.ValidationDefinition(
                name=name, data=asset.add_batch_definition_whole_dataframe("frame"),
                suite=suite))
        result = definitions[name].run(
            batch_parameters={"dataframe": batch.frame},
            # COMPLETE lists every failing row, which the periods of a finding need.
            result_format={"result_format": "COMPLETE" if batch.period_columns
                           else result_format,
                           "partial_unexpected_count": SAMPLE_ROWS})
        results.append((batch, result))
    return results


# A text column with at most this many distinct values is read as a category by DuckDB.
MAX_ENUM_VALUES = 2000


def read_as_categories(relation):
    """A DuckDB relation's rows as a frame whose text columns are categories (as_categories),
    the few-valued ones encoded by DuckDB itself: cast to an ENUM of their values, they
    reach pandas as categories without one Python string per row. On the history's 757,000
    positions, 0.43 s instead of 1.17 s to read then categorize. Text with many values (an
    address) is read as text, then categorized by pandas."""
    text = [name for name, kind in zip(relation.columns, relation.types)
            if str(kind) == "VARCHAR"]
    few = []
    if text:
        counts = relation.aggregate(", ".join(
            f"approx_count_distinct({_quoted(name)})" for name in text)).fetchall()[0]
        few = [name for name, count in zip(text, counts) if count <= MAX_ENUM_VALUES]
    if few:
        values = dict(zip(few, relation.aggregate(", ".join(
            f"list(distinct {_quoted(name)}) filter (where {_quoted(name)} is not null)"
            for name in few)).fetchall()[0]))
        relation = relation.project(", ".join(
            f"cast({_quoted(name)} as enum({', '.join(map(_literal, sorted(values[name])))}))"
            f" as {_quoted(name)}" if values.get(name) else _quoted(name)
            for name in relation.columns))
    return as_categories(relation.df())


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def as_categories(frame):
    """The frame with its text columns as categories. A table of rows repeats few values
    (files, periods, codes, provinces), and every row filter Great Expectations applies
    copies each column: on the 62-file history the raw row checks took 8.7 s with text
    columns, 5.6 s with categories (bench/ingest_lmia.py)."""
    import pandas as pd

    text = [name for name in frame.columns if pd.api.types.is_object_dtype(frame[name])
            or pd.api.types.is_string_dtype(frame[name])]
    return frame.astype({name: "category" for name in text}) if text else frame


def _finding(suite_name: str, batch: Batch, check, indexes: list | None = None,
             counts: tuple[int, int] | None = None) -> Finding:
    config = check.expectation_config
    kwargs = config.kwargs
    column = kwargs.get("column") or ", ".join(
        kwargs.get("column_list") or [c for c in (kwargs.get("column_A"), kwargs.get("column_B")) if c])
    description = config.description or ""
    description_fr = (config.meta or {}).get("description_fr") or ""
    raised = (check.exception_info or {}).get("raised_exception")
    if raised:  # a check that could not run (a missing column) is a failure, never a pass
        message = " ".join(str(check.exception_info.get("exception_message")).split())[:300]
        return Finding(suite_name, config.type, column or None, "critical", description,
                       observed=f"error: {message}", description_fr=description_fr)
    result = check.result or {}
    if indexes is None:
        indexes = [i for i in result.get("partial_unexpected_index_list") or []
                   if isinstance(i, int)]
    samples = _samples(batch, indexes[:SAMPLE_ROWS]) if indexes else []
    observed = result.get("observed_value")
    return Finding(
        suite=suite_name, expectation=config.type, column=column or None,
        severity=str(getattr(config.severity, "value", config.severity)),
        description=description,
        unexpected=counts[0] if counts else result.get("unexpected_count"),
        rows=counts[1] if counts else result.get("element_count"),
        observed=None if observed is None else str(_plain(observed)), samples=samples,
        periods=_periods(batch, result.get("unexpected_index_list")),
        description_fr=description_fr)


def _samples(batch: Batch, indexes: list[int]) -> list[dict]:
    columns = list(batch.sample_columns) or list(batch.frame.columns)
    return [{key: _plain(value) for key, value in row.items()}
            for row in batch.frame.loc[indexes, columns].to_dict("records")]


def _periods(batch: Batch, indexes) -> tuple[tuple[str, str], ...]:
    if not batch.period_columns or not indexes:
        return ()
    rows = batch.frame.loc[[i for i in indexes if isinstance(i, int)], list(batch.period_columns)]
    return tuple(sorted({tuple(str(value) for value in row)
                         for row in rows.itertuples(index=False)}))


def _plain(value):
    """numpy scalars, NaN and timestamps as JSON-able Python values."""
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict, str)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _compact(sample: dict) -> str:
    text = ", ".join(f"{key}={value!r}" for key, value in sample.items() if value is not None)
    return text if len(text) <= 160 else text[:157] + "..."


def write_data_docs(docs_root: Path, run_name: str, results: list) -> Path:
    """File the results (and current suites) in a file context, update its Data Docs.

    Only these results' pages are rendered, and each suite keeps its newest
    DOCS_RESULTS_KEPT results: rebuilding every page of every run grows without end.
    """
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    context = gx.get_context(mode="file", project_root_dir=str(docs_root))
    run_id = RunIdentifier(run_name=run_name, run_time=datetime.now(UTC))
    rendered = []
    for batch, result in results:
        name = batch.suite.name
        # Copies: an expectation belongs to one suite, and these already belong to the
        # ephemeral context's.
        context.suites.add_or_update(gx.ExpectationSuite(
            name=name, expectations=[e.copy(update={"id": None}) for e in batch.suite.expectations]))
        suite_id = ExpectationSuiteIdentifier(name=name)
        result_id = ValidationResultIdentifier(
            expectation_suite_identifier=suite_id, run_id=run_id, batch_identifier=batch.batch_id)
        context.validation_results_store.store_validation_results(
            suite_validation_result=result, suite_validation_result_identifier=result_id,
            expectation_suite_identifier=suite_id)
        rendered += [suite_id, result_id]
    site = docs_root / "gx" / "uncommitted" / "data_docs" / "local_site"
    _prune_results(context, site, {batch.suite.name for batch, _ in results})
    context.build_data_docs(resource_identifiers=rendered)
    return site / "index.html"


DOCS_RESULTS_KEPT = 50


def _prune_results(context, site: Path, suites: set[str]) -> None:
    store = context.validation_results_store
    keys = [key for key in store.list_keys()
            if key.expectation_suite_identifier.name in suites]
    by_suite: dict[str, list] = {}
    for key in keys:
        by_suite.setdefault(key.expectation_suite_identifier.name, []).append(key)
    for suite_keys in by_suite.values():
        suite_keys.sort(key=lambda key: key.run_id.run_time, reverse=True)
        for key in suite_keys[DOCS_RESULTS_KEPT:]:
            store.remove_key(key)
            (site / "validations" / Path(*key.to_tuple()[:-1])
             / f"{key.to_tuple()[-1]}.html").unlink(missing_ok=True)
