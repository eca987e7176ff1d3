"""Large runs on several cores: the hosts are split between worker processes, each running
engine.run_threads on its own hosts with its share of the concurrency.

Why: requests and page reading cost about 2 ms of CPU per page, and the threads of one
process share one interpreter lock, so one process is bound by one core well before the
per-host limits bind. A host belongs to exactly one process, so the per-host limit, the
interval, Crawl-delay and Retry-After hold as they do in one process. A redirect to a host
another process owns is handed to that process through this one (which alone decides who
owns a host first seen in a redirect) and continued there, with what is left of its
deadline. Results come back to the calling thread here, as with one process.

Not forked from this process: it runs threads (DuckDB's, Prefect's), and a fork copies
their locks. Workers come from a fork server (a clean process started once, with this
module already imported, so each worker starts in milliseconds instead of importing
requests again), or are spawned where there is none. A script that starts a large run
needs the usual `if __name__ == "__main__"` guard; when the workers cannot start (no
guard, a daemon process, a resolver that cannot be pickled), the run goes on in this
process.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import queue
import threading
from collections import Counter
from multiprocessing import forkserver

from . import engine
from .hosts import HostSlots, host_of

log = logging.getLogger(__name__)
FROM_URLS = 200  # below this, starting processes costs more than it saves


def processes_for(urls: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else os.cpu_count() or 1
    return cores if urls >= FROM_URLS and cores > 1 else 0


def warm_up(urls: int, limits) -> None:
    """Start the fork server now, for a run that will use it: it imports the check while
    the caller reads what the run needs from the database."""
    count = processes_for(urls) if limits.processes is None else limits.processes
    if count > 1 and _context().get_start_method() == "forkserver":
        forkserver.ensure_running()


def assign(hosts: list[str], count: int) -> tuple[dict[str, int], list[int]]:
    """host → process, and URLs per process (`hosts`: the host of each URL): the hosts with
    most URLs first, each to the process with fewest URLs so far (about the same work)."""
    load, owners = [0] * count, {}
    for host, n in sorted(Counter(hosts).items(), key=lambda item: (-item[1], item[0])):
        owners[host] = load.index(min(load))
        load[owners[host]] += n
    return owners, load


def run(urls, policy, limits, guard, known, robots_known, on_result, count):
    """Check `urls` in `count` processes; the robots.txt files fetched, or None when the
    workers could not start (nothing was checked: the caller checks them itself)."""
    hosts = [host_of(url) for url in urls]
    count = min(count, limits.concurrency, len(set(hosts)))
    if count < 2:
        return None
    owners, load = assign(hosts, count)
    shares: list[list[str]] = [[] for _ in range(count)]
    for url, host in zip(urls, hosts, strict=True):
        shares[owners[host]].append(url)
    context = _context()
    answers, inboxes = context.Queue(), [context.Queue() for _ in range(count)]
    workers = []
    for index, share in enumerate(shares):
        owned = {host for host, owner in owners.items() if owner == index}
        threads = max(1, limits.concurrency * len(share) // len(urls))  # the global limit, split
        workers.append(context.Process(
            target=_work, name=f"sitecheck-process-{index}", daemon=True,
            args=(share, owned, policy, limits.per_host, limits.interval_s, threads, guard,
                  {url: known[url] for url in share if url in known},
                  {origin: robots for origin, robots in robots_known.items()
                   if host_of(origin) in owned}, inboxes[index], answers)))
    try:
        for worker in workers:
            worker.start()
    except (AssertionError, AttributeError, TypeError, pickle.PicklingError, OSError) as exc:
        # a daemon process has no children; a test's resolver may not pickle
        log.warning("site check worker processes did not start (%s); checking in-process", exc)
        _end(workers, wait_s=0)
        return None
    return _collect(workers, owners, load, inboxes, answers, len(urls), on_result)


def _context():
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])  # read when the server starts, once
    return context


def _collect(workers, owners, load, inboxes, answers, left, on_result):
    """Hand results to `on_result`, route handoffs, and end the workers when all is done."""
    crashed, robots, done, heard = [], [], 0, False
    try:
        while done < len(workers):
            try:
                kind, *message = answers.get(timeout=1.0)
            except queue.Empty:
                stopped = [worker for worker in workers if worker.exitcode not in (None, 0)]
                if stopped and not heard:  # at start-up, e.g. a script without the guard
                    log.warning("site check worker processes stopped at start-up; "
                                "checking in-process")
                    _end(workers, wait_s=0)
                    return None
                if stopped:
                    raise RuntimeError(f"a site check worker process stopped (exit code "
                                       f"{stopped[0].exitcode}); {left} URL(s) not checked")
                continue
            heard = True
            if kind == "result":
                left -= 1
                on_result(message[0])
            elif kind == "handoff":
                handoff = message[0]
                if handoff.host not in owners:  # first seen in a redirect: the least busy
                    owners[handoff.host] = load.index(min(load))
                load[owners[handoff.host]] += 1
                inboxes[owners[handoff.host]].put(handoff)
            elif kind == "crashed":
                left -= 1
                crashed.append(message)
            elif kind == "done":
                done += 1
                robots += message[0]
            if left == 0 and kind in ("result", "crashed"):
                for inbox in inboxes:
                    inbox.put(None)  # no more work: each worker ends when its threads do
    except BaseException:  # the store failed, or Ctrl-C: the workers finish what they hold
        for inbox in inboxes:
            inbox.put("stop")
        raise
    finally:
        _end(workers)
    if crashed:
        url, text = crashed[0]
        raise engine.ChecksCrashed(f"{len(crashed)} check(s) crashed, first {url}: {text}")
    return robots


def _end(workers, wait_s: float = 30.0) -> None:
    """Wait for the workers (they end once told so), then stop any that did not."""
    for worker in workers:
        if worker.pid is not None:
            worker.join(wait_s)
            if worker.is_alive():
                worker.terminate()
                worker.join()


def _work(share, hosts, policy, per_host, interval_s, threads, guard, known, robots_known,
          inbox, answers) -> None:
    """One worker process: its hosts' URLs, and the handoffs the parent routes here."""
    slots, owned, stop = HostSlots(per_host, interval_s), set(hosts), threading.Event()
    slots.keep_open()
    slots.add(share)

    def listen() -> None:
        while (item := inbox.get()) is not None:
            if item == "stop":  # the parent stopped reading: do not wait to flush to it
                answers.cancel_join_thread()
                stop.set()
                break
            owned.add(item.host)  # before the slots hand it out: it is ours from now on
            slots.add([item], key=lambda handoff: handoff.host)
        slots.close()

    def answer(outcome) -> None:
        answers.put(("handoff" if isinstance(outcome, engine.Handoff) else "result", outcome))

    def crash(url: str, exc: BaseException) -> None:
        answers.put(("crashed", url, f"{type(exc).__name__}: {exc}"))

    threading.Thread(target=listen, name="sitecheck-inbox", daemon=True).start()
    robots = engine.run_threads(slots, policy, threads, guard, known, robots_known, answer,
                                owns=owned.__contains__, stop=stop, on_crash=crash)
    answers.put(("done", robots))
