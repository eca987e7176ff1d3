"""Benchmark: the site check (issue 6) on 1,000 sites over 50 loopback hosts, every answer
delayed 150 ms, at most 2 requests at once per host; then LinkChecker on the same sites; a
second check with nothing changed (bytes transferred); peak memory for 1,000 and 5,000.

Traffic goes only to 127.0.0.0/8: a server process answers on 127.0.0.1 … 127.0.0.50 (one
port each) and counts, per host, requests, bytes written and the most requests at once.
Each measured run is its own process (peak RSS is that run's alone); a run of this size
checks in one worker process per core (flows/sitecheck/processes.py), whose largest peak
(VmHWM, sampled every 50 ms while they live) is reported beside the parent's. Every site
has a known truth (its kind), so the two checkers' classifications are scored against it.
The load average is reported with the times: on a shared machine they move with it.

Minimum time: a host's 20 pages, two at a time, 150 ms each, need 10 × 150 ms = 1.5 s. Our
check also asks each host for robots.txt first (150 ms, before any page) and follows the
redirects and the one retry of the 500 (the same limits apply to them): the minimum for the
requests actually made is reported beside it.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOSTS, DELAY_S, PER_HOST = 50, 0.150, 2
CONTROL = "127.0.0.99"
# Each host's 20 sites; the truth is the status a careful person would give them.
KINDS = ["ok"] * 12 + ["missing", "gone", "soft_404", "parked", "forbidden", "old", "temp",
                       "error"]
TRUTH = {"ok": "ok", "missing": "not_found", "gone": "not_found", "soft_404": "soft_404",
         "parked": "parked", "forbidden": "blocked", "old": "moved", "temp": "redirected",
         "error": "server_error"}
WORDS = [
    "accueil", "accompagnement", "travailleuses", "travailleurs", "étrangers", "temporaires",
    "région", "francisation", "emploi", "droits", "logement", "santé", "interprétation",
    "bénévoles", "organisme", "communauté", "soutien", "démarches", "permis", "famille",
    "activités", "rencontre", "information", "services", "gratuits", "confidentiels", "équipe",
    "intervenante", "ateliers", "saison", "agricole",
]


def _prose(seed: int, sentences: int) -> str:
    """Sentences of plain words, different for every page (no digits: prose)."""
    out = []
    for k in range(sentences):
        words = [WORDS[(seed * 7 + k * 13 + i * i) % len(WORDS)] for i in range(14)]
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def _page(title: str, n: int) -> tuple[bytes, str]:
    """An ~8 KB home page of an organization: navigation, prose, services, three news items,
    a contact block (address, phone, hours); its chrome (time, tokens, a visitor counter)
    changes on every request, and its ETag is that of the content, which does not."""
    news = "".join(f"<article><h3>Nouvelle {k}</h3><p>Publié le {k + 3} mars 2025. "
                   f"{_prose(n + k, 2)}</p></article>" for k in range(3))
    services = "".join(f"<li>{_prose(n + 10 + k, 1)}</li>" for k in range(8))
    stable = (f"<h1>{title} {n}</h1>" + "".join(f"<p>{_prose(n + k, 3)}</p>" for k in range(8))
              + f"<h2>Services</h2><ul>{services}</ul><h2>Nouvelles</h2>{news}"
              f"<h2>Nous joindre</h2><address>100, rue de l'Exemple, Saint-Rémi (Québec) "
              f"J0L 2L0<br>450 555-01{n % 100:02d}<br>Lundi au vendredi, 8 h 30 à 16 h 30"
              f"</address>")
    token = hashlib.sha256(f"{time.time_ns()}".encode()).hexdigest()
    nav = "".join(f"<li><a href='/s/ok/{k}'>Rubrique {k}</a></li>" for k in range(25))
    body = (f"<html><head><title>{title}</title><meta name=csrf-token content={token}>"
            f"<script>var session='{token}';</script></head><body><header><nav><ul>{nav}</ul>"
            f"</nav></header><main>{stable}<form><input type=hidden name=csrf value={token}>"
            f"</form><p>Page mise à jour le {time.strftime('%Y-%m-%d %H:%M:%S')}</p></main>"
            f"<footer>© {time.strftime('%Y')} — {int(time.time()) % 9973} visiteurs"
            f"</footer></body></html>").encode()
    return body, '"' + hashlib.sha256(stable.encode()).hexdigest()[:20] + '"'


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else headers then body wait on a delayed ACK (~40 ms)

    def log_message(self, *args):
        pass

    def do_GET(self):
        stats: _Stats = self.server.stats
        if self.server.server_address[0] == CONTROL:
            body = json.dumps(stats.read(reset=self.path == "/reset")).encode()
            return self._send(200, body, {}, "application/json")
        host = self.server.server_address[0]
        stats.enter(host)
        try:
            time.sleep(DELAY_S)
            self._route()
        finally:
            stats.leave(host)

    def _route(self):
        parts = self.path.strip("/").split("/")
        if self.path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", {}, "text/plain")
        kind, n = (parts + ["", "0"])[1], (parts + ["", "0"])[2]
        if kind == "ok":
            body, etag = _page("Accueil", int(n))
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", {"ETag": etag})
            return self._send(200, body, {"ETag": etag})
        small = {"missing": (404, b"<h1>Not Found</h1>"), "gone": (410, b"<h1>Gone</h1>"),
                 "soft_404": (200, b"<title>Page introuvable</title><h1>Erreur 404</h1>"),
                 "parked": (200, b"<title>jardins.ca</title><p>This domain is for sale.</p>"),
                 "forbidden": (403, b"<h1>Forbidden</h1>"), "error": (500, b"boom")}
        if kind in small:
            return self._send(*small[kind], {})
        if kind in ("old", "temp"):
            return self._send(301 if kind == "old" else 302, b"",
                              {"Location": f"/s/ok/{1000 + int(n)}"})
        return self._send(404, b"no route", {})

    def _send(self, code, body, headers, content_type="text/html; charset=utf-8"):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.stats.sent(self.server.server_address[0], len(body))

    def flush_headers(self):
        if hasattr(self, "_headers_buffer"):
            self.server.stats.sent(self.server.server_address[0],
                                   sum(len(line) for line in self._headers_buffer))
        super().flush_headers()


class _Stats:
    """Per host: requests, the most at once; bytes written (headers and bodies) in all."""

    def __init__(self):
        self.lock = threading.Lock()
        self.bytes, self.peak, self.requests, self.active = 0, {}, {}, {}

    def enter(self, host):
        with self.lock:
            self.active[host] = self.active.get(host, 0) + 1
            self.peak[host] = max(self.peak.get(host, 0), self.active[host])
            self.requests[host] = self.requests.get(host, 0) + 1

    def leave(self, host):
        with self.lock:
            self.active[host] -= 1

    def sent(self, host, size):
        with self.lock:
            if host != CONTROL:
                self.bytes += size

    def read(self, reset=False):
        with self.lock:
            figures = {"bytes": self.bytes, "peak": dict(self.peak),
                       "requests": dict(self.requests)}
            if reset:
                self.bytes, self.peak, self.requests = 0, {}, {}
            return figures


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A client that hangs up early is not the server's problem."""


