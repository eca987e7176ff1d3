"""Update tasks, kept in SQLite ($TMT_HOME/state/tasks.sqlite) and copied into the warehouse
by each build (`ops.update_task` → `marts.update_tasks`, where dbt works out which are done).

Not DuckDB: the reminders add call tasks whenever they run, builds included. A task id is
derived from what the task is about (campaign, kind, subject key), so planning the same
campaign twice adds nothing.
"""
from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from flows import sqlite_state

KINDS = ("verify_organization", "call_organization", "guide_section_review",
         "translation_update", "lmia_quarter", "reference_refresh")
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/observatoire-tmt/update-tasks")

SCHEMA = """
create table if not exists update_task (
    task_id text primary key,
    campaign text not null,
    kind text not null,
    subject text not null,
    region_code text,
    due_date text not null,
    organization_id text,
    details text not null default '{}',
    created_at text not null,
    done_at text,
    done_by text
);
"""


@dataclass(frozen=True)
class Task:
    campaign: str
    kind: str
    subject: str
    due_date: date
    key: str  # what makes it this task (an organization id, a period, a seed)
    region_code: str | None = None
    organization_id: str | None = None
    details: dict = field(default_factory=dict)

    @property
    def task_id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, f"{self.campaign}|{self.kind}|{self.key}"))


def connect(path: Path) -> sqlite3.Connection:
    return sqlite_state.connect(path, SCHEMA)


def add(path: Path, tasks: list[Task]) -> list[Task]:
    """Record tasks; returns those that were not recorded before."""
    for task in tasks:
        if task.kind not in KINDS:
            raise ValueError(f"task kind {task.kind!r} is not one of {', '.join(KINDS)}")
    created = datetime.now(UTC).isoformat(timespec="seconds")
    new = []
    with sqlite_state.transaction(connect, path) as con:
        for task in tasks:
            cursor = con.execute(
                """insert into update_task (task_id, campaign, kind, subject, region_code,
                       due_date, organization_id, details, created_at)
                   values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""",
                (task.task_id, task.campaign, task.kind, task.subject, task.region_code,
                 task.due_date.isoformat(), task.organization_id,
                 json.dumps(task.details, ensure_ascii=False, sort_keys=True), created))
            if cursor.rowcount:
                new.append(task)
    return new


def mark_done(path: Path, task_id: str, by: str) -> bool:
    """A maintainer closes a task that the data cannot close by itself (a reference refresh)."""
    con = connect(path)
    try:
        return con.execute("update update_task set done_at = ?, done_by = ? where task_id = ? "
                           "and done_at is null",
                           (datetime.now(UTC).isoformat(timespec="seconds"), by,
                            task_id)).rowcount == 1
    finally:
        con.close()


def all_tasks(path: Path) -> list[dict]:
    return sqlite_state.read(connect, path, "select * from update_task order by task_id")
