"""Single sign-on against a real OpenID Connect provider on loopback.

The provider is django-oauth-toolkit's, in a process of its own (tests/oidc_provider):
these tests go through the whole authorization code flow with PKCE, the app fetching the
token, checking the ID token's signature against the provider's published keys, and
reading its userinfo, all over HTTP. Only the browser is played by ``requests``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessment.backends import SingleSignOnBackend
from assessment.models import Invitation, Membership, SingleSignOnIdentity
from tests.factories import InvitationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CLIENT = {
    "client_id": "readiness-tests",
    "client_secret": "readiness-tests-secret",
    "redirect_uris": ["http://testserver/accounts/sso/callback/"],
}
PROVIDER_PASSWORD = "provider password 42"
# username at the provider: (address, first name, what the provider says of the address:
# verified or not, None for nothing)
PEOPLE = {
    "ines": ("ines@example.com", "Ines", True),  # invited
    "uma": ("uma@example.com", "Uma", True),  # nobody invited her
    "mia-at-idp": ("mia@example.com", "Mia", True),  # the member of the tests' team
    "mia-again": ("mia@example.com", "Mia", True),  # another identity with Mia's address
    "vic": ("vic@example.com", "Vic", False),  # an address the provider has not verified
    "nell": ("nell@example.com", "Nell", None),  # a provider that says nothing about it
    "root": ("root@example.com", "Root", True),  # the address of an administrator's account
}


@pytest.fixture(scope="module")
def provider() -> str:
    """The provider's base URL, served by a process that lives for this module's tests."""
    users = [
        {
            "username": u,
            "email": e,
            "first_name": n,
            "email_verified": v,
            "password": PROVIDER_PASSWORD,
        }
        for u, (e, n, v) in PEOPLE.items()
    ]
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "tests.oidc_provider.serve",
            json.dumps({"users": users, "client": CLIENT}),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if not line.startswith("READY "):
            pytest.fail(f"the OpenID Connect provider did not start: {line!r}")
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(settings, provider):
    """The app configured for the provider, from its discovery document."""
    discovery = requests.get(f"{provider}/o/.well-known/openid-configuration", timeout=10).json()
    settings.READINESS_OIDC = True
    settings.OIDC_OP_ISSUER = discovery["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.OIDC_RP_CLIENT_ID = CLIENT["client_id"]
    settings.OIDC_RP_CLIENT_SECRET = CLIENT["client_secret"]
    return provider


def sso_issuer() -> str:
    return settings.OIDC_OP_ISSUER


class CsrfField(HTMLParser):
    token = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") == "csrfmiddlewaretoken":
            self.token = attributes["value"]


def sign_in_at_provider(authorize_url: str, username: str) -> str:
    """Play the browser at the provider: follow the authorization request to its sign-in
    form, sign in, and return where the provider sends the browser back (the callback)."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=False, timeout=10)
    login_url = urljoin(authorize_url, response.headers["Location"])
    form = browser.get(login_url, timeout=10)
    parser = CsrfField()
    parser.feed(form.text)
    response = browser.post(
        login_url,
        data={
            "csrfmiddlewaretoken": parser.token,
            "username": username,
            "password": PROVIDER_PASSWORD,
        },
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, "the provider refused the sign-in"
    response = browser.get(
        urljoin(login_url, response.headers["Location"]), allow_redirects=False, timeout=10
    )
    callback = response.headers["Location"]
    assert callback.startswith("http://testserver/accounts/sso/callback/?code="), callback
    return callback


def sign_in_with_sso(client, username: str, next_url: str = ""):
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    start = client.get(reverse("oidc_authentication_init") + query)
    assert start.status_code == 302
    callback = sign_in_at_provider(start.url, username)
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")


def test_an_invited_person_signs_in_with_the_provider_and_joins_the_team(client, sso, team):
    InvitationFactory(team=team, email="ines@example.com", role="member")

    response = sign_in_with_sso(client, "ines")

    user = get_user_model().objects.get(email="ines@example.com")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.first_name == "Ines"
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, team=team, role="member").exists()
    assert Invitation.objects.get(email="ines@example.com").accepted_by == user
    assert SingleSignOnIdentity.objects.get().user == user


def test_an_existing_account_with_the_providers_address_signs_in(client, sso, member):
    response = sign_in_with_sso(client, "mia-at-idp")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_an_existing_account_joins_another_organizations_team_only_by_accepting(
    client, sso, member
):
    elsewhere = TeamFactory(name="Elsewhere")
    InvitationFactory(team=elsewhere, email=member.email, token="mia-token")
    invitation_page = reverse("invitation_accept", args=["mia-token"])

    signed_in = sign_in_with_sso(client, "mia-at-idp", next_url=invitation_page)
    member_before = Membership.objects.filter(user=member, team=elsewhere).exists()
    joined = client.post(invitation_page)

    assert signed_in.status_code == 302
    assert signed_in.url == invitation_page
    assert member_before is False
    assert joined.status_code == 302
    assert Membership.objects.filter(user=member, team=elsewhere).exists()