def serve() -> None:
    """The server process: prints {address: port} on one line, serves until stdin closes."""
    stats, ports = _Stats(), {}
    for address in [f"127.0.0.{n}" for n in range(1, HOSTS + 1)] + [CONTROL]:
        server = _Server((address, 0), _Handler)
        server.daemon_threads, server.stats = True, stats
        server.request_queue_size = 256
        threading.Thread(target=server.serve_forever, daemon=True).start()
        ports[address] = server.server_port
    print(json.dumps(ports), flush=True)
    sys.stdin.read()


def _urls(ports: dict, count: int) -> list[tuple[str, str]]:
    """(url, truth): `count` sites spread evenly over the hosts, host after host."""
    per_host = count // HOSTS
    sites = []
    for position in range(per_host):
        for index in range(HOSTS):
            address = f"127.0.0.{index + 1}"
            kind = KINDS[position % len(KINDS)] if position < len(KINDS) else "ok"
            sites.append((f"http://{address}:{ports[address]}/s/{kind}/{position}",
                          TRUTH[kind]))
    return sites


def _control(ports, path):
    import urllib.request
    with urllib.request.urlopen(f"http://{CONTROL}:{ports[CONTROL]}{path}", timeout=10) as answer:
        return json.loads(answer.read())


_CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
from bench import sitecheck as bench
from flows.settings import get_settings
from flows.sitecheck import engine, steps
import threading
worker_peak = [0.0]  # MiB
TICK = os.sysconf("SC_CLK_TCK")
def children(pid):
    for task in os.listdir(f"/proc/{pid}/task"):
        yield from open(f"/proc/{pid}/task/{task}/children").read().split()
