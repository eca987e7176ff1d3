"""A home with a published directory (the fictional sample) for the confirmation tests,
built by the real `build_warehouse` flow on one small LMIA file; and the page served by
uvicorn in a thread on 127.0.0.1."""
from __future__ import annotations

import threading
import time
from typing import Self

import uvicorn

from flows.build_warehouse import build_warehouse
from flows.settings import Settings
from tests.flows.test_build_warehouse import load_sample
from tests.support.samples import load_sample_directory

SIGNING_KEY = "test-only-signing-key-0123456789abcdefghij"


def build_home(settings: Settings) -> None:
    load_sample(settings, names={"orig_2017q3_positive_en.csv"})
    load_sample_directory(settings)
    build_warehouse()


class PageServer:
    def __init__(self, app, port: int):
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                                    log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
