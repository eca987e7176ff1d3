"""The messages the pipeline queues for people: alerts now, digest items for later.

Human text is French first, English below. Each payload also carries the facts as fields
(file, reason, failing expectations with sample rows) for the templates of issue 7, and
nothing that changes from run to run (no timestamps): the payload hash is the dedupe key.
"""
from __future__ import annotations

from dataclasses import is_dataclass

from ..labels import display, whole_number
from ..lmia.labels import needed_repairs, repair_summary
from .outbox import Message

RULE = "\n\n--- English ---\n\n"


def _alert(kind: str, *, subject_fr: str, subject_en: str, text_fr: str, text_en: str,
           **facts) -> Message:
    return Message(tag="alerts", kind=kind, template="alert", payload={
        "subject": f"[TMT] {subject_fr} / {subject_en}", "text": text_fr + RULE + text_en,
        **facts})


def _findings_text(findings: list[dict], french: bool) -> str:
    colon = " : " if french else ": "  # French typography puts a space before the colon
    lines = []
    for finding in findings:
        lines.append(f"- {check_name(finding, french)}{colon}{_count(finding, french)}")
        described = (finding.get("description_fr") or finding.get("description")) if french \
            else finding.get("description")
        if described:
            lines.append(f"  « {described} »" if french else f"  \"{described}\"")
        lines += [f"  {'exemple' if french else 'sample'}{colon}{sample_text(sample, french)}"
                  for sample in finding.get("samples") or []]
    return "\n".join(lines)


def column_label(column: str, french: bool) -> str:
    """A checked column in words (ref_display_labels, vocabulary check_column): `postes
    approuvés`; the column's name when the seed has no label for it."""
    return display("check_column", column)[0 if french else 1]


def sample_text(sample: dict, french: bool) -> str:
    """A failing row as a person reads it: `ligne du fichier : 9 ; province :
    Newfoundland and Labrador ; postes approuvés : 0`, numbers in the language's format."""
    colon = " : " if french else ": "
    return (" ; " if french else "; ").join(
        f"{column_label(key, french)}{colon}{_value(key, value, french)}"
        for key, value in sample.items() if value is not None)


def _value(key: str, value, french: bool) -> str:
    if key.endswith("_share") and isinstance(value, float):
        # 0.98949 → 98,95 %: two decimals, so that a share under a 99 % threshold never
        # reads as 99 %
        text = f"{value * 100:.2f}"
        return (text.replace(".", ",") if french else text) + "\u00a0%"
    return _number(value, french)


def _number(value, french: bool) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return whole_number(value, french)
    text = f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return text.replace(",", "\u202f").replace(".", ",") if french else text


def check_name(finding: dict, french: bool) -> str:
    """`Périodes publiées (lmia_periods) · valeurs dans l'intervalle attendu (part placée
    dans une municipalité)`: the suite, the kind of check and the column in words."""
    language = 0 if french else 1
    return (f"{display('check_suite', finding['suite'])[language]} · "
            f"{display('expectation', finding['expectation'])[language]}"
            + (f" ({column_label(finding['column'], french)})" if finding["column"] else ""))


def first_check(outcome, french: bool = True) -> str:
    """The first critical finding in words, for each half of a one-line error: `Périodes
    publiées (lmia_periods) · valeurs dans l'intervalle attendu (part placée dans une
    municipalité) : 1 ligne(s) sur 4`, then its first failing row in English: `…: 1 of 4
    rows, e.g. period kind: quarter; period start: 2017-07-01`."""
    critical = _as_dicts(outcome.critical)
    if not critical:
        return "réussi" if french else "passed"
    first, more = critical[0], _others(len(critical) - 1, french)
    if french:
        return f"{check_name(first, True)} : {_count(first, True)}{more}"
    example = f", e.g. {sample_text(first['samples'][0], False)}" if first["samples"] else ""
    return f"{check_name(first, False)}: {_count(first, False)}{example}{more}"


