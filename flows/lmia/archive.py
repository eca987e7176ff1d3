"""The raw archive: every fetched file, stored before parsing, never changed or deleted.

Files are content-addressed (`<sha256>.<ext>`), written to a temporary name and renamed
into place, then made read-only. `manifest.jsonl` gets one line per fetch (source URL,
resource id, fetched at, bytes, sha256, HTTP validators): the archive's history.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ArchivedFile:
    sha256: str
    path: Path
    bytes: int
    source_url: str
    original_name: str
    resource_id: str | None = None
    resource_name: str | None = None
    language_hint: str | None = None
    source_last_modified: str | None = None


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def extension(name: str) -> str:
    suffix = Path(name.split("?")[0]).suffix.lower().lstrip(".")
    return suffix if suffix in {"csv", "xlsx", "xls", "txt"} else "bin"


def store(archive_dir: Path, staged: Path, sha256: str, name: str) -> Path:
    """Move a staged download (already hashed) into the archive; keep an existing copy."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    target = archive_dir / f"{sha256}.{extension(name)}"
    if target.exists():
        staged.unlink(missing_ok=True)
        return target
    os.chmod(staged, 0o444)
    os.replace(staged, target)  # same filesystem: atomic, never a half-written archive file
    return target


def store_copy(archive_dir: Path, source: Path, name: str) -> tuple[Path, str, bool]:
    """Archive a local file (a folder source). Returns (path, sha256, newly archived)."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    sha = sha256_of(source)
    existing = archive_dir / f"{sha}.{extension(name)}"
    if existing.exists():  # already archived: a re-run reads the file once and copies nothing
        return existing, sha, False
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=archive_dir, prefix=".incoming-", delete=False) as out:
        with source.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        staged = Path(out.name)
    if digest.hexdigest() != sha:
        staged.unlink(missing_ok=True)
        raise OSError(f"{source}: changed while it was being archived")
    return store(archive_dir, staged, sha, name), sha, True


def append_manifest(archive_dir: Path, record: ArchivedFile, validators: dict) -> None:
    line = {**asdict(record), "path": record.path.name, "fetched_at": now_iso(),
            "validators": validators}
    with (archive_dir / "manifest.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def quarantine(quarantine_dir: Path, archived: ArchivedFile, reason: str) -> Path:
    """Set a bad file aside with its one-line reason. The quarantined file is a hard link
    to the archived one (read-only, never changed): a 1 GB file is not stored twice. Where
    the two folders are on different filesystems, the record names the archived file."""
    quarantine_dir.mkdir(parents=True, exist_ok=True)
    target = quarantine_dir / archived.path.name
    if not target.exists():
        try:
            os.link(archived.path, target)
        except OSError:
            target = archived.path
    (quarantine_dir / f"{archived.sha256}.reason.txt").write_text(reason + "\n", encoding="utf-8")
    with (quarantine_dir / "quarantine.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"sha256": archived.sha256, "source_url": archived.source_url,
                                 "original_name": archived.original_name, "reason": reason,
                                 "file": str(target),
                                 "quarantined_at": now_iso()}, ensure_ascii=False) + "\n")
    return target
