"""A run's summary as people read it (logs, artifacts): French then English, words and French
numbers, never a raw dict (issue 17: `checked: 12 … statuses: {"unreachable":12}`)."""
from flows.ops import summaries


def test_a_summary_reads_in_words_with_french_numbers():
    line = summaries.text({"positions": 37728, "placed_share": 0.9992, "published": True,
                           "statuses": {"unreachable": 12}})
    assert line == ("postes au Québec / positions in Quebec : 37\u202f728 ; "
                    "part placée au Québec / placed share in Quebec : 99,9\u00a0% ; "
                    "nouvelle publication / new publication : oui / yes ; "
                    "statuts / statuses : injoignable / unreachable 12")


def test_the_notify_summary_does_not_repeat_its_labels():
    class Report:
        sent = failed = retrying = waiting = 0

    summary = summaries.notify(Report(), "rappels / reminders : 0 premier(s)",
                               "résumé / digest : rien de nouveau / nothing new")
    assert summary["reminders"] == "0 premier(s)"
    assert summary["digest"] == "rien de nouveau / nothing new"
    assert "reminders reminders" not in summaries.text(summary)
