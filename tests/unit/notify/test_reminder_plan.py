"""When an organization is asked to confirm its listing: the plan, on its own (no I/O)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flows.confirm.listing import Listing
from flows.notify.reminders import Organization, months_before, plan

TODAY = date(2026, 11, 21)


def organization(last_confirmed, recipient="contact@example.org", history=None, changes=None):
    listing = Listing("org-1", "Carrefour fictif", "active", "info@example.org", last_confirmed,
                      "16", ())
    return Organization(listing, recipient, last_confirmed, history or {}, changes or [])


def sent(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def steps(org, today=TODAY):
    return [(step.campaign, step.step, step.reason) for step in plan(org, today, 12, 14)]


def test_months_before_keeps_the_end_of_month():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 11, 21), 12) == date(2025, 11, 21)


def test_annual_verification_is_due_after_twelve_months():
    assert steps(organization(date(2025, 11, 22))) == []
    assert steps(organization(date(2025, 11, 21))) == [("verification-2026-11-21", "first", "")]
    assert steps(organization(None)) == [("verification-2026-11-21", "first", "")]


def test_second_reminder_fourteen_days_after_the_first_was_sent_then_a_call():
    campaign = "verification-2026-11-01"
    waiting = organization(date(2024, 1, 1), history={campaign: {"first": None}})
    assert steps(waiting) == []  # still in the outbox: nothing behind it
    first = {campaign: {"first": sent(TODAY - timedelta(days=13))}}
    assert steps(organization(date(2024, 1, 1), history=first)) == []
    first = {campaign: {"first": sent(TODAY - timedelta(days=14))}}
    assert steps(organization(date(2024, 1, 1), history=first)) == [(campaign, "second", "")]
    second = {campaign: {"first": sent(date(2026, 10, 1)),
                         "second": sent(TODAY - timedelta(days=14))}}
    assert steps(organization(date(2024, 1, 1), history=second)) == [
        (campaign, "call", "no_answer")]
    called = {campaign: {**second[campaign], "call": sent(TODAY)}}
    assert steps(organization(date(2024, 1, 1), history=called)) == []


def test_a_confirmation_answers_the_campaign():
    campaign = "verification-2026-10-01"
    history = {campaign: {"first": sent(date(2026, 10, 1))}}
    assert steps(organization(date(2026, 10, 3), history=history)) == []


def test_no_address_means_a_call_right_away():
    assert steps(organization(None, recipient=None)) == [
        ("verification-2026-11-21", "call", "no_address")]


def test_targeted_reminder_when_the_website_changed_since_the_last_confirmation():
    changed = [(date(2026, 11, 10), ("hours",))]
    assert steps(organization(date(2026, 6, 1), changes=changed)) == [
        ("changement-2026-11-10", "targeted", "")]
    assert steps(organization(date(2026, 11, 12), changes=changed)) == []  # confirmed since
    done = {"changement-2026-11-10": {"targeted": sent(date(2026, 11, 11))}}
    assert steps(organization(date(2026, 6, 1), changes=changed, history=done)) == []


def test_quarters_expected_by_now_follow_the_latest_loaded():
    from flows.tasks.campaign import expected_quarters

    assert expected_quarters({(2025, 1)}, date(2026, 11, 21)) == [
        (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2)]  # 2026 Q3 is not out yet
    assert expected_quarters({(2026, 2)}, date(2026, 11, 21)) == []
    assert len(expected_quarters({(2010, 1)}, date(2026, 11, 21))) == 8
    assert expected_quarters(set(), date(2026, 11, 21)) == []


def test_website_changes_come_from_listing_freshness(tmp_path):
    import duckdb

    from flows.notify.reminder_sources import website_changes

    serving = tmp_path / "tmt.duckdb"
    assert website_changes(serving) == {}
    with duckdb.connect(str(serving)) as con:
        con.execute("""create schema marts; create table marts.listing_freshness as
            select * from (values ('org-1', timestamp '2026-11-10 08:00', 'hours,services'),
                                  ('org-2', timestamp '2026-11-11 08:00', null))
            as t(organization_id, last_content_change_at, change_touches)""")
    assert website_changes(serving) == {"org-1": [(date(2026, 11, 10), ("hours", "services"))]}