def _others(count: int, french: bool) -> str:
    if not count:
        return ""
    return f" (et {count} autre(s))" if french else f" (and {count} more)"


def _count(finding: dict, french: bool) -> str:
    """`3 ligne(s) sur 120` / `3 of 120 rows`, or the observed value of an aggregate check."""
    if finding.get("unexpected") is not None:
        unexpected, rows = (_number(finding[key], french) for key in ("unexpected", "rows"))
        return (f"{unexpected} ligne(s) sur {rows}" if french
                else f"{unexpected} of {rows} rows")
    return f"{'valeur observée : ' if french else 'observed: '}{finding['observed']}"


def _as_dicts(findings) -> list[dict]:
    return [f.as_dict() if is_dataclass(f) else dict(f) for f in findings]


def file_not_loaded(report) -> Message:
    """A quarantined LMIA file (it does not parse, or failed a critical raw check), or a
    download that failed."""
    critical = [f for f in _as_dicts(report.checks) if f["severity"] == "critical"]
    facts = {"file": report.name, "source": report.source, "sha256": report.sha256,
             "reason": report.reason, "failed_expectations": critical}
    checks_fr = ("\n" + _findings_text(critical, True)) if critical else ""
    checks_en = ("\n" + _findings_text(critical, False)) if critical else ""
    if report.status == "failed":
        return _alert(
            "lmia_download_failed",
            subject_fr=f"Téléchargement LMIA en échec : {report.name}",
            subject_en=f"LMIA download failed: {report.name}",
            text_fr=(f"Le fichier {report.name} n'a pas pu être téléchargé ; les autres "
                     f"fichiers suivent leur cours.\nRaison : {report.reason}\n"
                     f"Source : {report.source}\n"
                     "À faire : vérifier la source, puis relancer `tmt ingest lmia`."),
            text_en=(f"The file {report.name} could not be downloaded; the other files go on."
                     f"\nReason: {report.reason}\nSource: {report.source}\n"
                     "To do: check the source, then run `tmt ingest lmia` again."),
            **facts)
    return _alert(
        "lmia_file_quarantined",
        subject_fr=f"Fichier LMIA en quarantaine : {report.name}",
        subject_en=f"LMIA file quarantined: {report.name}",
        text_fr=(f"Le fichier {report.name} n'a pas été chargé : il est en quarantaine et "
                 "n'atteindra pas les analystes. Les autres fichiers suivent leur cours.\n"
                 f"Raison : {_reason_fr(report, critical)}\nSource : {report.source}"
                 f"{checks_fr}\n"
                 "À faire : examiner la copie dans quarantine/lmia/, corriger la source ou "
                 "l'analyseur, puis relancer `tmt ingest lmia`."),
        text_en=(f"The file {report.name} was not loaded: it is quarantined and will not "
                 "reach analysts. The other files go on.\n"
                 f"Reason: {report.reason}\nSource: {report.source}{checks_en}\n"
                 "To do: look at the copy in quarantine/lmia/, fix the source or the parser, "
                 "then run `tmt ingest lmia` again."),
        **facts)


def _reason_fr(report, critical: list[dict]) -> str:
    """A file withdrawn by a data check: that, in French (its checks follow, in words); the
    parser's reasons are given as the parser wrote them."""
    if not critical:
        return report.reason
    return (f"{report.name} : contrôle de qualité en échec : {check_name(critical[0], True)}"
            f"{_others(len(critical) - 1, True)}, détail ci-dessous")


def source_unreachable(source: str, reason: str) -> Message:
    """Discovery failed: the dataset listing itself could not be read."""
    return _alert(
        "lmia_download_failed",
        subject_fr="Source LMIA inaccessible", subject_en="LMIA source unreachable",
        text_fr=("La liste des fichiers LMIA n'a pas pu être lue ; rien n'a été chargé.\n"
                 f"Raison : {reason}\nSource : {source}"),
        text_en=("The list of LMIA files could not be read; nothing was loaded.\n"
                 f"Reason: {reason}\nSource: {source}"),
        source=source, reason=reason)


