"""Where messages go: one apprise configuration (YAML, path in TMT_APPRISE_CONFIG) whose
entries carry the tags that route messages: `maintainers` (digest, tasks), `alerts`
(failures), `org-reminders` (organizations). Examples in deploy/apprise/.

Secrets stay in the environment: `${NAME}` in the YAML is replaced by that variable when
the file is read (a missing one is an error naming it), and never written anywhere else;
error texts kept in the outbox have them masked. The `org-reminders` entry is one email
URL naming the mail server and the sender; each reminder goes to the organization's
contact address, put in place of the entry's recipients.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from ..errors import TmtError

VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def without_addresses(text: str) -> str:
    """For logs: people's addresses stay in the outbox and the maintainers' notice."""
    return EMAIL.sub("<adresse / address>", text)
# A refused recipient (SMTPRecipientsRefused: {'addr': (550, ...)}) or an address apprise
# could not even parse: sending again will not help, a person must fix the address.
PERMANENT = re.compile(r"\{'[^']*@[^']*': \(5\d\d|Dropped invalid To email|"
                       r"There are no Email recipients")


@dataclass(frozen=True)
class Destination:
    key: str  # stable: what `delivered_to` records
    label: str  # the URL with secrets masked, for logs
    server: object  # an apprise plugin instance
    html: bool  # takes the HTML body (email); others take the text
    pace: str  # destinations with the same pace share one sending interval (one server)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str = ""

    @property
    def permanent(self) -> bool:
        return not self.ok and bool(PERMANENT.search(self.error))


class Channels:
    def __init__(self, path: Path, servers: list, secrets: list[str], interval_s: float,
                 reminder_urls: list[str]):
        self.path = path
        self.servers = servers
        self.reminder_urls = reminder_urls  # as written, secrets substituted
        self.secrets = [secret for secret in secrets if len(secret) >= 4]
        self.interval_s = interval_s
        self.last_sent: dict[str, float] = {}

    def _destination(self, server, key_extra: str = "", pace: str = "") -> Destination:
        from apprise import NotifyFormat

        label = server.url(privacy=True)
        key = hashlib.sha256((label + key_extra).encode("utf-8")).hexdigest()[:16]
        # Pacing is ours (TMT_SEND_INTERVAL_S), shared by every reminder through one server:
        # apprise's own throttle is per instance, and each reminder is a new instance.
        server.request_rate_per_sec = 0
        return Destination(key, label, server, server.notify_format == NotifyFormat.HTML,
                           pace or label)

    def tagged(self, tag: str) -> list[Destination]:
        return [self._destination(server) for server in self.servers if tag in server.tags]

    def for_recipient(self, recipient: str) -> list[Destination]:
        """The `org-reminders` email entry, addressed to one organization. Built from the
        entry's URL as written (apprise's url() drops the sender's address when it has a
        display name), without its `to`; the recipient (email_address.for_smtp form) is
        then set as the plugin's only target. It never goes through apprise's URL and
        address parsing, which reads `'` as a quote: `o'brien@…` became `brien@…`."""
        import apprise
        from apprise.plugins.email import NotifyEmail

        entries = [server for server in self.servers if "org-reminders" in server.tags]
        if not entries:
            return []
        if len(entries) > 1 or not isinstance(entries[0], NotifyEmail) \
                or len(self.reminder_urls) != 1:
            raise TmtError(f"{self.path}: the org-reminders tag must be on exactly one email "
                           "entry (mailto:// or mailtos://): the mail server and the sender")
        scheme, netloc, _, query, fragment = urlsplit(self.reminder_urls[0])
        query = urlencode([(name, value) for name, value in parse_qsl(query)
                           if name.lower() != "to"], quote_via=quote)
        addressed = apprise.Apprise.instantiate(urlunsplit((scheme, netloc, "/", query,
                                                            fragment)))
        if addressed is None:
            raise TmtError(f"{self.path}: cannot address the org-reminders entry to {recipient}")
        addressed.targets = [(False, recipient)]
        addressed.cc, addressed.bcc = set(), set()
        return [self._destination(addressed, key_extra=recipient.lower(),
                                  pace=entries[0].url(privacy=True))]

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***").replace(quote(secret, safe=""), "***")
        return text

    def deliver(self, destination: Destination, rendered, message_key: str) -> Outcome:
        """Hand one message to one destination; apprise never raises, its log says why.
        Emails carry `X-TMT-Message: <message_key>`, to recognize a message sent twice."""
        import apprise

        body, body_format = (rendered.html, apprise.NotifyFormat.HTML) if destination.html \
            else (rendered.text, apprise.NotifyFormat.TEXT)
        if isinstance(getattr(destination.server, "headers", None), dict):
            destination.server.headers["X-TMT-Message"] = message_key
        wait = self.last_sent.get(destination.pace, -1e9) + self.interval_s - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        # Apprise's DEBUG log says why a send failed, but names every address: captured
        # here only, never passed on to the run's log (propagation off while it sends).
        apprise_logger = logging.getLogger("apprise")
        propagate, apprise_logger.propagate = apprise_logger.propagate, False
        try:
            with apprise.LogCapture(level=logging.DEBUG, fmt="%(levelname)s %(message)s") as log:
                ok = destination.server.notify(body=body, title=rendered.subject,
                                               body_format=body_format)
        finally:
            apprise_logger.propagate = propagate
        self.last_sent[destination.pace] = time.monotonic()
        if ok:
            return Outcome(True)
        lines = [line for line in log.getvalue().splitlines()
                 if line.startswith(("WARNING", "ERROR")) or "Exception" in line]
        error = " | ".join(" ".join(line.split()) for line in lines[-3:]) or "apprise: not sent"
        return Outcome(False, self.redact(f"{destination.label}: {error}")[:500])


def load(path: Path | None, interval_s: float = 5.5) -> Channels | None:
    """The configured destinations, or None when TMT_APPRISE_CONFIG is not set."""
    if path is None:
        return None
    import apprise

    if not path.is_file():
        raise TmtError(f"TMT_APPRISE_CONFIG: {path}: no such file")
    raw = path.read_text(encoding="utf-8")
    secrets = []

    def substitute(match: re.Match) -> str:
        value = os.environ.get(match.group(1))
        if value is None or value == "":
            raise TmtError(f"{path}: ${{{match.group(1)}}} is not set in the environment")
        secrets.append(value)
        return value

    text = "\n".join(line if line.lstrip().startswith("#") else VARIABLE.sub(substitute, line)
                     for line in raw.splitlines())
    config = apprise.AppriseConfig()
    if not config.add_config(text, format="yaml"):
        raise TmtError(f"{path}: not a valid apprise YAML configuration")
    servers = list(config.servers())
    if not servers:
        raise TmtError(f"{path}: no usable notification URL (check each entry's URL)")
    unknown = {str(tag) for server in servers for tag in server.tags} - {
        "maintainers", "alerts", "org-reminders"}
    if unknown:
        raise TmtError(f"{path}: unknown tag(s) {', '.join(sorted(unknown))}: use maintainers, "
                       "alerts, org-reminders")
    return Channels(path, servers, secrets, interval_s, _tagged_urls(text, "org-reminders"))


def _tagged_urls(text: str, tag: str) -> list[str]:
    """The URLs of the YAML entries that carry `tag` (`- URL:` followed by `- tag: …`)."""
    import yaml

    document = yaml.safe_load(text) or {}
    found = []
    for entry in document.get("urls") or []:
        if not isinstance(entry, dict):
            continue
        for url, options in entry.items():
            tags = []
            for option in options if isinstance(options, list) else [options or {}]:
                value = (option or {}).get("tag", "") if isinstance(option, dict) else ""
                tags += value if isinstance(value, list) else str(value).split(",")
            if tag in {name.strip() for name in tags}:
                found.append(str(url))
    return found
