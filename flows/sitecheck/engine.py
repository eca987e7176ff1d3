"""Check many URLs at once: fetching threads take URLs from the per-host slots and fetch
them; two reading threads turn each answer into a result (page text → fingerprint →
status) and hand it back to the calling thread, which stores results in batches. A
fetching thread gives its host's slot back as soon as the body is in, so the next request
to that host does not wait for the page to be read. Nothing of a page is kept beyond its
result, so memory does not grow with the number of sites. A large run on several cores
spreads its hosts over worker processes (processes.py), each running these threads on its
own hosts.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookiejar import DefaultCookiePolicy

from . import classify, connect, content
from .analysis import Analysis, analyze
from .deadline import Reaper
from .fetch import Fetched, Fetcher, Policy, Slot
from .hosts import HostSlots, host_of
from .robots import Robots, RobotsCache

log = logging.getLogger(__name__)
REAL_PAGES = ("ok", "changed", "moved", "redirected")  # a page worth remembering
READERS = 2  # reading is CPU under one interpreter lock: more threads would not help
_FETCHED, _READ = object(), object()  # a fetching thread, a reading thread has ended


@dataclass
class Known:
    """What the last good check of a URL left: fingerprint and validators."""

    fingerprint: str | None
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Result:
    url: str
    status: str
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))
    http_status: int | None = None
    final_url: str | None = None
    chain: list[str] = field(default_factory=list)
    fingerprint: str | None = None
    content_changed: bool = False
    lines: list[str] | None = None  # normalized text, when the page is new or changed
    bytes: int = 0
    elapsed_ms: int = 0
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Handoff:
    """A check stopped before a redirect hop to a host another worker process owns."""

    url: str
    fetched: Fetched
    known: Known | None

    @property
    def host(self) -> str:
        return host_of(self.fetched.final_url)


class ChecksCrashed(RuntimeError):
    """Some checks crashed (a bug); the others were all done and handed over."""


@dataclass
class Limits:
    concurrency: int = 16  # requests at once, all worker processes together
    per_host: int = 2
    interval_s: float = 1.0
    processes: int | None = None  # worker processes; None: processes.processes_for(URLs)


def fetch_one(fetcher: Fetcher, url: str, slot: Slot, known: Known | None,
              resume: Fetched | None = None) -> Fetched | Handoff:
    validators = vars(known) if known and known.fingerprint else None
    fetched = fetcher.check(url, slot, validators, resume)
    return Handoff(url, fetched, known) if fetched.elsewhere else fetched


def conclude(fetched: Fetched, known: Known | None,
             analyzer: Callable[[bytes, str | None], Analysis] = analyze) -> Result:
    """What the fetched answer says: the page read, its fingerprint, the status."""
    read, lines, fingerprint = None, None, None
    if fetched.not_modified and known:
        fingerprint = known.fingerprint
    elif fetched.body is not None and fetched.error_kind is None \
            and 200 <= (fetched.http_status or 0) < 300:
        found = analyzer(fetched.body, fetched.headers.get("content-type"))
        read, lines, fingerprint = found.page, found.lines, found.fingerprint
    before = known.fingerprint if known else None
    changed = content.comparable(before, fingerprint) and fingerprint != before
    status = classify.status(fetched, read, changed)
    return _result(fetched, status, fingerprint, changed, lines, known)


def _result(fetched: Fetched, status, fingerprint, changed, lines, known) -> Result:
    real = status in REAL_PAGES
    result = Result(
        url=fetched.url, status=status, http_status=fetched.http_status,
        final_url=fetched.final_url, chain=fetched.chain,
        fingerprint=fingerprint if real else None, content_changed=changed and real,
        bytes=fetched.bytes, elapsed_ms=round(fetched.elapsed_s * 1000), error=fetched.error)
    if real:
        new = not known or known.fingerprint != fingerprint
        result.lines = lines if new else None
        result.etag = fetched.headers.get("etag") or (known.etag if known else None)
        result.last_modified = fetched.headers.get("last-modified") or \
            (known.last_modified if known else None)
    return result


def run(urls: list[str], policy: Policy, limits: Limits, guard: connect.Guard,
        known: dict[str, Known], robots_known: dict[str, Robots], on_result) -> list[Robots]:
    """Check every URL; `on_result` is called on this thread for each result.
    Returns the robots.txt files fetched (for the store). A URL whose check crashed is
    raised about after all the others are done."""
    from . import processes  # it runs this module's threads in each worker process

    count = processes.processes_for(len(urls)) if limits.processes is None \
        else limits.processes
    if count > 1:
        fetched = processes.run(urls, policy, limits, guard, known, robots_known, on_result,
                                count)
        if fetched is not None:
            return fetched
    slots = HostSlots(limits.per_host, limits.interval_s)
    slots.add(urls)
    return run_threads(slots, policy, min(limits.concurrency, len(urls)), guard, known,
                       robots_known, on_result)


def run_threads(slots: HostSlots, policy: Policy, concurrency: int, guard: connect.Guard,
                known: dict[str, Known], robots_known: dict[str, Robots], on_result,
                owns=None, stop: threading.Event | None = None, on_crash=None
                ) -> list[Robots]:
    """The checks of one process: `concurrency` threads take items from `slots` (URLs, or
    Handoffs continued here). In a worker process: `owns` tells its hosts, `on_crash` is
    told of each check that crashed as it happens."""
    reaper = Reaper()
    session = connect.session(guard, policy.user_agent, pools=max(64, concurrency * 2))
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # no cookies kept
    robots = RobotsCache(robots_known)
    fetcher = Fetcher(session, policy, slots, reaper, robots, owns=owns)
    results: queue.Queue = queue.Queue(maxsize=concurrency * 4)
    # Fetched answers wait here for a reader: a fetching thread gives its host's slot back
    # and takes the next URL as soon as the body is in, instead of holding the slot while
    # the page is read (CPU the other hosts' answers wait for, not the network).
    answered: queue.Queue = queue.Queue(maxsize=concurrency)
    crashed: list[tuple[str, BaseException]] = []
    stop = stop or threading.Event()

    def fetch() -> None:
        while not stop.is_set() and (item := slots.take()) is not None:
            url, resume, known_page = (item, None, known.get(item)) if isinstance(item, str) \
                else (item.url, item.fetched, item.known)
            slot = Slot(slots, host_of(url if resume is None else resume.final_url))
            try:
                fetched = fetch_one(fetcher, url, slot, known_page, resume=resume)
            except Exception as exc:  # a bug must not stop the other checks; raised below
                log.exception("%s: check crashed", url)
                results.put(_Crash(url, exc))
                continue
            finally:
                slot.release()
            if isinstance(fetched, Handoff):
                results.put(fetched)
            else:
                answered.put((url, fetched, known_page))
        results.put(_FETCHED)

    def read() -> None:
        while (item := answered.get()) is not None:
            url, fetched, known_page = item
            try:
                results.put(conclude(fetched, known_page))
            except Exception as exc:
                log.exception("%s: check crashed", url)
                results.put(_Crash(url, exc))
        results.put(_READ)

    fetchers = [threading.Thread(target=fetch, name=f"sitecheck-{n}", daemon=True)
                for n in range(max(1, concurrency))]
    readers = [threading.Thread(target=read, name=f"sitecheck-read-{n}", daemon=True)
               for n in range(READERS)]
    for thread in fetchers + readers:
        thread.start()
    waiting = {_FETCHED: len(fetchers), _READ: len(readers)}

    def count(item) -> bool:
        """Whether `item` was an end-of-work marker (the readers end after the fetchers)."""
        if item is not _FETCHED and item is not _READ:
            return False
        waiting[item] -= 1
        if item is _FETCHED and waiting[_FETCHED] == 0:
            for _ in readers:
                answered.put(None)
        return True

    try:
        while waiting[_READ]:
            item = results.get()
            if count(item):
                continue
            if isinstance(item, _Crash):
                crashed.append((item.url, item.exc))
                if on_crash is not None:
                    on_crash(item.url, item.exc)
            else:
                on_result(item)
    except BaseException:  # the store failed, or Ctrl-C: let the threads finish and stop
        stop.set()
        slots.close()
        while waiting[_READ]:
            count(results.get())
        raise
    finally:
        for thread in fetchers + readers:
            thread.join()
        reaper.stop()
        session.close()
    if crashed and on_crash is None:
        url, exc = crashed[0]
        raise ChecksCrashed(f"{len(crashed)} check(s) crashed, first {url}: {exc}") from exc
    return robots.fetched


@dataclass
class _Crash:
    url: str
    exc: BaseException
