"""A real HTTP server on 127.0.0.1 that behaves like CKAN's package_show and its downloads.

Faults are injected per path and consumed one request at a time: `500`, `reset` (the
connection is dropped mid-answer), `slow` (headers then a pause longer than the client's
timeout), `short` (a body shorter than its Content-Length). `redirects` sends a path
elsewhere. The download's address guard refuses loopback: tests allow 127.0.0.1 with
TMT_LMIA_ALLOW_NETWORKS, and a FakeCkan on 127.0.0.2 plays an address it must not reach.
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter, defaultdict
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DATASET_ID = "90fed587-1364-4f33-a9ee-208181dc0b97"


class FakeCkan:
    def __init__(self, address: str = "127.0.0.1"):
        self.files: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}  # path → Location
        self.resources: list[dict] = []
        self.faults: dict[str, list[str]] = defaultdict(list)
        self.hits: Counter = Counter()      # requests per path
        self.full_bodies: Counter = Counter()  # 200 answers with a body, per path
        self.slow_seconds = 3.0
        self._server = ThreadingHTTPServer((address, 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def dataset_url(self) -> str:
        return f"{self.base_url}/data/en/dataset/{DATASET_ID}"

    def publish(self, name: str, data: bytes, title: str, language: str,
                last_modified: str = "2024-01-01T00:00:00") -> None:
        """Put (or replace) a downloadable resource in the dataset."""
        self.files[name] = data
        self.resources = [r for r in self.resources if not r["url"].endswith("/" + name)]
        self.resources.append({
            "id": hashlib.md5(name.encode()).hexdigest(), "name": title,
            "name_translated": {"en": title, "fr": title}, "language": [language],
            "format": Path(name).suffix.lstrip(".").upper(), "last_modified": last_modified,
            "url": f"{self.base_url}/files/{name}"})

    def add_resource_at(self, url: str, title: str) -> None:
        """A resource whose URL is anywhere (what a compromised or spoofed portal lists)."""
        self.resources.append({"id": url, "name": title, "language": ["en"], "format": "CSV",
                               "url": url})

    def add_other_resource(self, name: str, title: str) -> None:
        self.files[name] = b"a,b\n1,2\n"
        self.resources.append({"id": name, "name": title, "language": ["en"], "format": "CSV",
                               "url": f"{self.base_url}/files/{name}"})

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        ckan = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                url = urlsplit(self.path)
                ckan.hits[url.path] += 1
                fault = ckan.faults[url.path].pop(0) if ckan.faults[url.path] else None
                if url.path in ckan.redirects:
                    self.send_response(302)
                    self.send_header("Location", ckan.redirects[url.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if fault == "500":
                    return self._send(500, b"oops", "text/plain")
                if fault == "reset":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial")
                    self.close_connection = True
                    return
                if url.path.endswith("/api/3/action/package_show"):
                    ident = parse_qs(url.query).get("id", [""])[0]
                    if ident != DATASET_ID:
                        body = json.dumps({"success": False, "error": {"message": "Not found"}})
                        return self._send(404, body.encode(), "application/json")
                    body = {"success": True, "result": {"id": DATASET_ID,
                                                        "resources": ckan.resources}}
                    return self._send(200, json.dumps(body).encode(), "application/json")
                if url.path.startswith("/files/"):
                    return self._file(url.path.removeprefix("/files/"), fault)
                self._send(404, b"not found", "text/plain")

            def _file(self, name, fault):
                data = ckan.files.get(name)
                if data is None:
                    return self._send(404, b"not found", "text/plain")
                etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                if fault == "slow":
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    time.sleep(ckan.slow_seconds)
                    return
                if fault == "short":
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data[: len(data) // 2])
                    self.close_connection = True
                    return
                ckan.full_bodies[name] += 1
                self._send(200, data, "application/octet-stream", {
                    "ETag": etag, "Last-Modified": formatdate(usegmt=True)})

            def _send(self, status, body, content_type, headers=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

        return Handler