def directory_rows_rejected(name: str, lines: list[str], quarantine: str | None) -> Message:
    """Rows of the directory spreadsheet that were not imported (the good rows were)."""
    listed = "\n".join(f"- {line}" for line in lines)
    return _alert(
        "directory_rows_rejected",
        subject_fr=f"Répertoire : {len(lines)} ligne(s) rejetée(s) dans {name}",
        subject_en=f"Directory: {len(lines)} row(s) rejected in {name}",
        text_fr=(f"Les autres lignes sont importées. À corriger puis réimporter : {quarantine}"
                 f"\n{listed}"),
        text_en=f"The other rows were imported. Fix, then import again: {quarantine}\n{listed}",
        file=name, rows_rejected=lines, quarantine=quarantine)


def directory_import_digest(name: str, parsed) -> Message:
    """One digest item per import: what was read, imported, rejected (rows), merged, and
    the terms understood by similarity or kept as free text (most frequent first)."""
    rejected = ", ".join(str(error.row) for error in parsed.rejected)
    free = ", ".join(f"« {entry['term']} » ×{len(entry['rows'])}"
                     for entry in parsed.free_text[:10])
    counts_fr = (f"{name} : {parsed.rows_read} ligne(s) lue(s), {parsed.rows_imported} "
                 f"importée(s), {len(parsed.rejected)} rejetée(s)"
                 + (f" (lignes {rejected})" if rejected else "")
                 + f", {len(parsed.merged_rows)} doublon(s) fusionné(s), "
                 f"{len(parsed.similar)} terme(s) compris par similarité, "
                 f"{len(parsed.free_text)} terme(s) gardé(s) en texte libre"
                 + (f" : {free}" if free else ""))
    counts_en = (f"{name}: {parsed.rows_read} row(s) read, {parsed.rows_imported} imported, "
                 f"{len(parsed.rejected)} rejected" + (f" (rows {rejected})" if rejected else "")
                 + f", {len(parsed.merged_rows)} duplicate(s) merged, {len(parsed.similar)} "
                 f"term(s) mapped by similarity, {len(parsed.free_text)} term(s) kept as free "
                 "text" + (f": {free}" if free else ""))
    return Message(tag="maintainers", kind="directory_import", template="digest_item",
                   payload={"section": "directory_import", "file": name,
                            "rows_read": parsed.rows_read, "rows_imported": parsed.rows_imported,
                            "rows_rejected": [error.row for error in parsed.rejected],
                            "duplicates_merged": parsed.merged_rows,
                            "terms_mapped_by_similarity": parsed.similar,
                            "terms_kept_as_free_text": parsed.free_text,
                            "fr": counts_fr, "en": counts_en})


def directory_import_failed(source: str, reason: str) -> Message:
    """The directory spreadsheet could not be read at all: nothing was imported."""
    return _alert(
        "directory_import_failed",
        subject_fr="Import du répertoire en échec", subject_en="Directory import failed",
        text_fr=f"Rien n'a été importé.\nRaison : {reason}\nSource : {source}",
        text_en=f"Nothing was imported.\nReason: {reason}\nSource: {source}",
        source=source, reason=reason)


def build_failed(reason: str) -> Message:
    return _alert(
        "dbt_build_failed",
        subject_fr="Construction de l'entrepôt en échec (dbt)",
        subject_en="Warehouse build failed (dbt)",
        text_fr=("dbt build a échoué : rien n'a été publié, la base servie "
                 f"(warehouse/tmt.duckdb) n'a pas changé.\nRaison : {reason}\n"
                 "Journal : dbt/logs/dbt.log sous $TMT_HOME."),
        text_en=("dbt build failed: nothing was published, the serving database "
                 f"(warehouse/tmt.duckdb) is unchanged.\nReason: {reason}\n"
                 "Log: dbt/logs/dbt.log under $TMT_HOME."),
        reason=reason)


