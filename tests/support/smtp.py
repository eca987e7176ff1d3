"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, and the apprise
configuration that sends to it. It can be stopped and started again on the same port
(an outage), or made to hang on DATA (a sender stuck mid-message)."""
from __future__ import annotations

import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    def __init__(self, hang: bool = False):
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.hang = hang
        self.data_started = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example.org"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hang:
            import asyncio

            self.data_started.set()
            await asyncio.sleep(3600)  # never answers: the sender is stuck mid-message
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


class SmtpServer:
    def __init__(self, port: int | None = None, hang: bool = False):
        self.port = port or free_port()
        self.mailbox = Mailbox(hang=hang)
        self.controller: Controller | None = None

    def start(self) -> SmtpServer:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None


def write_config(path: Path, port: int, maintainers: str = "equipe@example.org",
                 sender: str = "repertoire@example.org") -> Path:
    """Maintainers and alerts by email; organization reminders through the same server."""
    path.write_text(f"""version: 1
urls:
  - mailto://127.0.0.1:{port}?from={sender}&to={maintainers}&cto=3:
      - tag: maintainers, alerts
  - mailto://127.0.0.1:{port}?from={sender}&cto=3:
      - tag: org-reminders
""", encoding="utf-8")
    return path


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part else ""
