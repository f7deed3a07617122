"""A manager invites people; the mail goes through a real SMTP server on loopback.

aiosmtpd listens on a free loopback port and Django's SMTP backend sends to it, so the
invitation a person follows is the message as a mail client would receive it.
"""

from __future__ import annotations

import re
import socket
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from assessment.models import Response
from tests.browser.fixtures import assert_clean, assert_no_horizontal_scroll, sign_in
from tests.browser.test_answering import choose, expect_heading

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

INVITED = ["ada@example.com", "alan@example.com", "grace@example.com"]
ADA_PASSWORD = "analytical engine 1843"


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts, per recipient."""

    def __init__(self):
        self.received: list[tuple[str, EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.content, policy=policy.default)
        for recipient in envelope.rcpt_tos:
            self.received.append((recipient, message))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10) -> list[tuple[str, EmailMessage]]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.received)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(settings, live_server):
    """A real SMTP server on loopback, and the app sending its mail there."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.READINESS_BASE_URL = live_server.url
    yield handler
    controller.stop()


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_invited_people_join_answer_and_only_the_late_are_reminded(
    browser_page, inbox, manager, open_round, live_server
):
    page = browser_page
    inbox.received.clear()  # the round's opening, told to the manager
    sign_in(page, manager.username)
    page.get_by_role("link", name="Payments", exact=True).first.click()
    page.get_by_role("link", name="People", exact=True).click()
    expect_heading(page, "People of Payments · Acme")
    assert_clean(page)

    page.get_by_label("Email addresses").fill(", ".join(INVITED))
    page.get_by_role("button", name="Add to Payments").click()

    expect(page.get_by_role("status").first).to_contain_text("Invited ada@example.com")
    invited = page.get_by_role("region", name=re.compile("^Invited, not accepted yet"))
    for address in INVITED:
        expect(invited).to_contain_text(address)
    assert_clean(page)
    page.set_viewport_size({"width": 390, "height": 800})
    assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    received = inbox.wait_for(3)
    assert sorted(recipient for recipient, _ in received) == INVITED
    invitation = next(message for recipient, message in received if recipient == INVITED[0])
    assert invitation["Subject"].startswith("[Readiness] ")
    link = re.search(
        rf"{re.escape(live_server.url)}/accounts/invitations/\S+/", text_of(invitation)
    )
    assert link, text_of(invitation)

    page.get_by_role("button", name="Sign out").click()
    page.goto(link[0])
    expect_heading(page, "Join Payments")
    assert_clean(page)
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Choose a password").fill(ADA_PASSWORD)
    page.get_by_label("The same password again").fill(ADA_PASSWORD)
    page.get_by_role("button", name="Create my account and join").click()

    expect(page.get_by_role("heading", level=1, name="Hello, Ada")).to_be_visible()
    assert_clean(page)
    page.get_by_role("region", name="Your assessments").get_by_role(
        "link", name=re.compile("^Start")
    ).click()
    expect_heading(page, "2026 Q4")
    for key, option in [
        ("code-in-vcs", "all"),
        ("reviews", "some"),
        ("has-models", "yes"),
        ("drift-alerts", "manual"),
    ]:
        choose(page, open_round, key, option)
    page.get_by_role("link", name="Review and submit").first.click()
    page.get_by_role("button", name="Submit my answers").click()
    expect_heading(page, "Your answers to 2026 Q4")
    assert Response.objects.get(respondent__email=INVITED[0]).is_submitted

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, manager.username)
    page.goto(f"/rounds/{open_round.pk}/")
    page.get_by_role("link", name="Remind who has not submitted").click()
    expect_heading(page, "Remind everyone who has not submitted “2026 Q4”")
    assert_clean(page)
    before = len(inbox.received)
    page.get_by_role("button", name="Send the reminder").click()

    expect(page.get_by_role("main")).to_contain_text("Sent 2 reminders.")
    reminders = inbox.wait_for(before + 2)[before:]
    time.sleep(0.5)  # anything more would have arrived by now
    assert len(inbox.received) == before + 2
    assert sorted(recipient for recipient, _ in reminders) == INVITED[1:]
    assert all("2026 Q4" in text_of(message) for _, message in reminders)


def test_an_org_lead_creates_a_team_and_reads_the_record_on_a_phone(browser_page, org_lead, team):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, org_lead.username)
    page.get_by_role("link", name="Teams of Acme").click()
    expect_heading(page, "Teams of Acme")
    assert_clean(page)
    assert_no_horizontal_scroll(page)

    page.get_by_label("Team name").fill("Data Platform")
    page.get_by_label("Managers' email addresses").fill("dana@example.com")
    page.get_by_role("button", name="Create the team").click()

    expect_heading(page, "People of Data Platform · Acme")
    expect(page.get_by_role("main")).to_contain_text("dana@example.com")
    assert_clean(page)
    assert_no_horizontal_scroll(page)
    page.goto("/organizations/acme/changes/")
    expect(page.get_by_role("main")).to_contain_text("created the team")
    expect(page.get_by_role("main")).to_contain_text("invited dana@example.com")
    assert_clean(page)
    assert_no_horizontal_scroll(page)


def test_a_role_changes_with_the_keyboard_alone(browser_page, manager, member, team):
    page = browser_page
    sign_in(page, manager.username)
    page.goto(f"/teams/{team.pk}/people/")
    name = member.get_full_name()

    page.get_by_label(f"Role of {name}").focus()
    page.keyboard.press("ArrowDown")  # member -> manager
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text(f"{name} is now a manager.")
    assert_clean(page)
    assert member.memberships.get(team=team).role == "manager"


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
        "/accounts/invitations/no-such-link/",
        "/accounts/login/",
    ],
)
def test_account_pages_are_clean_and_fit_a_phone(browser_page, path):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(path)

    assert_clean(page)
    assert_no_horizontal_scroll(page)


def test_the_mail_preferences_page_is_clean(browser_page, member):
    page = browser_page
    sign_in(page, member.username)
    page.get_by_role("link", name="Mail").click()
    page.get_by_label("Remind me by mail").uncheck()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Saved your mail preferences.")
    assert_clean(page)
