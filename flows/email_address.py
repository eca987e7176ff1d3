"""Email addresses, checked by email-validator rather than a regular expression: the
addresses organizations really use (plus-addressing, apostrophes, hyphens, subdomains,
accented domains) pass, anything RFC 5322 refuses or a mail server could misread does not.

Two forms: `stored` is what the directory keeps and shows (domain in Unicode, lowercase,
as before); `for_smtp` is what goes to the mail server and the outbox (the domain in
IDNA ASCII). Local parts with non-ASCII letters are refused: they need SMTPUTF8, which
most organizations' servers do not offer.
"""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


class BadAddress(ValueError):
    """Not an address mail can be sent to; the message says why (in English, from the validator)."""


def _validated(text: str):
    try:
        return validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise BadAddress(str(exc)) from exc


def stored(text: str) -> str:
    return _validated(text).normalized.lower()


def for_smtp(text: str) -> str:
    return _validated(text).ascii_email.lower()
