"""The confirmation page reads at most 64 KB of a request body, however it is sent:
with a Content-Length, or chunked (no length to check beforehand). Served by uvicorn on
127.0.0.1, as in production."""
from __future__ import annotations

import http.client

import pytest

from flows.confirm import tokens
from flows.confirm.app import MAX_BODY, create_app
from flows.settings import get_settings
from tests.support.confirmation_site import SIGNING_KEY, PageServer
from tests.support.smtp import free_port


@pytest.fixture
def page(tmt_home, monkeypatch):
    monkeypatch.setenv("TMT_SIGNING_KEY", SIGNING_KEY)
    monkeypatch.setenv("TMT_CONFIRM_RATE_PER_MINUTE", "1000")
    port = free_port()
    with PageServer(create_app(get_settings()), port):
        yield port


def post(port: int, body, headers: dict) -> tuple[int, dict]:
    organization = "org-fictif"
    path = f"/fiche/{organization}/{tokens.issue(SIGNING_KEY, organization, 'test')}/corriger"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", **headers},
            encode_chunked="Content-Length" not in headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def chunks(total: int, size: int = 8192):
    yield b"comment="
    for _ in range(total // size):
        yield b"x" * size


def test_a_chunked_body_over_the_limit_is_refused(page):
    status, headers = post(page, chunks(MAX_BODY + 64 * 1024), {})
    assert status == 413
    assert headers.get("x-frame-options") == "DENY"  # refused by the page, not the server


def test_a_declared_length_over_the_limit_is_refused(page):
    body = b"comment=" + b"x" * (MAX_BODY + 1)
    status, _ = post(page, body, {"Content-Length": str(len(body))})
    assert status == 413


def test_a_small_chunked_body_is_read(page):
    status, _ = post(page, chunks(4096, 1024), {})
    assert status == 403  # read, then refused for its missing CSRF token
