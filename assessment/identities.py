"""Which account an identity at the single sign-on provider opens.

An identity is the ID token's issuer and subject (``sub``): the provider gives a subject to
one person only, for good, while an address can change hands. The rules, in order:

1. The provider must say the address is verified (``email_verified`` true), or nobody is
   signed in.
2. A stored identity opens its account, whatever either side's address has become since.
3. Otherwise the account with the address is linked to the identity (stored) and opened,
   unless it is an administrator's (staff or superuser: an address alone never opens one;
   whoever runs the app links it with ``manage.py link_sign_on``) or it is linked to
   another identity at this provider already.
4. Without an account, one is made only for an address with an open invitation; it is
   linked and joins the teams that invited the address.

Each refusal raises ``AssessmentError`` with a sentence for the sign-in page and changes
nothing.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from .errors import AssessmentError
from .invitations import invitations_accept_on_sign_in, invited
from .models import SingleSignOnIdentity

logger = logging.getLogger(__name__)

REFUSED = "Single sign-on did not sign you in: "
# Where the backend leaves a refusal's sentence on the request, for the sign-in page.
SIGN_ON_REFUSAL = "single_sign_on_refusal"


def _refused(reason: str) -> AssessmentError:
    return AssessmentError(REFUSED + reason, 403)


def _is_administrator(user) -> bool:
    return user.is_staff or user.is_superuser


@transaction.atomic
def identity_sign_in(
    *,
    issuer: str,
    subject: str,
    email: str,
    email_verified: object,
    first_name: str = "",
    last_name: str = "",
):
    """The account an identity opens (see the rules above), linking it on the first sign-in;
    None for a new address nobody invited."""
    email = (email or "").strip().lower()
    if not email:
        raise _refused("the identity provider sent no email address.")
    # Only a JSON true counts: a provider that leaves the claim out vouches for nothing.
    if email_verified is not True:
        raise _refused(
            f"the identity provider did not confirm that the address {email} is verified. "
            "Ask whoever runs your organization's accounts to verify it, then try again."
        )
    identity = (
        SingleSignOnIdentity.objects.select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is not None:
        return identity.user
    accounts = list(get_user_model().objects.filter(email__iexact=email)[:2])
    if len(accounts) > 1:
        raise _refused(
            f"several accounts here have the address {email}, so it is not clear which is "
            "yours. Ask whoever runs Readiness."
        )
    if accounts:
        return _link_by_address(accounts[0], issuer=issuer, subject=subject)
    if not invited(email=email):
        logger.info("Single sign-on: %s has no account and no invitation", email)
        return None
    user = get_user_model().objects.create_user(
        username=email, email=email, first_name=first_name[:150], last_name=last_name[:150]
    )  # no usable password: this person signs in with single sign-on
    SingleSignOnIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    invitations_accept_on_sign_in(user=user)
    return user


def _link_by_address(account, *, issuer: str, subject: str):
    if _is_administrator(account):
        logger.warning(
            "Single sign-on refused: %s is an administrator's account, which an address "
            "never opens. If subject %s at %s is that person, link it: "
            "manage.py link_sign_on %s %s",
            account.get_username(),
            subject,
            issuer,
            account.get_username(),
            subject,
        )
        raise _refused(
            f"the account with the address {account.email} is an administrator's, and single "
            "sign-on never opens one by its address alone. Sign in with your password, or ask "
            "whoever runs Readiness to link your identity to the account."
        )
    refusal = _refused(
        f"the account with the address {account.email} is linked to another identity at "
        "your provider. Sign in with that one, or ask whoever runs Readiness."
    )
    if SingleSignOnIdentity.objects.filter(user=account, issuer=issuer).exists():
        raise refusal
    try:
        with transaction.atomic():
            SingleSignOnIdentity.objects.create(user=account, issuer=issuer, subject=subject)
    except IntegrityError as error:  # linked a moment ago, in another tab
        raise refusal from error
    return account


@transaction.atomic
def identity_link(*, user, issuer: str, subject: str) -> SingleSignOnIdentity:
    """Link an account to an identity at a provider, replacing its link there if it had
    one: how an administrator's account comes to sign in with single sign-on."""
    taken = SingleSignOnIdentity.objects.filter(issuer=issuer, subject=subject).exclude(user=user)
    if taken.exists():
        raise AssessmentError(f"Subject {subject} opens another account already.", 409)
    identity, _ = SingleSignOnIdentity.objects.update_or_create(
        user=user, issuer=issuer, defaults={"subject": subject}
    )
    return identity


@transaction.atomic
def identity_unlink(*, user, issuer: str) -> bool:
    """Forget an account's identity at a provider; its next sign-in there links again by
    address (never, for an administrator). Whether there was one."""
    deleted, _ = SingleSignOnIdentity.objects.filter(user=user, issuer=issuer).delete()
    return bool(deleted)
