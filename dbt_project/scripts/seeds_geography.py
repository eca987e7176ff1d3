"""Geography seeds: Quebec municipalities, regions, aliases, FSA centroids and places."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

CURATED_ALIASES = Path(__file__).resolve().parent / "municipality_aliases_curated.csv"

# English names of the 17 administrative regions (the French names come from MAMH).
REGION_NAMES_EN = {
    "01": "Lower St. Lawrence",
    "02": "Saguenay–Lac-Saint-Jean",
    "03": "Capitale-Nationale",
    "04": "Mauricie",
    "05": "Eastern Townships",
    "06": "Montreal",
    "07": "Outaouais",
    "08": "Abitibi-Témiscamingue",
    "09": "North Shore",
    "10": "Northern Quebec",
    "11": "Gaspésie–Îles-de-la-Madeleine",
    "12": "Chaudière-Appalaches",
    "13": "Laval",
    "14": "Lanaudière",
    "15": "Laurentians",
    "16": "Montérégie",
    "17": "Centre-du-Québec",
}

# Municipalities outside any MRC belong to a territory equivalent to an MRC (TE). MAMH
# leaves `mrc` empty for them; the TE code is the census division (`divrec`) code followed
# by 0, except where an MRC shares the division and ISQ numbers the TE 1 (371, 941) and
# Nord-du-Québec, split by ISQ into Jamésie (991) and Eeyou Istchee (993).
TE_BY_DIVISION = {
    "01": ("010", "Les Îles-de-la-Madeleine (TE)"),
    "23": ("230", "Québec (TE)"),
    "25": ("250", "Lévis (TE)"),
    "36": ("360", "Shawinigan (TE)"),
    "37": ("371", "Trois-Rivières (TE)"),
    "43": ("430", "Sherbrooke (TE)"),
    "58": ("580", "Longueuil (TE)"),
    "65": ("650", "Laval (TE)"),
    "66": ("660", "Montréal (TE)"),
    "74": ("740", "Mirabel (TE)"),
    "81": ("810", "Gatineau (TE)"),
    "86": ("860", "Rouyn-Noranda (TE)"),
    "90": ("900", "La Tuque (TE)"),
    "94": ("941", "Saguenay (TE)"),
}
JAMESIE, EEYOU_ISTCHEE = ("991", "Jamésie (TE)"), ("993", "Eeyou Istchee (TE)")


def name_key(text: str) -> str:
    """Rough Python twin of the dbt macro normalize_place_name, used only for checks here."""
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "Oe"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[-–—'’.]", " ", text).split())


def split_code(value: str) -> tuple[str | None, str | None]:
    """`MRC Brome-Missisquoi (460)` -> ('460', 'Brome-Missisquoi')."""
    if not isinstance(value, str) or not value.strip():
        return None, None
    match = re.fullmatch(r"(?:MRC )?(.*?) \((\w+)\)", value.strip())
    if not match:
        raise ValueError(f"unexpected MAMH territory value: {value!r}")
    return match.group(2), match.group(1)


def postal_code(raw: str) -> str:
    compact = re.sub(r"\s+", "", str(raw)).upper()
    return compact[:3] + (" " + compact[3:] if len(compact) > 3 else "")


def mamh_current(reference: Path) -> pd.DataFrame:
    return pd.read_csv(reference / "mamh_municipalities_2023-11.csv", dtype=str)


def build_municipalities(reference: Path) -> pd.DataFrame:
    mamh = mamh_current(reference)
    rows = []
    for rec in mamh.itertuples():
        region_code, region_name = split_code(rec.regadm)
        mrc_code, mrc_name = split_code(rec.mrc)
        mrc_kind = "MRC"
        if mrc_code is None:
            division_code, _ = split_code(rec.divrec)
            if division_code == "99":
                te = EEYOU_ISTCHEE if rec.mdes.startswith("Village cri") else JAMESIE
            else:
                te = TE_BY_DIVISION[division_code]
            (mrc_code, mrc_name), mrc_kind = te, "TE"
        postal = postal_code(rec.mcodpos)
        rows.append(
            {
                "municipality_code": rec.mcode,
                "municipality_name": rec.munnom,
                "designation": rec.mdes,
                "mrc_code": mrc_code,
                "mrc_name": mrc_name,
                "mrc_kind": mrc_kind,
                "region_code": region_code,
                "region_name": region_name.replace("--", "–"),
                "population": int(rec.mpopul),
                "postal_code": postal,
                "fsa": postal[:3],
            }
        )
    frame = pd.DataFrame(rows)
    assert frame.municipality_code.is_unique and frame.region_code.nunique() == 17
    return frame


def build_regions(municipalities: pd.DataFrame) -> pd.DataFrame:
    regions = municipalities[["region_code", "region_name"]].drop_duplicates()
    regions = regions.rename(columns={"region_name": "region_name_fr"}).sort_values("region_code")
    regions["region_name_en"] = regions.region_code.map(REGION_NAMES_EN)
    return regions


def build_aliases(reference: Path, municipalities: pd.DataFrame) -> pd.DataFrame:
    by_code = municipalities.set_index("municipality_code").municipality_name
    current_keys = {name_key(name) for name in by_code}
    curated = pd.read_csv(CURATED_ALIASES, dtype=str)
    for rec in curated.itertuples():
        if by_code.get(rec.municipality_code) != rec.expected_municipality_name:
            raise ValueError(
                f"alias {rec.alias_name!r}: MAMH has {rec.municipality_code} = "
                f"{by_code.get(rec.municipality_code)!r}, not {rec.expected_municipality_name!r}"
            )
        if name_key(rec.alias_name) in current_keys:
            raise ValueError(f"alias {rec.alias_name!r} is also a current municipality's name")
    curated = curated.drop(columns="expected_municipality_name").assign(source="curated")
    # Names MAMH used in March 2022 and changed since (double hyphens, renamings).
    older = pd.read_csv(reference / "mamh_municipalities_2022-03.csv", dtype=str)
    older = older[older.mcode.isin(by_code.index)]
    renamed = older[older.munnom.map(name_key) != older.mcode.map(by_code).map(name_key)]
    former = pd.DataFrame(
        {
            "alias_name": renamed.munnom,
            "municipality_code": renamed.mcode,
            "alias_kind": "former_name",
            "source": "mamh_2022-03",
        }
    )
    # The locality of the town-hall address (`madr2`) is often the name Canada Post and
    # employers use: Mont-Blanc's is Saint-Faustin-Lac-Carré, Thorne's is Ladysmith.
    localities = pd.concat([older, mamh_current(reference)])[["madr2", "mcode"]].dropna()
    localities = localities[
        localities.mcode.isin(by_code.index)
        & ~localities.madr2.str.contains(r"^Succ\.|,", regex=True)
        & ~localities.madr2.map(name_key).isin(current_keys)
    ]
    postal = pd.DataFrame(
        {
            "alias_name": localities.madr2.str.strip(),
            "municipality_code": localities.mcode,
            "alias_kind": "postal_locality",
            "source": "mamh_town_hall_address",
        }
    )
    aliases = pd.concat([curated, former, postal])
    aliases = aliases[aliases.alias_name.map(name_key) != ""]
    aliases = aliases.drop_duplicates(["alias_name", "municipality_code"])
    aliases["municipality_name"] = aliases.municipality_code.map(by_code)
    return aliases.sort_values(["municipality_code", "alias_name"])


def build_fsa_centroids(reference: Path) -> pd.DataFrame:
    names = [
        "country",
        "fsa",
        "place_name",
        "province_name",
        "province_code",
        "geonames_region_name",
        "geonames_region_code",
        "geonames_municipality_name",
        "geonames_municipality_code",
        "latitude",
        "longitude",
        "accuracy",
    ]
    geonames = pd.read_csv(
        reference / "geonames_postal_CA_2024-04-12.txt",
        sep="\t",
        header=None,
        names=names,
        dtype=str,
        keep_default_na=False,
    )
    geonames = geonames.drop(columns="country").replace("", None)
    # Two FSAs outside Quebec (C0A, L9X) are listed once per place: keep GeoNames' first.
    return geonames.drop_duplicates("fsa").sort_values("fsa")


def build_places(reference: Path) -> pd.DataFrame:
    cities = pd.read_csv(reference / "simplemaps_canadacities_basic_2021.csv", dtype=str)
    quebec = cities[cities.province_id == "QC"]
    return pd.DataFrame(
        {
            "place_id": quebec["id"],
            "place_name": quebec.city.str.replace("’", "'"),
            "province_code": quebec.province_id,
            "latitude": quebec.lat,
            "longitude": quebec.lng,
            "population": quebec.population.astype(float).round().astype(int),
            "fsas": quebec.postal,
        }
    ).sort_values("place_id")
