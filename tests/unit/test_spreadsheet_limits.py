"""Hostile spreadsheets meet their limits before a reader opens them, in both readers
(LMIA files and the directory): one line naming the file and the limit, never an abort,
a traceback or gigabytes of memory. Each file is read in a child process capped at
1.5 GB of address space and 60 s, so a reader that ignores a limit fails the test
instead of taking the machine down."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from datetime import date

from flows.directory.parse import parse_file
from flows.directory.text import cell_text
from flows.lmia import ingest
from flows.lmia.sources import Candidate
from flows.settings import get_settings
from tests.support import hostile_sheets as hostile

READ_BOTH = """
import json, sys
from pathlib import Path
from flows.errors import BadFileError
from flows.lmia.read import read_sheets
from flows.directory.read import read_sheet
path = Path(sys.argv[1])
answers = []
for read in (lambda: list(read_sheets(path, path.name)), lambda: read_sheet(path, path.name)):
    try:
        read()
        answers.append("read")
    except BadFileError as exc:
        answers.append(str(exc))
print(json.dumps(answers))
"""


def bounded():
    limit = 1536 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def read_in_child(path, **env) -> list[str]:
    child = subprocess.run([sys.executable, "-c", READ_BOTH, str(path)], capture_output=True,
                           text=True, timeout=60, preexec_fn=bounded, check=False,
                           env={**os.environ, **env})
    assert child.returncode == 0, child.stderr[-2000:]
    return json.loads(child.stdout)


def test_a_cell_at_xfd1048576_is_refused_on_one_line(tmp_path):
    path = hostile.far_cell(tmp_path / "repertoire.xlsx")
    assert path.stat().st_size < 2048
    for answer in read_in_child(path):
        assert answer.startswith("repertoire.xlsx: tableau trop grand (sheet too large)")
        assert "1048576 rows, over 500000 (TMT_SHEET_MAX_ROWS)" in answer


def test_a_declared_dimension_alone_is_enough(tmp_path):
    path = hostile.far_cell(tmp_path / "lmia.xlsx", dimension="A1:XFD1048576")
    for answer in read_in_child(path):
        assert "<dimension XFD1048576>" in answer and "TMT_SHEET_MAX_ROWS" in answer


def test_a_zip_bomb_is_refused_before_it_expands(tmp_path):
    path = hostile.expanding(tmp_path / "bombe.xlsx", megabytes=3)
    for answer in read_in_child(path):
        assert "expands" in answer and "TMT_SHEET_MAX_RATIO" in answer
    for answer in read_in_child(path, TMT_SHEET_MAX_RATIO="1000",
                                TMT_SHEET_MAX_UNCOMPRESSED_BYTES=str(2 * 1024 * 1024)):
        assert "too large uncompressed" in answer
        assert "over 2097152 (TMT_SHEET_MAX_UNCOMPRESSED_BYTES)" in answer


def test_a_huge_nul_tail_is_refused_before_reading(tmp_path):
    head = b"Nom;Courriel\nCarrefour fictif;info@example.org\n"
    path = hostile.nul_tail(tmp_path / "repertoire.csv", head, 1024 * 1024 * 1024)  # sparse
    for answer in read_in_child(path):
        assert "file too large" in answer and "TMT_SHEET_MAX_FILE_BYTES" in answer
    small = hostile.nul_tail(tmp_path / "petit.csv", head, 64 * 1024)
    for answer in read_in_child(small):
        assert f"NUL bytes from byte {len(head)}" in answer


def test_malformed_sheet_xml_is_one_line(tmp_path):
    path = hostile.malformed(tmp_path / "repertoire.xlsx")
    lmia, directory = read_in_child(path)
    assert lmia.startswith(
        "repertoire.xlsx: feuille « Feuil1 » illisible / sheet 'Feuil1' cannot be read")
    assert directory.startswith("repertoire.xlsx: feuille « Feuil1 » illisible")


def test_a_quarantined_file_is_linked_not_copied(tmt_home, tmp_path):
    source = hostile.nul_tail(tmp_path / "2024q1_positive_en.csv", b"Employer,Address\n", 8192)
    settings = get_settings()
    archived = ingest.fetch(Candidate(str(source), source.name, False), settings)
    report = ingest.load_archived(archived, settings)
    assert report.status == "quarantined" and "NUL bytes from byte 17" in report.reason
    quarantined = settings.quarantine_dir / archived.path.name
    assert os.path.samefile(quarantined, archived.path)


def test_control_characters_never_reach_a_text_field(tmp_path):
    assert cell_text("Carrefour\x00 fictif\u202e\x07") == "Carrefour fictif"
    rows = ["Nom;Description;Régions desservies",
            "Carrefour fictif;" + "Accueil " * 600 + "\x1b[31mrouge;Montérégie"]
    path = tmp_path / "repertoire.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    parsed = parse_file(path, path.name, date(2025, 1, 1))
    (organization,) = parsed.organizations
    assert "\x1b" not in organization.description and "[31mrouge" in organization.description
    assert "1 cellule(s) : caractères de contrôle retirés" in " ".join(parsed.notes)
    late = "\n".join(rows).encode() + b"\nCarrefour\x00 cach\xc3\xa9;Accueil;Estrie\n"
    (tmp_path / "nul.csv").write_bytes(late)
    assert late.index(b"\x00") > 4096  # past the first 4 KB, where the old check looked
    # a stray NUL is stripped (a run of them is binary content: the file is refused)
    names = {o.name for o in parse_file(tmp_path / "nul.csv", "nul.csv",
                                        date(2025, 1, 1)).organizations}
    assert "Carrefour caché" in names and not any("\x00" in name for name in names)
