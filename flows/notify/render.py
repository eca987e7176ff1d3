"""A queued message as what people read: subject, text, HTML (French first, then English).

Alerts and notices carry their subject and text in the payload; the digest and the
campaign checklist carry their text and HTML, rendered when they were queued; reminders
are rendered at sending time, because their links are signed then (the outbox never
holds a valid link).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..confirm import tokens
from ..confirm.texts import long_date
from .messages import RULE
from .reminder_texts import SUBJECTS, words

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


class NotReady(Exception):
    """The message cannot be rendered yet (no signing key): it waits, without an attempt."""


def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html"]), keep_trailing_newline=True)


def notice(subject: str, text: str) -> Rendered:
    parts = [part.strip() for part in text.split(RULE)]
    html = environment().get_template("notice.html").render(subject=subject, parts=parts)
    return Rendered(subject, text, html)


def render(message: dict, settings) -> Rendered:
    payload = message["payload"]
    template = message["template"]
    if template == "reminder":
        return render_reminder(message, settings)
    if "html" in payload and "text" in payload:
        return Rendered(payload["subject"], payload["text"], payload["html"])
    if "subject" in payload and "text" in payload:
        return notice(payload["subject"], payload["text"])
    raise ValueError(f"outbox message {message['id']}: template {template!r} has nothing to send")


def render_reminder(message: dict, settings) -> Rendered:
    """Sign the links now (TMT_SIGNING_KEY), valid TMT_LINK_VALID_DAYS from now."""
    if not settings.signing_key:
        raise NotReady("TMT_SIGNING_KEY is not set: organization reminders wait in the outbox")
    key = settings.signing_key_or_fail()
    payload = message["payload"]
    now = datetime.now(UTC)
    token = tokens.issue(key, payload["organization_id"], payload["campaign"], now)
    links = {f"{action}_{language}": tokens.link(settings.public_url,
                                                  payload["organization_id"], token,
                                                  "confirmer" if action == "confirm"
                                                  else "corriger", language)
             for action in ("confirm", "correct") for language in ("fr", "en")}
    expires = (now + timedelta(days=settings.link_valid_days)).date().isoformat()
    context = {"listing": payload["listing"], "links": links, "expires": expires,
               "fr": words("fr", payload, long_date(expires, "fr")),
               "en": words("en", payload, long_date(expires, "en")),
               "subject": SUBJECTS[payload["step"]].format(name=payload["organization_name"])}
    env = environment()
    return Rendered(context["subject"], env.get_template("reminder.txt").render(**context),
                    env.get_template("reminder.html").render(**context))
