"""Notifications: every message is written to the outbox (SQLite) first, then sent through
apprise by the `notify` flow (flows/send_notifications.py): alerts, the maintainers' digest,
organization reminders. No Prefect imports here."""
