"""French and English words for what the parser skipped, repaired, flagged or left out: the one
place the load report, the run log and the maintainers' digest take them from, and the one
line that says it for a file (a FileReport of flows/lmia/ingest.py)."""
from __future__ import annotations

from flows import labels

KINDS: dict[str, tuple[str, str]] = {
    # lines that are not data
    "blank line": ("lignes vides", "blank lines"),
    "title or text before the header": ("titre ou texte avant l'en-tête",
                                        "title or text before the header"),
    "footnote": ("notes de bas de tableau", "footnotes"),
    "repeated header": ("en-têtes répétés", "repeated headers"),
    "province section": ("lignes de section (province)", "province section lines"),
    "total line": ("lignes de total (vérifiées)", "total lines (checked)"),
    "total line without a number": ("lignes de total sans nombre", "total lines without a number"),
    "unrecognized line": ("lignes non reconnues", "unrecognized lines"),
    # repairs
    "thousands separator in a count": ("séparateurs de milliers retirés d'un nombre",
                                       "thousands separators removed from a count"),
    "occupation code lost its leading zero": (("codes de profession dont le zéro initial est "
                                              "rétabli"), ("occupation codes given back their "
                                              "leading zero")),
    "province read from the address": ("provinces lues dans l'adresse",
                                       "provinces read from the address"),
    "DOS code page 850 letter": ("lettres en code page DOS 850 relues",
                                 "DOS code page 850 letters read again"),
    "stray byte removed": ("octets parasites retirés", "stray bytes removed"),
    "UTF-8 line in a Windows-1252 file": ("lignes UTF-8 dans un fichier Windows-1252",
                                          "UTF-8 lines in a Windows-1252 file"),
    "UTF-8 read as Windows-1252 (mojibake)": ("textes mal décodés réparés (mojibake)",
                                              "garbled text repaired (mojibake)"),
    "control character removed": ("caractères de contrôle retirés", "control characters removed"),
    "unbalanced quote dropped": ("guillemets orphelins retirés", "unbalanced quotes dropped"),
    "column separator not a comma": ("séparateur de colonnes autre que la virgule",
                                     "column separator other than a comma"),
    # rows kept, flagged
    "employer name missing (row kept)": ("lignes sans nom d'employeur (gardées)",
                                         "rows with no employer name (kept)"),
    "province not recognized (row kept)": ("lignes à province non reconnue (gardées)",
                                           "rows with an unrecognized province (kept)"),
    "approved LMIAs not a number (kept empty)": ("EIMT approuvées illisibles (laissées vides)",
                                                 "approved LMIAs unreadable (left empty)"),
    "occupation code of another NOC version (row kept)": (
        "codes de profession d'une autre version de la CNP (gardés)",
        "occupation codes of another NOC version (kept)"),
    # rows left out
    "approved positions not a number": ("lignes écartées : postes approuvés illisibles",
                                        "rows left out: approved positions unreadable"),
}


def label(kind: str, french: bool) -> str:
    """The words for a kind; an unknown kind is shown as it is rather than hidden."""
    return KINDS.get(kind, (kind, kind))[0 if french else 1]


def needed_repairs(report) -> bool:
    return bool(report.repairs or report.rows_flagged or report.rows_rejected
                or report.headers_understood or report.columns_ignored)


def repair_summary(report, french: bool = False) -> str:
    """One line of what was repaired, flagged, left out and understood ('' when nothing), in
    the words above: the run log says it in English, the digest in both."""
    parts = [f"{labels.whole_number(number, french)} {label(kind, french)}"
             for bucket in (report.repairs, report.rows_flagged, report.rows_rejected)
             for kind, number in bucket.items()]
    parts += [f"en-tête {seen}" if french else f"header {seen}"
              for seen in report.headers_understood]
    if report.columns_ignored:
        parts.append(("colonnes ignorées : " if french else "columns ignored: ")
                     + ", ".join(report.columns_ignored))
    return (" ; " if french else "; ").join(parts)
