from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessment.errors import AssessmentError
from assessment.identities import identity_link, identity_unlink


class Command(BaseCommand):
    help = (
        "Link an account to a person's identity at the single sign-on provider (its subject, "
        "the ID token's sub), so that they sign in to it with single sign-on. The only way "
        "for a staff or superuser account: single sign-on never opens one by its address. "
        "A refused sign-in logs the subject; check at the provider that it is that person."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="The account's username.")
        parser.add_argument("subject", nargs="?", help="The identity's subject at the provider.")
        parser.add_argument(
            "--unlink",
            action="store_true",
            help="Forget the account's identity instead: its next single sign-on links "
            "again by address (never, for staff and superusers).",
        )

    def handle(self, *args, username: str, subject: str | None, unlink: bool, **options):
        issuer = settings.OIDC_OP_ISSUER
        if not settings.READINESS_OIDC or not issuer:
            raise CommandError("Single sign-on is off here (READINESS_OIDC).")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account with the username {username}.")
        if unlink:
            forgotten = identity_unlink(user=user, issuer=issuer)
            self.stdout.write(
                f"Unlinked {username}." if forgotten else f"{username} was not linked."
            )
            return
        if not subject:
            raise CommandError("Give the identity's subject, or --unlink.")
        try:
            identity_link(user=user, issuer=issuer, subject=subject)
        except AssessmentError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Linked {username} to subject {subject} at {issuer}.")
