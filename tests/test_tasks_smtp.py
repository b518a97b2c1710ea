"""A real SMTP conversation that fails, then works: Django's SMTP backend,
the database queue and its worker (`db_worker`), against a small SMTP
server on a local port. The refused attempt is retried later (not at once),
the retry delivers, and running the task again delivers nothing more."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications import outbox
from notifications.models import EmailStatus, OutboundEmail
from notifications.tasks import send_email


class SMTPServer(socketserver.ThreadingTCPServer):
    """Speaks just enough SMTP for smtplib. `refusing`: greets with 421 and
    hangs up, as a server that is down for maintenance does."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.refusing = True
        self.connections = 0
        self.received: list[bytes] = []


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        server: SMTPServer = self.server
        server.connections += 1
        if server.refusing:
            self.reply("421 4.3.2 Service not available, try later")
            return
        self.reply("220 test.local ESMTP")
        while line := self.rfile.readline():
            verb = line.decode().strip().split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 test.local")
            elif verb in {"MAIL", "RCPT", "RSET", "NOOP"}:
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                server.received.append(data)
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    yield server
    server.shutdown()
    server.server_close()


def work() -> None:
    """What a worker does with the tasks that are due, then stop."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_refusing_smtp_server_is_retried_later_and_the_email_goes_once(smtp):
    from django_tasks_db.models import DBTaskResult

    email = outbox.email_enqueue(key="test:smtp", to=["lea@example.com"], subject="Your code",
                                 body="Your code is 424242.")
    work()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (
        EmailStatus.QUEUED, 1, "smtplib.SMTPConnectError")
    assert smtp.connections == 1 and smtp.received == []
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert retry.run_after == email.next_attempt_at > timezone.now()  # backoff: later, not now

    work()  # a worker that looks now finds nothing due yet
    assert smtp.connections == 1 and DBTaskResult.objects.filter(status="READY").count() == 1

    smtp.refusing = False
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # the wait is over
    work()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.body) == (EmailStatus.SENT, 2, "")
    [raw] = smtp.received
    message = message_from_bytes(raw)
    assert message["To"] == "lea@example.com" and message["Subject"] == "Your code"
    assert "424242" in message.get_payload(decode=True).decode()

    # The queue may deliver a task again (a sweep, a second worker): no second email.
    assert send_email.call(email.pk) == "skipped"
    send_email.enqueue(email.pk)
    work()
    assert len(smtp.received) == 1 and OutboundEmail.objects.get().status == EmailStatus.SENT
