"""Notifications: messages are written to a durable outbox first; sending comes later (issue 7)."""