def test_someone_nobody_invited_gets_no_account(client, sso, team):
    users_before = get_user_model().objects.count()

    response = sign_in_with_sso(client, "uma")

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == users_before
    assert AccessAttempt.objects.get().failures_since_start == 1  # django-axes saw it


def test_a_token_for_another_client_is_refused(client, sso, settings, member):
    start = client.get(reverse("oidc_authentication_init"))
    callback = sign_in_at_provider(start.url, "mia-at-idp")
    settings.OIDC_OP_ISSUER = "https://someone-else.example.com"
    parts = urlsplit(callback)

    response = client.get(f"{parts.path}?{parts.query}")

    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_single_sign_on_is_off_by_default(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("login")).content.decode().count("Sign in with") == 0


def test_five_refused_sign_ons_pause_single_sign_on_from_that_network(client, sso, member):
    for _ in range(5):
        sign_in_with_sso(client, "uma")

    response = sign_in_with_sso(client, "mia-at-idp")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def refusal_shown(client, response) -> str:
    """The sign-in page a refused single sign-on lands on, as the person reads it."""
    assert response.status_code == 302
    assert response.url == reverse("login")
    return client.get(response.url).content.decode()


@pytest.mark.parametrize("username", ["vic", "nell"])
def test_an_address_the_provider_does_not_say_is_verified_signs_nobody_in(
    client, sso, team, username
):
    address = PEOPLE[username][0]
    UserFactory(username=username, email=address)
    InvitationFactory(team=team, email=address)

    response = sign_in_with_sso(client, username)

    page = refusal_shown(client, response)
    assert "did not confirm that the address" in page
    assert "_auth_user_id" not in client.session
    assert not SingleSignOnIdentity.objects.exists()
    assert not Membership.objects.filter(team=team).exists()


@pytest.mark.parametrize("power", [{"is_staff": True}, {"is_superuser": True}])
def test_an_administrators_account_is_never_signed_in_by_its_address(client, sso, power):
    UserFactory(username="root", email="root@example.com", **power)

    response = sign_in_with_sso(client, "root")

    page = refusal_shown(client, response)
    assert "administrator" in page
    assert "_auth_user_id" not in client.session
    assert not SingleSignOnIdentity.objects.exists()


def test_the_first_sign_in_keeps_who_the_person_is_at_the_provider(client, sso, member):
    sign_in_with_sso(client, "mia-at-idp")

    identity = SingleSignOnIdentity.objects.get()
    assert identity.user == member
    assert identity.issuer == sso_issuer()
    assert identity.subject


def test_a_linked_account_is_found_by_its_subject_whatever_its_address(client, sso, member):
    sign_in_with_sso(client, "mia-at-idp")
    client.logout()
    member.email = "mia.renamed@example.com"
    member.save()

    response = sign_in_with_sso(client, "mia-at-idp")

    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(member.pk)


def test_another_identity_with_a_linked_accounts_address_is_refused(client, sso, member):
    sign_in_with_sso(client, "mia-at-idp")
    client.logout()

    response = sign_in_with_sso(client, "mia-again")

    page = refusal_shown(client, response)
    assert "another identity" in page
    assert "_auth_user_id" not in client.session
    assert SingleSignOnIdentity.objects.count() == 1


def test_an_administrator_linked_by_whoever_runs_the_app_signs_in(client, sso, caplog):
    admin = UserFactory(username="root", email="root@example.com", is_superuser=True)
    sign_in_with_sso(client, "root")
    [subject] = [r.args[-1] for r in caplog.records if "link_sign_on" in r.getMessage()]
    out = StringIO()

    call_command("link_sign_on", "root", subject, stdout=out)
    response = sign_in_with_sso(client, "root")

    assert "Linked root" in out.getvalue()
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_userinfo_about_another_subject_than_the_id_token_signs_nobody_in(sso, member, monkeypatch):
    backend = SingleSignOnBackend()
    userinfo = {"sub": "someone-else", "email": member.email, "email_verified": True}
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: userinfo)

    with pytest.raises(SuspiciousOperation):
        backend.get_or_create_user("access", "id", {"iss": sso_issuer(), "sub": "mia-at-idp"})

    assert not SingleSignOnIdentity.objects.exists()


def test_a_subject_that_opens_an_account_is_not_linked_to_another(settings, member, manager):
    settings.READINESS_OIDC, settings.OIDC_OP_ISSUER = True, "https://login.example.com"
    call_command("link_sign_on", member.username, "subject-1", stdout=StringIO())

    with pytest.raises(CommandError, match="another account"):
        call_command("link_sign_on", manager.username, "subject-1", stdout=StringIO())

    assert list(SingleSignOnIdentity.objects.values_list("user", "subject")) == [
        (member.pk, "subject-1")
    ]


def test_an_account_is_unlinked_on_request(settings, member):
    settings.READINESS_OIDC, settings.OIDC_OP_ISSUER = True, "https://login.example.com"
    call_command("link_sign_on", member.username, "subject-1", stdout=StringIO())
    out = StringIO()

    call_command("link_sign_on", member.username, "--unlink", stdout=out)

    assert "Unlinked" in out.getvalue()
    assert not SingleSignOnIdentity.objects.exists()
