"""Where LMIA files come from: a CKAN dataset, a direct file URL, a folder or one file.

CKAN: `package_show` lists the dataset's resources. The LMIA dataset also holds
statistics tables and negative lists; only the positive *employers* lists are kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from ..errors import TmtError
from .http import HttpPolicy, get_json
from .text import fold

DATA_EXTENSIONS = {".csv", ".xlsx", ".xls"}
_DATASET_IN_PATH = re.compile(r"^(?P<base>.*?)(?:/(?:en|fr))?/dataset/(?P<id>[^/?#]+)")


@dataclass(frozen=True)
class Candidate:
    """One file to fetch: a URL or a local path, with what the source says about it."""

    location: str
    name: str
    is_url: bool
    resource_id: str | None = None
    resource_name: str | None = None
    language_hint: str | None = None
    last_modified: str | None = None


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def discover(source: str, policy: HttpPolicy, dataset_id: str,
             keep=None) -> tuple[list[Candidate], int]:
    """(files to fetch, number of resources ignored) for a URL, a folder or a file.

    `keep(resource)` picks the CKAN resources to fetch (default: positive employers lists)."""
    if is_url(source):
        path = urlsplit(source).path
        if Path(path).suffix.lower() in DATA_EXTENSIONS:
            return [Candidate(source, Path(path).name, True)], 0
        return discover_ckan(package_show_url(source, dataset_id), policy, keep)
    path = Path(source).expanduser()
    if path.is_dir():
        files = sorted(p for p in path.iterdir()
                       if p.is_file() and p.suffix.lower() in DATA_EXTENSIONS)
        if not files:
            raise TmtError(f"{path}: aucun fichier .csv, .xlsx ou .xls dans ce dossier / "
                           f"no .csv, .xlsx or .xls file in this folder")
        return [Candidate(str(p), p.name, False) for p in files], 0
    if path.is_file():
        return [Candidate(str(path), path.name, False)], 0
    raise TmtError(f"{source}: ni fichier, ni dossier, ni URL http(s) / no such file or "
                   f"folder, and not an http(s) URL")


def package_show_url(source: str, dataset_id: str) -> str:
    """Accept an API URL, a dataset page URL, or a portal base URL."""
    if "/api/3/action/package_show" in source:
        return source
    match = _DATASET_IN_PATH.match(source.rstrip("/"))
    if match:
        return f"{match['base']}/api/3/action/package_show?id={quote(match['id'])}"
    return f"{source.rstrip('/')}/api/3/action/package_show?id={quote(dataset_id)}"


def discover_ckan(api_url: str, policy: HttpPolicy, keep=None) -> tuple[list[Candidate], int]:
    keep = keep or is_positive_employers_list
    answer = get_json(policy, api_url)
    if not isinstance(answer, dict) or not answer.get("success") or "result" not in answer:
        error = answer.get("error") if isinstance(answer, dict) else None
        raise TmtError(f"{api_url}: CKAN n'a pas renvoyé le jeu de données / CKAN did not "
                       f"return the dataset ({error or 'no result'})")
    resources = answer["result"].get("resources") or []
    kept = [_candidate(resource) for resource in resources if keep(resource)]
    if not kept:
        wanted = getattr(keep, "__doc__", None) or "a positive LMIA employers list"
        raise TmtError(f"{api_url}: aucune des {len(resources)} ressources ne convient / none "
                       f"of the {len(resources)} resources is {wanted}")
    return kept, len(resources) - len(kept)


def _names(resource: dict) -> list[str]:
    names = [resource.get("name") or ""]
    translated = resource.get("name_translated")
    if isinstance(translated, dict):
        names += [value for value in translated.values() if isinstance(value, str)]
    return [name for name in names if name]


def is_positive_employers_list(resource: dict) -> bool:
    """a positive LMIA employers list"""
    url = resource.get("url") or ""
    extension = Path(urlsplit(url).path).suffix.lower()
    file_format = fold(resource.get("format") or "")
    if extension not in DATA_EXTENSIONS and file_format not in {"csv", "xlsx", "xls"}:
        return False
    text = fold(" ".join(_names(resource)) + " " + Path(urlsplit(url).path).name)
    if any(word in text for word in ("negative", "negatif", "defavorable")):
        return False
    positive = any(word in text for word in ("positive", "positif", "favorable", "_pos_", "_pos."))
    employers = any(word in text for word in ("employer", "employeur", "_pos_", "_pos."))
    return positive and employers


def _candidate(resource: dict) -> Candidate:
    url = resource["url"]
    languages = resource.get("language") or []
    language = languages[0] if isinstance(languages, list) and len(languages) == 1 else None
    names = _names(resource)
    return Candidate(
        location=url,
        name=Path(urlsplit(url).path).name or resource.get("id", "resource"),
        is_url=True,
        resource_id=resource.get("id"),
        resource_name=names[0] if names else None,
        language_hint=language if language in ("en", "fr") else None,
        last_modified=resource.get("last_modified") or resource.get("created"),
    )