def checks_failed(outcome) -> Message:
    """A critical finding at a publication checkpoint: the marts were not published."""
    critical = _as_dicts(outcome.critical)
    return _alert(
        "data_check_failed",
        subject_fr=f"Contrôle de qualité en échec ({outcome.checkpoint}) : publication bloquée",
        subject_en=f"Data check failed ({outcome.checkpoint}): publication stopped",
        text_fr=("Les marts construits ne respectent pas les attentes ci-dessous : ils n'ont "
                 "pas été publiés, la base servie (warehouse/tmt.duckdb) n'a pas changé.\n"
                 + _findings_text(critical, True) + "\nRapport détaillé : "
                 "gx/uncommitted/data_docs/local_site/index.html sous $TMT_HOME."),
        text_en=("The marts just built fail the expectations below: they were not published, "
                 "the serving database (warehouse/tmt.duckdb) is unchanged.\n"
                 + _findings_text(critical, False) + "\nFull report: "
                 "gx/uncommitted/data_docs/local_site/index.html under $TMT_HOME."),
        checkpoint=outcome.checkpoint, failed_expectations=critical)


def period_label(kind: str, start: str, french: bool = True) -> str:
    """`2017 T3` / `2017 Q3` for a quarter, `2016 (annuelle)` / `2016 (annual)` for a year."""
    year, month = start[:4], int(start[5:7])
    if kind == "quarter":
        return f"{year} {'T' if french else 'Q'}{(month - 1) // 3 + 1}"
    return f"{year} ({'annuelle' if french else 'annual'})"


def periods_withheld(outcome, withheld) -> Message:
    """Critical findings on some periods only: those were withheld, the rest published."""
    critical = _as_dicts(outcome.critical)

    def listed(french: bool) -> str:
        lines = []
        for kind, start in withheld:
            checks = sorted({check_name(f, french) for f in critical
                             if [kind, start] in [list(p) for p in f["periods"]]})
            lines.append(f"- {period_label(kind, start, french)}{' : ' if french else ': '}"
                         + "; ".join(checks))
        return "\n".join(lines)

    count = len(withheld)
    return _alert(
        "data_check_periods_withheld",
        subject_fr=f"Contrôle de qualité en échec : {count} période(s) retenue(s)",
        subject_en=f"Data check failed: {count} period(s) withheld",
        text_fr=("Les périodes ci-dessous ne respectent pas les contrôles nommés : elles n'ont "
                 "pas été publiées (leur dernière publication valide reste servie, sinon "
                 "elles sont absentes). Toutes les autres périodes ont été publiées.\n"
                 + listed(True) + "\n\n" + _findings_text(critical, True)
                 + "\nRapport détaillé : gx/uncommitted/data_docs/local_site/index.html "
                 "sous $TMT_HOME."),
        text_en=("The periods below fail the checks named: they were not published (their "
                 "last good publication stays served, else they are absent). Every other "
                 "period was published.\n" + listed(False) + "\n\n"
                 + _findings_text(critical, False) + "\nFull report: "
                 "gx/uncommitted/data_docs/local_site/index.html under $TMT_HOME."),
        checkpoint=outcome.checkpoint, failed_expectations=critical,
        withheld_periods=[{"period_kind": kind, "period_start": start} for kind, start in withheld])


def digest_items(checkpoint: str, about: str, findings) -> list[Message]:
    """Warnings: one digest item each, for the maintainers' digest (issue 7)."""
    return [Message(tag="maintainers", kind="data_check_warning", template="digest_item",
                    payload={"section": "data_checks", "checkpoint": checkpoint, "about": about,
                             "finding": finding,
                             "text": _findings_text([finding], True) + RULE
                             + _findings_text([finding], False)})
            for finding in _as_dicts(findings) if finding["severity"] != "critical"]


