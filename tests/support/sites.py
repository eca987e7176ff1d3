"""Real HTTP servers on loopback addresses that show every status of the site check.

Only 127.0.0.0/8 is ever contacted. Tests allow 127.0.0.1 (TMT_SITECHECK_ALLOW_NETWORKS)
and use 127.0.0.2 as "a network outside the allowed ones". Host names resolve through the
dict given to `resolver`, never through DNS.
"""
from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def page(title: str, body: str, noise: bool = True) -> bytes:
    """A page whose chrome changes on every request (time, token, counter) when `noise`."""
    now, token = time.strftime("%Y-%m-%d %H:%M:%S"), uuid.uuid4().hex
    extra = (f'<meta name="csrf-token" content="{token}">' if noise else "")
    stamp = (f"<p>Mis à jour le {now}</p><p>{int(time.time() * 1000) % 100000} vues</p>"
             f'<input type="hidden" name="csrf" value="{token}"><p>Session id={token}</p>'
             if noise else "")
    chrome = f"<p>{now}</p>" if noise else ""
    footer = f"© {time.strftime('%Y')} — rendu en {token[:6]} ms" if noise else "©"
    return (f"<!doctype html><html><head><title>{title}</title>{extra}</head><body>"
            f"<header><nav>Accueil | Services</nav>{chrome}</header>"
            f"<main><h1>{title}</h1>{body}{stamp}</main>"
            f"<footer>{footer}</footer></body></html>").encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SiteServer

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.hit(self)
        try:
            self.route()
        finally:
            self.server.leave(self)

    def send(self, code: int, body: bytes = b"", headers: dict | None = None,
             content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, code: int, location: str) -> None:
        self.send(code, b"", {"Location": location})

    def route(self):
        path, state = self.path.split("?")[0], self.server.state
        outside = f"http://127.0.0.2:{self.server.outside_port}"
        if path == "/robots.txt":
            return self.send(200, ROBOTS, content_type="text/plain")
        if path in ("/ok", "/ok2", "/ok3", "/count"):
            if path == "/count":
                time.sleep(0.1)
            return self.send(200, page("Accueil", "<p>Heures : lundi au vendredi 8 h 30 à "
                                                  "16 h 30</p><p>100, rue de l'Exemple</p>"))
        if path == "/static":  # validators: a second check transfers no body
            body = page("Statique", "<p>Toujours pareil.</p>", noise=False)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, b"", {"ETag": etag})
            return self.send(200, body, {"ETag": etag})
        if path == "/news":  # the hours change on the second visit and after
            state["news"] += 1
            hours = "8 h 30 à 16 h 30" if state["news"] == 1 else "9 h à 17 h"
            return self.send(200, page("Nouvelles", f"<p>Heures : lundi {hours}</p>"
                                                    "<p>Francisation le soir.</p>"))
        if path == "/old":
            return self.redirect(301, "/ok2")
        if path == "/temp":
            return self.redirect(302, "/ok3")
        if path == "/https-only":  # same place: not a move
            return self.redirect(301, "/https-only/")
        if path == "/https-only/":
            return self.send(200, page("Même endroit", "<p>Rien n'a bougé.</p>"))
        if path == "/missing":
            return self.send(404, b"<h1>Not found</h1>")
        if path == "/gone":
            return self.send(410, b"<h1>Gone</h1>")
        if path == "/soft-404":
            return self.send(200, page("Page introuvable", "<p>Cette page n'existe pas.</p>"))
        if path == "/parked":
            return self.send(200, page("jardins.ca", "<p>This domain is for sale! Buy this "
                                                     "domain today.</p>"))
        if path == "/forbidden":
            return self.send(403, b"<h1>Forbidden</h1>")
        if path == "/challenge":
            return self.send(503, b"<html><head><title>Just a moment...</title></head><body>"
                                  b"<script>window._cf_chl_opt={}</script></body></html>",
                             {"cf-mitigated": "challenge"})
        if path == "/private/page":
            return self.send(200, page("Privé", "<p>robots.txt dit non.</p>"))
        if path == "/limited":
            return self.send(429, b"slow down", {"Retry-After": "3600"})
        if path == "/limited-once":
            state["limited"] += 1
            if state["limited"] == 1:
                return self.send(429, b"slow down", {"Retry-After": "0"})
            return self.send(200, page("Enfin", "<p>Merci d'avoir attendu.</p>"))
        if path == "/error":
            state["error"] += 1
            return self.send(500, b"boom")
        if path == "/flaky":
            state["flaky"] += 1
            if state["flaky"] == 1:
                return self.send(503, b"busy")
            return self.send(200, page("Stable", "<p>Ça marche.</p>"))
        if path == "/slow":
            time.sleep(1.5)
            return self.send(200, page("Lent", "<p>Enfin.</p>"))
        if path == "/drip":  # one byte at a time: no read timeout ever trips
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
            return None
        if path in ("/drip-close", "/drip-chunked"):  # no length: the body ends with it
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if path == "/drip-close":
                self.send_header("Connection", "close")  # http.client drops its socket
            else:
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(40):  # 8 s in all: past any deadline the tests set
                self.wfile.write(b"x" if path == "/drip-close" else b"1\r\nx\r\n")
                self.wfile.flush()
                time.sleep(0.2)
            if path == "/drip-chunked":
                self.wfile.write(b"0\r\n\r\n")
            self.close_connection = True
            return None
        if path == "/huge":
            return self.send(200, b"x" * 300_000)
        if path == "/huge-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"y" * 50_000
            for _ in range(8):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
            return None
        if path == "/escape":  # a chain that ends outside the allowed networks
            return self.redirect(302, "/escape-2")
        if path == "/escape-2":
            return self.redirect(301, f"{outside}/ok")
        if path == "/loop":
            return self.redirect(302, "/loop")
        if path == "/to-peer":  # moved to another allowed host
            return self.redirect(301, f"http://{self.server.peer}/ok")
        return self.send(404, b"no route")


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str, outside_port: int = 0, peer: str = ""):
        super().__init__((address, 0), Handler)
        self.outside_port, self.peer = outside_port, peer  # peer: "address:port"
        self.state: dict = defaultdict(int)
        self.active: dict[str, int] = defaultdict(int)
        self.peak: dict[str, int] = defaultdict(int)
        self.requests: list[tuple[str, str]] = []  # (Host header, path)
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def handle_error(self, request, client_address):
        """The check hangs up on drips and huge bodies: that is the point, not an error."""

    @property
    def base(self) -> str:
        return f"http://{self.server_address[0]}:{self.server_port}"

    def hit(self, handler: Handler) -> None:
        host = (handler.headers.get("Host") or "").split(":")[0]
        with self.lock:
            self.requests.append((host, handler.path))
            self.active[host] += 1
            self.peak[host] = max(self.peak[host], self.active[host])

    def leave(self, handler: Handler) -> None:
        host = (handler.headers.get("Host") or "").split(":")[0]
        with self.lock:
            self.active[host] -= 1

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def resolver(names: dict[str, list[str]], asked: list[str] | None = None):
    """A resolver for the site check: names from the dict, anything else fails like DNS.
    Every name asked is appended to `asked`."""
    import socket

    def resolve(host: str, port: int) -> list[str]:
        if asked is not None:
            asked.append(host)
        if host not in names:
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: unknown to the test resolver")
        return names[host]
    return resolve
