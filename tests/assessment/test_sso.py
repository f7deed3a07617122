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
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessment.models import Invitation, Membership
from tests.factories import InvitationFactory, TeamFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CLIENT = {
    "client_id": "readiness-tests",
    "client_secret": "readiness-tests-secret",
    "redirect_uris": ["http://testserver/accounts/sso/callback/"],
}
PROVIDER_PASSWORD = "provider password 42"
PEOPLE = {
    "ines": ("ines@example.com", "Ines"),  # invited
    "uma": ("uma@example.com", "Uma"),  # nobody invited her
    "mia-at-idp": ("mia@example.com", "Mia"),  # the member of the tests' team
}


@pytest.fixture(scope="module")
def provider() -> str:
    """The provider's base URL, served by a process that lives for this module's tests."""
    users = [
        {"username": u, "email": e, "first_name": n, "password": PROVIDER_PASSWORD}
        for u, (e, n) in PEOPLE.items()
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