def for_ingest(reports) -> list[Message]:
    """Every file not loaded is an alert; every warning on a loaded file, a digest item; every
    file that needed repairs, one digest line."""
    queued = [file_not_loaded(r) for r in reports if r.status in ("quarantined", "failed")]
    for report in reports:
        queued += digest_items("raw_lmia", report.name, report.checks)
    queued += [file_repaired(r) for r in reports if r.status == "loaded" and needed_repairs(r)]
    return queued


def file_repaired(report) -> Message:
    """One digest line for a loaded file that the parser had to repair: what, how many."""
    french = f"{report.name} ({report.period}) : {repair_summary(report, french=True)}"
    english = f"{report.name} ({report.period}): {repair_summary(report)}"
    return Message(tag="maintainers", kind="lmia_file_repaired", template="digest_item",
                   payload={"section": "lmia_repairs", "about": report.name,
                            "sha256": report.sha256, "text": french + RULE + english})


def run_failed(flow: str, run_id: str, failures: list[dict]) -> Message:
    """A flow run failed with no specific alert for it: one alert per top-level run (its id
    is the dedupe key), naming each flow that failed and its one-line reason."""
    listed = "\n".join(f"- {failure['flow']} : {failure['message']}" for failure in failures)
    listed_en = "\n".join(f"- {failure['flow']}: {failure['message']}" for failure in failures)
    names = ", ".join(dict.fromkeys(failure["flow"] for failure in failures))
    return _alert(
        "flow_run_failed",
        subject_fr=f"Exécution en échec : {flow} ({names})",
        subject_en=f"Run failed: {flow} ({names})",
        text_fr=(f"L'exécution {flow} (Prefect {run_id}) a échoué.\n{listed}\n"
                 "Journal des exécutions : state/runs.sqlite sous $TMT_HOME ; détail dans "
                 "l'interface Prefect. Relancer la commande une fois la cause corrigée."),
        text_en=(f"The run {flow} (Prefect {run_id}) failed.\n{listed_en}\n"
                 "Run journal: state/runs.sqlite under $TMT_HOME; details in the Prefect UI. "
                 "Run the command again once the cause is fixed."),
        flow=flow, run_id=run_id, failures=failures, dedupe_key=f"flow_run_failed:{run_id}")


def context_file_not_loaded(report) -> Message:
    """An ESDC or IRCC statistics file (flows/context) quarantined or not downloaded."""
    what_fr = "mis en quarantaine" if report.status == "quarantined" else "non téléchargé"
    what_en = "quarantined" if report.status == "quarantined" else "not downloaded"
    return _alert(
        f"context_file_{report.status}",
        subject_fr=f"Statistiques de contexte : {report.name} {what_fr}",
        subject_en=f"Context statistics: {report.name} {what_en}",
        text_fr=(f"Le fichier {report.name} n'a pas été chargé ; les autres suivent leur "
                 f"cours.\nRaison : {report.reason}\nSource : {report.source}\n"
                 "À faire : examiner quarantine/context/, puis relancer `tmt ingest context`."),
        text_en=(f"The file {report.name} was not loaded; the others go on.\n"
                 f"Reason: {report.reason}\nSource: {report.source}\n"
                 "To do: look at quarantine/context/, then run `tmt ingest context` again."),
        file=report.name, source=report.source, sha256=report.sha256, reason=report.reason)


def context_source_unreachable(source: str, reason: str) -> Message:
    return _alert(
        "context_source_unreachable",
        subject_fr="Source des statistiques de contexte inaccessible",
        subject_en="Context statistics source unreachable",
        text_fr=f"Rien n'a été chargé.\nRaison : {reason}\nSource : {source}",
        text_en=f"Nothing was loaded.\nReason: {reason}\nSource: {source}",
        source=source, reason=reason)