def descendants(pid):  # the fork server and the workers it forks
    for child in children(pid):
        yield child
        yield from descendants(child)
def children_cpu():  # CPU seconds of the live children and of all they reaped (the workers)
    total = 0
    for pid in children(os.getpid()):
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / TICK
def sample_workers():  # their high-water mark (VmHWM), read every 50 ms while they live
    while True:
        for pid in list(descendants(os.getpid())):
            try:
                status = open(f"/proc/{pid}/status").read()
            except OSError:
                continue
            worker_peak[0] = max(worker_peak[0],
                                 int(status.split("VmHWM:")[1].split()[0]) / 1024)
        time.sleep(0.05)
threading.Thread(target=sample_workers, daemon=True).start()
ports, count, runs = json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
urls = [url for url, _ in bench._urls(ports, count)]
limits = engine.Limits(concurrency=bench.HOSTS * bench.PER_HOST, per_host=bench.PER_HOST,
                       interval_s=0.0)
out = []
for _ in range(runs):
    bench._control(ports, "/reset")
    cpu_before, workers_before = time.process_time(), children_cpu()
    started = time.perf_counter()
    summary = steps.check(get_settings(), urls, live=True, limits=limits)
    seconds = time.perf_counter() - started
    cpu, workers_cpu = time.process_time() - cpu_before, children_cpu() - workers_before
    import duckdb
    with duckdb.connect(str(get_settings().work_db), read_only=True) as con:
        statuses = dict(con.execute("select url, status from sitecheck.check where run_id = ?",
                                    [summary.run_id]).fetchall())
    out.append({"seconds": seconds, "statuses": statuses, "server": bench._control(ports, "/stats"),
                "cpu_s": cpu, "workers_cpu_s": workers_cpu})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"runs": out, "peak_mib": peak, "worker_peak_mib": worker_peak[0]}))
"""


def _ours(ports: dict, count: int, runs: int) -> dict:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TMT_HOME": home, "TMT_SITECHECK_ALLOW_NETWORKS": "127.0.0.0/8",
               "TMT_SITECHECK_RETRIES": "1", "TMT_HTTP_BACKOFF_S": "0.05",
               "TMT_SITECHECK_READ_TIMEOUT_S": "10", "TMT_SITECHECK_DEADLINE_S": "30"}
        done = subprocess.run([sys.executable, "-c", _CHILD, str(REPO), json.dumps(ports),
                               str(count), str(runs)], capture_output=True, text=True, env=env,
                              check=True, timeout=900)
    return json.loads(done.stdout.strip().splitlines()[-1])


LINKCHECKER_CONFIG = """[checking]
threads=100
timeout=30
maxrequestspersecond=1000
recursionlevel=0
[output]
status=0
"""


def _linkchecker(ports: dict, sites: list[tuple[str, str]]) -> dict:
    """LinkChecker 10 on the same URLs: 100 threads, no rate limit of its own (it has no
    per-host concurrency limit to set), robots.txt honoured, no recursion."""
    import csv
    linkchecker = Path(sys.executable).with_name("linkchecker")
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o777)  # run as root, LinkChecker drops to `nobody` before writing
        config, output = Path(folder) / "linkcheckerrc", Path(folder) / "out.csv"
        config.write_text(LINKCHECKER_CONFIG)
        _control(ports, "/reset")
        started = time.perf_counter()
        subprocess.run([str(linkchecker), "-f", str(config), "--no-status", "-v", "-o", "none",
                        "-F", f"csv/utf_8/{output}", "--stdin"],
                       input="\n".join(url for url, _ in sites), text=True, capture_output=True,
                       env={**os.environ, "HOME": folder}, check=False, timeout=900)
        seconds = time.perf_counter() - started
        server = _control(ports, "/stats")
        lines = [line for line in output.read_text(encoding="utf-8").splitlines()
                 if line and not line.startswith("#")]
    statuses = {}
    for row in csv.DictReader(lines, delimiter=";"):
        statuses[row["urlname"]] = _linkchecker_status(row)
    return {"seconds": seconds, "statuses": statuses, "server": server}


def _linkchecker_status(row: dict) -> str:
    """LinkChecker's verdict in our words: an HTTP code, 'valid', or an error."""
    result = row.get("result") or ""
    info = ((row.get("warningstring") or "") + " " + (row.get("infostring") or "")).lower()
    code = int(result[:3]) if result[:3].isdigit() else None
    if code in (404, 410):
        return "not_found"
    if code in (401, 403):
        return "blocked"
    if code == 429:
        return "rate_limited"
    if code and code >= 500:
        return "server_error"
    if row.get("valid") == "True":
        if "redirected to" in info:  # "… status: 301 Moved Permanently."
            return "moved" if "status: 301" in info or "status: 308" in info else "redirected"
        return "ok"
    return "timeout" if "timeout" in result.lower() else "unreachable"


