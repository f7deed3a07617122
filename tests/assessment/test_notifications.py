"""Mail when a round opens and closes, reminders by a manager and by the daily command."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment.errors import AssessmentError
from assessment.models import NotificationPreference, Reminder
from assessment.reminders import reminders_send_due, round_remind
from assessment.rounds import round_close, round_open
from tests.answering import answer_and_submit
from tests.factories import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def mail(mailoutbox):
    return mailoutbox


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs a block, then what it left for after the commit (mail),
    as production does when the transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def recipients(outbox) -> list[str]:
    return sorted(message.to[0] for message in outbox)


def test_opening_a_round_asks_every_member_to_answer_with_the_due_date(
    mail, committed, team, manager, member, small_version
):
    with committed():
        assessment_round = round_open(
            team=team,
            version=small_version,
            title="Q1",
            opened_by=manager,
            due_on=datetime.date(2026, 12, 4),
        )

    assert recipients(mail) == sorted([manager.email, member.email])
    message = next(m for m in mail if m.to == [member.email])
    html = message.alternatives[0][0]
    url = f"http://127.0.0.1:8000/rounds/{assessment_round.pk}/respond/"
    assert "4 December 2026" in message.body
    assert url in message.body
    assert f'href="{url}"' in html


def test_links_in_mail_follow_the_base_url_setting(
    mail, committed, settings, team, manager, small_version
):
    settings.READINESS_BASE_URL = "https://readiness.example.com"

    with committed():
        round_open(team=team, version=small_version, title="Q1", opened_by=manager)

    assert "https://readiness.example.com/rounds/" in mail[0].body


def test_closing_tells_managers_the_report_and_members_their_summary_is_ready(
    mail, committed, settings, team, manager, member, small_version
):
    assessment_round = round_open(team=team, version=small_version, title="Q1", opened_by=manager)
    # The member and three others: at least three besides whoever reads (the minimum).
    for user in (member, *(MembershipFactory(team=team).user for _ in range(3))):
        answer_and_submit(assessment_round, user)

    with committed():
        round_close(assessment_round=assessment_round)

    by_address = {message.to[0]: message for message in mail}
    assert "report is ready" in by_address[manager.email].subject
    assert "summary is ready" in by_address[member.email].subject
    assert f"/rounds/{assessment_round.pk}/report/" in by_address[member.email].body


def test_closing_with_too_few_responses_says_so(
    mail, committed, team, manager, member, small_version
):
    assessment_round = round_open(team=team, version=small_version, title="Q1", opened_by=manager)
    answer_and_submit(assessment_round, member)

    with committed():
        round_close(assessment_round=assessment_round)

    assert {"too few" in message.body for message in mail} == {True}
    assert {"ready" in message.subject for message in mail} == {False}
    by_address = {message.to[0]: message for message in mail}
    assert "Besides yours, that is fewer than 3" in by_address[member.email].body
    assert "That is fewer than 3" in by_address[manager.email].body


def test_a_round_that_fails_to_open_sends_nothing(mail, committed, team, manager, small_version):
    round_open(team=team, version=small_version, title="Q1", opened_by=manager)

    with committed(), pytest.raises(AssessmentError):
        round_open(team=team, version=small_version, title="Q1", opened_by=manager)

    assert mail == []


# A manager's reminder ----------------------------------------------------------------------


@pytest.fixture
def open_round_with_people(team, manager, member, small_version):
    """An open round: the member submitted, two others have not, one invited person."""
    assessment_round = round_open(team=team, version=small_version, title="Q1", opened_by=manager)
    answer_and_submit(assessment_round, member)
    late = [MembershipFactory(team=team).user for _ in range(2)]
    invitation = InvitationFactory(team=team, email="invited@example.com")
    return assessment_round, late, invitation


def test_a_managers_reminder_reaches_only_who_has_not_submitted(
    mail, committed, open_round_with_people, manager
):
    assessment_round, late, _ = open_round_with_people

    with committed():
        sent = round_remind(assessment_round=assessment_round, by=manager, today=TODAY)

    assert sent.count == 3
    assert recipients(mail) == sorted([*(user.email for user in late), "invited@example.com"])
    invited = next(m for m in mail if m.to == ["invited@example.com"])
    assert "/accounts/invitations/" in invited.body  # a new link to join first


def test_a_second_reminder_on_the_same_day_is_refused(
    mail, committed, open_round_with_people, manager
):
    assessment_round, _, _ = open_round_with_people
    with committed():
        round_remind(assessment_round=assessment_round, by=manager, today=TODAY)
    mail.clear()

    with committed(), pytest.raises(AssessmentError):
        round_remind(assessment_round=assessment_round, by=manager, today=TODAY)

    assert mail == []
    sent = round_remind(
        assessment_round=assessment_round, by=manager, today=TODAY + datetime.timedelta(days=1)
    )
    assert sent.count == 3


def test_people_who_turned_reminders_off_get_none(mail, committed, open_round_with_people, manager):
    assessment_round, late, _ = open_round_with_people
    NotificationPreference.objects.create(user=late[0], reminders=False)

    with committed():
        sent = round_remind(assessment_round=assessment_round, by=manager, today=TODAY)

    assert late[0].email not in recipients(mail)
    assert sent.opted_out == 1


def test_the_remind_page_says_whom_it_reaches_and_sends_on_post(
    client, mail, committed, open_round_with_people, manager
):
    assessment_round, late, _ = open_round_with_people
    url = reverse("assessment:round_remind", args=[assessment_round.pk])
    client.force_login(manager)

    page = client.get(url)
    with committed():
        response = client.post(url)

    assert "2 members who have not submitted" in page.content.decode()
    assert response.status_code == 302
    assert len(mail) == 3


# The daily command -------------------------------------------------------------------------


@pytest.fixture
def due_round(team, manager, member, small_version):
    return round_open(
        team=team,
        version=small_version,
        title="Due soon",
        opened_by=manager,
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )


def test_the_reminder_command_run_twice_on_the_same_day_sends_one_mail(
    mail, committed, due_round, member, manager
):
    output = io.StringIO()

    with committed():
        call_command("send_reminders", stdout=output)
    first = recipients(mail)
    with committed():
        call_command("send_reminders", stdout=output)

    assert first == sorted([manager.email, member.email])
    assert recipients(mail) == first
    assert Reminder.objects.filter(round=due_round).count() == 2
    assert output.getvalue().splitlines() == ["Sent 2 reminders.", "Sent 0 reminders."]


def test_the_command_leaves_out_rounds_not_due_soon_and_people_who_submitted(
    mail, committed, team, manager, member, small_version
):
    later = round_open(
        team=team,
        version=small_version,
        title="Later",
        opened_by=manager,
        due_on=TODAY + datetime.timedelta(days=10),
        system_name="Billing",  # a round per system: the team may have both open
    )
    soon = round_open(
        team=team,
        version=small_version,
        title="Soon",
        opened_by=manager,
        due_on=TODAY + datetime.timedelta(days=3),
        system_name="Payments API",
    )
    answer_and_submit(soon, member)

    with committed():
        sent = reminders_send_due(today=TODAY)

    assert sent == 1
    assert recipients(mail) == [manager.email]
    assert "Soon" in mail[0].subject
    assert not Reminder.objects.filter(round=later).exists()


def test_a_reminder_has_a_link_to_turn_reminders_off(mail, committed, due_round, member):
    with committed():
        reminders_send_due(today=timezone.localdate())

    message = next(m for m in mail if m.to == [member.email])
    assert "http://127.0.0.1:8000/accounts/preferences/" in message.body


def test_the_preferences_page_turns_reminders_off(client, member):
    client.force_login(member)

    response = client.post(reverse("preferences"), {})

    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=member).reminders is False
