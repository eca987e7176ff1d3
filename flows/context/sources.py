"""Where the context tables come from: the data portal (CKAN `package_show` on ESDC's LMIA
statistics dataset and IRCC's temporary residents dataset), a folder, one file, or by
default the copies bundled in flows/sample/context.

On the portal only the resources of the tables this platform reads are fetched (by their
file names); in a folder every CSV or XLSX is read and the tables not used are skipped.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from ..lmia.http import HttpPolicy
from ..lmia.sources import Candidate, discover, discover_ckan, is_url, package_show_url

# ESDC "Temporary Foreign Worker Program Labour Market Impact Assessment Statistics" and
# IRCC "Temporary Residents: TFWP and IMP Work Permit Holders – Monthly IRCC Updates".
DEFAULT_DATASETS = ("76defa14-473e-41e2-abfa-60021c4d934b",
                    "360024f2-17e9-4558-bfc1-3616485d65b9")
# File names of the tables read (flows/context/tables.py), as the portal names them.
WANTED = re.compile(r"(tfwp\d{4}_annual_table_(3|10)_[ef]\.csv"
                    r"|TR-work-TFW_PT_program_year_end\.xlsx"
                    r"|TR_to_PR-TFWP_PT_immcat\.xlsx)$", re.IGNORECASE)


def bundled_sample() -> Path:
    return Path(__file__).resolve().parent.parent / "sample" / "context"


def default_source() -> str:
    return os.environ.get("TMT_CONTEXT_SOURCE") or str(bundled_sample())


def dataset_ids() -> tuple[str, ...]:
    configured = os.environ.get("TMT_CONTEXT_DATASET_IDS", "")
    return tuple(i.strip() for i in configured.split(",") if i.strip()) or DEFAULT_DATASETS


def is_context_table(resource: dict) -> bool:
    """one of the ESDC or IRCC tables read here (annual tables 3 and 10, IRCC's TFWP files)"""
    return bool(WANTED.search(urlsplit(resource.get("url") or "").path))


def discover_context(source: str, policy: HttpPolicy) -> tuple[list[Candidate], int]:
    """(files to fetch, resources ignored). A portal's base URL: both datasets."""
    if is_url(source) and "/dataset/" not in source and "package_show" not in source \
            and not Path(urlsplit(source).path).suffix:
        found, ignored = [], 0
        for dataset in dataset_ids():
            kept, skipped = discover_ckan(package_show_url(source, dataset), policy,
                                          is_context_table)
            found += kept
            ignored += skipped
        return found, ignored
    return discover(source, policy, dataset_ids()[0], is_context_table)
