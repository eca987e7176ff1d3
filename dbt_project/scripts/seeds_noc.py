"""NOC seeds: unit groups with titles, broad categories, and the 2016 to 2021 concordance."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

# Broad occupational categories (first digit). English from the StatCan structure files;
# French from the CNP published by Statistics Canada (no French file here).
BROAD_FR_2011 = [
    "Gestion",
    "Affaires, finance et administration",
    "Sciences naturelles et appliquées et domaines apparentés",
    "Secteur de la santé",
    "Enseignement, droit et services sociaux, communautaires et gouvernementaux",
    "Arts, culture, sports et loisirs",
    "Vente et services",
    "Métiers, transport, machinerie et domaines apparentés",
    "Ressources naturelles, agriculture et production connexe",
    "Fabrication et services d'utilité publique",
]
BROAD_FR_2021 = ["Membres des corps législatifs et cadres supérieurs"] + BROAD_FR_2011[1:]


def french_titles(lmia_dir: Path) -> dict[str, str]:
    """Most frequent French title per NOC 2011 code in the French LMIA files."""
    counts: dict[tuple[str, str], int] = {}
    for path in sorted(lmia_dir.glob("*_fr.csv")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        for row in csv.reader(text.replace("\r\r\n", "\n").splitlines()):
            for cell in row:
                match = re.fullmatch(r"\s*(\d{4})\s*-\s*(.+?)\s*", cell)
                if match:
                    pair = (match.group(1), " ".join(match.group(2).split()))
                    counts[pair] = counts.get(pair, 0) + 1
    best: dict[str, tuple[int, str]] = {}
    for (code, title), count in counts.items():
        if count > best.get(code, (0, ""))[0]:
            best[code] = (count, title)
    return {code: title for code, (_, title) in best.items()}


def build_noc(reference: Path, lmia_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    noc2011 = pd.read_csv(reference / "noc2011_codes_titles_derived.csv", dtype=str)
    noc2016 = pd.read_csv(
        reference / "noc2016_codes_titles_derived.csv", dtype=str, encoding="utf-8-sig"
    )
    noc2021 = pd.read_csv(
        reference / "noc2021_v1.0_classification_structure_en.csv", dtype=str, encoding="utf-8-sig"
    )
    noc2021.columns = ["level", "hierarchy", "code", "title", "definition"]
    titles_fr = french_titles(lmia_dir)
    unit_2011 = noc2011[noc2011.Level == "4"][["code", "title"]]
    unit_2016 = noc2016[noc2016.Level == "4"].rename(
        columns={"noc_code": "code", "noc_title": "title"}
    )
    unit_2021 = noc2021[noc2021.level == "5"][["code", "title"]]
    en_2011 = dict(zip(unit_2011.code, unit_2011.title))
    frames = []
    for version, units, width in (
        ("2011", unit_2011, 4),
        ("2016", unit_2016, 4),
        ("2021", unit_2021, 5),
    ):
        codes = units.code.str.zfill(width)
        # A French title seen in the (NOC 2011) LMIA files also serves NOC 2016 when the
        # unit group kept its code and English title; NOC 2021 codes never coincide.
        same_group = [
            version == "2011" or en_2011.get(code) == title
            for code, title in zip(codes, units.title)
        ]
        fr = [titles_fr.get(code) if keep else None for code, keep in zip(codes, same_group)]
        frames.append(
            pd.DataFrame(
                {
                    "noc_version": version,
                    "noc_code": codes,
                    "noc_title_en": units.title.str.strip(),
                    "noc_title_fr": fr,
                }
            )
        )
    codes = pd.concat(frames).drop_duplicates(["noc_version", "noc_code"])
    broad = pd.concat(
        [
            pd.DataFrame(
                {
                    "noc_version": version,
                    "broad_category": table.code,
                    "label_en": table.title,
                    "label_fr": labels_fr,
                }
            )
            for version, table, labels_fr in (
                ("2011", noc2011[noc2011.Level == "1"], BROAD_FR_2011),
                (
                    "2016",
                    noc2016[noc2016.Level == "1"].rename(
                        columns={"noc_code": "code", "noc_title": "title"}
                    ),
                    BROAD_FR_2011,
                ),
                ("2021", noc2021[noc2021.level == "1"], BROAD_FR_2021),
            )
        ]
    )
    concordance = pd.read_csv(
        reference / "noc2016v1.3_to_noc2021v1.0_concordance_en.csv", dtype=str, encoding="utf-8-sig"
    )
    concordance.columns = [c.strip() for c in concordance.columns]
    concordance = pd.DataFrame(
        {
            "noc2016_code": concordance["NOC 2016 V1.3 Code"].str.strip().str.zfill(4),
            "noc2016_title": concordance["NOC 2016 V1.3 Title"].str.strip(),
            "noc2021_code": concordance["NOC 2021 V1.0 Code"].str.strip().str.zfill(5),
            "noc2021_title": concordance["NOC 2021 V1.0 Title"].str.strip(),
            "type_of_change": concordance["GSIM Type of Change"].str.strip(),
            "notes": concordance["Notes"],
        }
    ).drop_duplicates(["noc2016_code", "noc2021_code"])
    return codes, broad, concordance
