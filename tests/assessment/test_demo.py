import pytest

from assessment.demo import demo_load
from assessment.models import Invitation, Membership

pytestmark = pytest.mark.django_db


def test_the_demo_invites_two_people_and_tells_only_them(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demo_load()

    assert Invitation.objects.pending().count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == [
        "noor@northwind.example",
        "ravi@northwind.example",
    ]


def test_loading_the_demo_twice_changes_nothing(mailoutbox, django_capture_on_commit_callbacks):
    demo_load()
    before = Invitation.objects.count(), Membership.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        demo_load()

    assert (Invitation.objects.count(), Membership.objects.count()) == before
    assert mailoutbox == []
