"""The site check step by step, as plain functions: the Prefect flow calls them in order,
tests and the benchmark call them directly.

Live checks are off unless TMT_SITECHECK_LIVE is true (or `tmt check-sites --live`): with
no configuration the pipeline never contacts a site nor looks up a name. Without the
network, what can be decided still is: a URL that is not http(s), a name reserved for
examples (the bundled directory's `*.example.org`, RFC 2606) is `unreachable`, a private
name or address is `unsafe_target`. Every other URL is left for a live check.
"""
from __future__ import annotations

import ipaddress
import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flows.directory.schema import ensure_schema as ensure_directory_schema
from flows.errors import TmtError
from flows.notify import outbox
from flows.settings import Settings

from . import connect, engine, notices, processes, store, targets
from .addresses import UnsafeTarget, check_url, parse_networks, refusal, special_name
from .fetch import Policy
from .robots import MAX_AGE

log = logging.getLogger(__name__)


@dataclass
class Plan:
    urls: list[str]
    directory: int
    guide: int


@dataclass
class Summary:
    run_id: str
    live: bool
    targets: int
    checked: int = 0
    skipped: int = 0
    statuses: Counter = field(default_factory=Counter)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # url, status, error

    def lines(self) -> list[str]:
        counts = ", ".join(f"{status} {n}" for status, n in self.statuses.most_common())
        out = [f"checked {self.checked} of {self.targets} URL(s) ({counts or 'none'})"]
        if self.skipped:
            out.append(f"skipped {self.skipped}: live checks are off "
                       f"(TMT_SITECHECK_LIVE=true or `tmt check-sites --live`)")
        out += [f"{status:<14}{url}" + (f": {error}" if error else "")
                for url, status, error in self.problems[:50]]
        return out


def allowed_networks(settings: Settings):
    try:
        return parse_networks(settings.sitecheck.allow_networks)
    except ValueError as exc:
        raise TmtError(str(exc)) from exc


def plan(settings: Settings) -> Plan:
    """Read the targets; the guide's sources are written to sitecheck.guide_source."""
    guide = targets.read_guide(settings.sitecheck.guide_sources)
    ensure_directory_schema(settings.work_db)
    with store.connect(settings.work_db) as con:
        directory = targets.directory_urls(con)
        replace_guide_sources(con, guide)
    urls = targets.unique(directory + [source.url for source in guide])
    return Plan(urls, len(set(directory)), len({source.url for source in guide}))


def replace_guide_sources(con, guide: list[targets.GuideSource]) -> None:
    con.execute("begin transaction")
    con.execute("delete from sitecheck.guide_source")
    if guide:
        con.executemany("insert into sitecheck.guide_source values (?, ?, ?, ?, ?, ?, ?, ?)",
                        [source.row() for source in guide])
    con.execute("commit")


def load_guide_sources(settings: Settings) -> int:
    """The build's share: the guide's YAML as a table, even when nothing was checked."""
    guide = targets.read_guide(settings.sitecheck.guide_sources)
    with store.connect(settings.work_db) as con:
        replace_guide_sources(con, guide)
    return len(guide)


def decided_offline(url: str, allowed) -> tuple[str, str] | None:
    """(status, error) for a URL whose fate needs no network, else None."""
    try:
        host = (urlsplit(check_url(url)).hostname or "").strip("[]")
    except UnsafeTarget as exc:
        return "unsafe_target", str(exc)
    kind = special_name(host)
    if kind == "example":
        return "unreachable", f"{host} is a reserved example name (RFC 2606), never looked up"
    if kind == "private":
        return "unsafe_target", f"{host} is a private-use name"
    try:
        reason = refusal(ipaddress.ip_address(host), allowed)
    except ValueError:
        return None
    return ("unsafe_target", reason) if reason else None


def policy(settings: Settings) -> Policy:
    config = settings.sitecheck
    return Policy(user_agent=settings.user_agent, connect_timeout_s=config.connect_timeout_s,
                  read_timeout_s=config.read_timeout_s, deadline_s=config.deadline_s,
                  max_bytes=config.max_bytes, retries=config.retries,
                  backoff_s=config.backoff_s, max_retry_after_s=config.max_retry_after_s)


def check(settings: Settings, urls: list[str], live: bool | None = None,
          resolver: connect.Resolver | None = None, limits: engine.Limits | None = None,
          progress=None) -> Summary:
    """Check the URLs and append the results to sitecheck.check (one run). `progress(done,
    total)` is called about every tenth of the way (the run log's "sites 200/1000" lines)."""
    config = settings.sitecheck
    live = config.live if live is None else live
    limits = limits or engine.Limits(config.concurrency, config.per_host, config.host_interval_s)
    if live:  # the worker processes' fork server imports the check while this goes on
        processes.warm_up(len(urls), limits)
    allowed = allowed_networks(settings)
    summary = Summary(str(uuid.uuid4()), live, len(urls))
    started = datetime.now(UTC).replace(tzinfo=None)
    writer = store.Writer(settings.work_db, summary.run_id)
    step = max(1, len(urls) // 10)

    def advance() -> None:
        done = summary.checked + summary.skipped
        if progress and (done % step == 0 or done == len(urls)):
            progress(done, len(urls))

    def record(result: engine.Result) -> None:
        summary.checked += 1
        advance()
        summary.statuses[result.status] += 1
        if result.status not in ("ok", "changed"):
            summary.problems.append((result.url, result.status, result.error or ""))
        writer.add(result)

    network = []
    for url in urls:
        decided = decided_offline(url, allowed)
        if decided:
            record(engine.Result(url, decided[0], error=decided[1]))
        elif live:
            network.append(url)
        else:
            summary.skipped += 1
            advance()
    robots = []
    if network:
        with store.connect(settings.work_db) as con:
            known = store.known_pages(con)
            robots_known = store.known_robots(con, started - MAX_AGE)
        guard = connect.Guard(allowed, resolver or connect.system_resolver)
        try:
            robots = engine.run(network, policy(settings), limits, guard, known, robots_known,
                                record)
        except engine.ChecksCrashed:
            writer.flush()  # the other checks are kept: the history loses nothing
            raise
    writer.flush(robots, [summary.run_id, started, datetime.now(UTC).replace(tzinfo=None),
                          live, summary.targets, summary.checked, summary.skipped])
    summary.problems.sort(key=lambda problem: (problem[1], problem[0]))
    return summary


def report(settings: Settings, summary: Summary) -> int:
    """Queue what this run tells the maintainers; returns the number of messages queued."""
    now = datetime.now(UTC).replace(tzinfo=None)
    ensure_directory_schema(settings.work_db)
    with store.connect(settings.work_db) as con:
        messages, reported = notices.decide(con, summary.run_id, now,
                                            settings.sitecheck.report_again_days, summary.live)
    queued = outbox.enqueue(settings.outbox_db, messages)
    with store.connect(settings.work_db) as con:  # after the outbox: a crash re-reports
        notices.record(con, reported)
    return len(queued)