def _score(statuses: dict, sites: list[tuple[str, str]]) -> dict:
    right = 0
    wrong: dict[str, int] = {}
    for url, truth in sites:
        found = statuses.get(url, "missing")
        if found == truth:
            right += 1
        else:
            wrong[f"{truth} as {found}"] = wrong.get(f"{truth} as {found}", 0) + 1
    return {"right": right, "of": len(sites), "wrong": wrong}


def _minimum(requests_per_host: dict) -> float:
    return max(math.ceil(n / PER_HOST) * DELAY_S for n in requests_per_host.values())


def run() -> dict:
    load_before = os.getloadavg()[0]  # what else runs on the machine, before this adds to it
    server = subprocess.Popen([sys.executable, "-c", "from bench.sitecheck import serve; serve()"],
                              cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        ports = json.loads(server.stdout.readline())
        sites = _urls(ports, 1000)
        ours = _ours(ports, 1000, runs=2)
        first, second = ours["runs"]
        theirs = _linkchecker(ports, sites)
        large = _ours(ports, 5000, runs=1)
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    load = os.getloadavg()[0]
    pages_minimum = math.ceil(len(sites) / HOSTS / PER_HOST) * DELAY_S
    # robots.txt comes first, alone; then the other requests two at a time
    made = {host: n - 1 for host, n in first["server"]["requests"].items()}
    requests_minimum = DELAY_S + _minimum(made)
    ours_score = _score(first["statuses"], sites)
    return {
        "load_average_1min_before": round(load_before, 1),
        "load_average_1min": round(load, 1), "cpus": os.cpu_count(),
        "sites": len(sites), "hosts": HOSTS, "delay_ms": DELAY_S * 1000, "per_host": PER_HOST,
        "minimum_pages_only_s": round(pages_minimum, 2),
        "minimum_for_requests_made_s": round(requests_minimum, 2),
        "requests_made": sum(first["server"]["requests"].values()),
        "ours_s": round(first["seconds"], 2),
        "ours_vs_pages_minimum": round(first["seconds"] / pages_minimum, 2),
        "ours_vs_requests_minimum": round(first["seconds"] / requests_minimum, 2),
        "ours_sites_per_s": round(len(sites) / first["seconds"], 1),
        # CPU the first run used: this process, and its worker processes (with the fork
        # server's start on this first run)
        "ours_cpu_s": round(first["cpu_s"], 2),
        "ours_workers_cpu_s": round(first["workers_cpu_s"], 2),
        "ours_peak_per_host": max(first["server"]["peak"].values()),
        "ours_right": f"{ours_score['right']}/{ours_score['of']}",
        "ours_wrong": ours_score["wrong"],
        "second_run_s": round(second["seconds"], 2),
        "first_run_bytes": first["server"]["bytes"],
        "second_run_bytes": second["server"]["bytes"],
        "second_vs_first_bytes": round(second["server"]["bytes"] / first["server"]["bytes"], 3),
        "second_run_changed": sum(1 for s in second["statuses"].values() if s == "changed"),
        "linkchecker_s": round(theirs["seconds"], 2),
        "linkchecker_sites_per_s": round(len(sites) / theirs["seconds"], 1),
        "linkchecker_peak_per_host": max(theirs["server"]["peak"].values() or [0]),
        "linkchecker_right": "{right}/{of}".format(**_score(theirs["statuses"], sites)),
        "linkchecker_wrong": _score(theirs["statuses"], sites)["wrong"],
        "peak_rss_mib_1000": round(ours["peak_mib"]),
        "peak_rss_mib_5000": round(large["peak_mib"]),
        "worker_peak_rss_mib_1000": round(ours["worker_peak_mib"]),
        "worker_peak_rss_mib_5000": round(large["worker_peak_mib"]),
        "ours_5000_s": round(large["runs"][0]["seconds"], 2),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
