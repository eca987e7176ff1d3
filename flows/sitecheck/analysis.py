"""What a page says, from its bytes: text, normalized lines, fingerprint (page.py,
content.py). It runs in the thread that fetched the page; a large run on several cores
has one such process per core (processes.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from . import content, page


@dataclass
class Analysis:
    page: page.Page
    lines: list[str] | None  # normalized; None for a file that is not text (a PDF)
    fingerprint: str


def analyze(body: bytes, content_type: str | None) -> Analysis:
    read = page.read(body, content_type)
    if read.html or read.lines:
        lines = content.normalize(read.lines, read.title)
        return Analysis(read, lines, content.fingerprint(lines))
    return Analysis(read, None, content.fingerprint(raw=body))
