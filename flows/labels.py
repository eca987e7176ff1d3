"""The words people read for a code, from the dbt seeds (the one place for each label; the
marts join the same seeds). Python needs them where a message is written outside dbt: run
summaries, the digest's site items."""
from __future__ import annotations

import csv
from functools import cache

from flows.settings import REPO_ROOT

SEEDS = REPO_ROOT / "dbt_project" / "seeds"


@cache
def seed(name: str, key: str) -> dict[str, tuple[str, str]]:
    """{code: (French, English)} from a seed with `label_fr` and `label_en` columns."""
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return {row[key]: (row["label_fr"], row["label_en"]) for row in csv.DictReader(handle)}


def website_status(code: str) -> tuple[str, str]:
    """A site check's status in French and English (`Injoignable`, `Unreachable`)."""
    return seed("ref_website_statuses", "website_status").get(code, (code, code))


def summary_key(key: str) -> tuple[str, str]:
    return seed("ref_run_summary_labels", "summary_key").get(key, (key, key))


@cache
def _display() -> dict[tuple[str, str], tuple[str, str]]:
    with (SEEDS / "ref_display_labels.csv").open(encoding="utf-8", newline="") as handle:
        return {(row["vocabulary"], row["code"]): (row["label_fr"], row["label_en"])
                for row in csv.DictReader(handle)}


def whole_number(value: int, french: bool = True) -> str:
    """A whole number as each language writes it: `4 538` (narrow no-break space) in
    French, `4,538` in English."""
    return f"{int(value):,}".replace(",", "\u202f" if french else ",")


def display(vocabulary: str, code: str) -> tuple[str, str]:
    """A code of ref_display_labels in French and English (a check's suite or expectation
    type: `Lignes d'un fichier LMIA`, `valeurs dans la liste connue`); the code itself when
    the seed has no label for it."""
    return _display().get((vocabulary, code), (code, code))
