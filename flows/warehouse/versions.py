"""Published versions of the serving database: kept, listed, served, rolled back to.

Every publication is a file `versions/<version>.duckdb` (version = UTC time, e.g.
`20261121T104544Z`). Serving a version copies it beside `tmt.duckdb` and renames the copy
over it: a rename is atomic on one filesystem, so a reader that opens `tmt.duckdb`
(read-only) gets the previous database or the new one, never a mix, and a reader that
already has it open keeps reading the old file until it closes it. Which version is
served is written inside the file (`meta.publication`), so a copy can never disagree
with it. Publications and rollbacks take a lock: one at a time.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from flows.errors import TmtError
from flows.settings import Settings

_NAME = re.compile(r"^(\d{8}T\d{6}Z)(?:-(\d+))?\.duckdb$")


@dataclass(frozen=True)
class Version:
    name: str
    path: Path

    @property
    def sort_key(self) -> tuple[str, int]:
        stamp, counter = _NAME.match(self.path.name).groups()
        return stamp, int(counter or 0)

    @property
    def published_at(self) -> datetime:
        return datetime.strptime(self.name[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


@contextmanager
def publication_lock(settings: Settings) -> Iterator[None]:
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.warehouse_dir / ".publication.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def list_versions(settings: Settings) -> list[Version]:
    """Kept versions, newest first."""
    if not settings.versions_dir.is_dir():
        return []
    found = [Version(path.name.removesuffix(".duckdb"), path)
             for path in settings.versions_dir.iterdir() if _NAME.match(path.name)]
    return sorted(found, key=lambda version: version.sort_key, reverse=True)


def new_version_path(settings: Settings) -> tuple[str, Path]:
    settings.versions_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    # Several in one second: count on from the highest kept, never reuse a pruned name.
    same_second = [v.sort_key[1] for v in list_versions(settings) if v.sort_key[0] == stamp]
    name = f"{stamp}-{max(same_second) + 1}" if same_second else stamp
    return name, settings.versions_dir / f"{name}.duckdb"


def keep_unversioned(settings: Settings) -> Version | None:
    """A serving file published before versions existed: keep a copy before replacing it,
    named for its modification time, so that `tmt rollback` can still return to it."""
    serving = settings.serving_db
    if not serving.exists() or publication_of(serving) is not None:
        return None
    settings.versions_dir.mkdir(parents=True, exist_ok=True)
    name = datetime.fromtimestamp(serving.stat().st_mtime, UTC).strftime("%Y%m%dT%H%M%SZ")
    target = settings.versions_dir / f"{name}.duckdb"
    if not target.exists():
        partial = target.with_name(f".{target.name}.partial")
        shutil.copyfile(serving, partial)
        fsync(partial)
        os.replace(partial, target)
    return Version(name, target)


def publication_of(path: Path) -> dict | None:
    """What `meta.publication` says in a serving file; None for a file without it."""
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            rows = con.execute("select version, fingerprint from meta.publication").fetchall()
    except duckdb.CatalogException:  # published before versions existed
        return None
    return {"version": rows[0][0], "fingerprint": rows[0][1]} if rows else None


def serve(settings: Settings, version: Version) -> None:
    """Copy a kept version beside the serving file and rename it over it (call under the lock)."""
    serving = settings.serving_db
    incoming = serving.with_name(f".{serving.name}.incoming")
    incoming.unlink(missing_ok=True)
    shutil.copyfile(version.path, incoming)
    fsync(incoming)
    os.replace(incoming, serving)
    fsync(serving.parent)


def prune(settings: Settings, served: str | None) -> list[str]:
    """Keep the served version and the TMT_KEEP_VERSIONS newest others; delete the rest."""
    keep = max(settings.keep_versions, 0)
    others = [version for version in list_versions(settings) if version.name != served]
    removed = []
    for version in others[keep:]:
        version.path.unlink(missing_ok=True)
        removed.append(version.name)
    return removed


def rollback(settings: Settings, to: str | None = None) -> tuple[str | None, str]:
    """Serve a kept version again: `to`, else the one published before the served one.
    Returns (version served before, version served now)."""
    with publication_lock(settings):
        versions = list_versions(settings)
        current = (publication_of(settings.serving_db) or {}).get("version")
        if to is not None:
            target = next((version for version in versions if version.name == to), None)
            if target is None:
                kept = ", ".join(version.name for version in versions) or "none"
                raise TmtError(f"no version {to} in {settings.versions_dir} (kept: {kept})")
        else:
            names = [version.name for version in versions]
            older = versions[names.index(current) + 1:] if current in names else versions
            if not older:
                raise TmtError(f"no version older than {current or 'the served one'} in "
                               f"{settings.versions_dir}; nothing to roll back to")
            target = older[0]
        if target.name != current:
            serve(settings, target)
    return current, target.name


def fsync(path: Path) -> None:
    """Flush a file or a folder to disk: a rename is only durable once its folder is."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def listing(settings: Settings) -> str:
    """`tmt versions`: one line per kept version, newest first, `*` on the served one."""
    kept = list_versions(settings)
    if not kept:
        return f"no published version in {settings.versions_dir} yet"
    served = (publication_of(settings.serving_db) or {}).get("version")
    lines = [f"{'*' if version.name == served else ' '} {version.name:<20} "
             f"{version.published_at:%Y-%m-%d %H:%M:%S} UTC "
             f"{version.path.stat().st_size / 1e6:9.1f} MB" for version in kept]
    if served is None:
        lines.append(f"(the served {settings.serving_db.name} is none of these)")
    return "\n".join(lines)
