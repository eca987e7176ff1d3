"""What to check: every organization's website and other URLs (the directory in the
working DuckDB), and the guide's sources (guide_sources.yaml, section × language → URLs).

Directory URLs are read as stored and trusted for nothing: a URL that cannot be fetched
safely is recorded as `unsafe_target`, never skipped silently.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from flows.errors import TmtError

LANGUAGES = ("fr", "en", "es")


@dataclass(frozen=True)
class GuideSource:
    section_id: str
    titles: dict
    language: str
    url: str
    reviewed_on: dt.date | None
    position: int

    def row(self) -> tuple:
        return (self.section_id, self.titles.get("fr"), self.titles.get("en"),
                self.titles.get("es"), self.language, self.url, self.reviewed_on, self.position)


def read_guide(path: Path) -> list[GuideSource]:
    """The guide's sources, or a TmtError naming the file and the section at fault."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TmtError(f"{path}: guide sources file not found (TMT_GUIDE_SOURCES)") from exc
    except yaml.YAMLError as exc:
        raise TmtError(f"{path}: not valid YAML ({' '.join(str(exc).split())[:160]})") from exc
    sections = data.get("sections") if isinstance(data, dict) else None
    if not isinstance(sections, list):
        raise TmtError(f"{path}: a `sections:` list is expected")
    sources, seen = [], set()
    for number, section in enumerate(sections, 1):
        where = f"{path}: section {number}"
        if not isinstance(section, dict) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*",
                                                              str(section.get("id", ""))):
            raise TmtError(f"{where}: `id` must be lowercase letters, digits and hyphens")
        where = f"{path}: section {section['id']}"
        if section["id"] in seen:
            raise TmtError(f"{where}: the id is used twice")
        seen.add(section["id"])
        titles, reviewed = section.get("title") or {}, section.get("reviewed") or {}
        by_language = section.get("sources")
        if not isinstance(by_language, dict) or not by_language:
            raise TmtError(f"{where}: `sources` must map languages to lists of URLs")
        for mapping, name in ((titles, "title"), (reviewed, "reviewed"), (by_language, "sources")):
            if not isinstance(mapping, dict) or set(mapping) - set(LANGUAGES):
                raise TmtError(f"{where}: `{name}` keys must be among {', '.join(LANGUAGES)}")
        for language, urls in by_language.items():
            when = reviewed.get(language)
            if when is not None and not isinstance(when, dt.date):
                raise TmtError(f"{where}: reviewed.{language} {when!r} is not a date (YYYY-MM-DD)")
            if not isinstance(urls, list) or not all(isinstance(u, str) and u.strip() for u in urls):
                raise TmtError(f"{where}: sources.{language} must be a list of URLs")
            sources += [GuideSource(section["id"], titles, language, url.strip(), when, position)
                        for position, url in enumerate(urls, 1)]
    return sources


def directory_urls(con) -> list[str]:
    """Websites and other URLs of the organizations that are not inactive."""
    rows = con.execute("""
        select website as url from directory.organization
        where status <> 'inactive' and coalesce(trim(website), '') <> ''
        union all
        select unnest(other_urls) as url from directory.organization
        where status <> 'inactive'
    """).fetchall()
    return [url.strip() for (url,) in rows if url and url.strip()]


def unique(urls) -> list[str]:
    return list(dict.fromkeys(urls))
