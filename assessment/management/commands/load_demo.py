from django.conf import settings
from django.core.management.base import BaseCommand

from assessment.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo organization (idempotent) and print the demo logins."

    def handle(self, *args, **options) -> None:
        people = demo_load()
        self.stdout.write(self.style.SUCCESS("Demo organization ready: Northwind Analytics."))
        self.stdout.write(
            f"Sign in at {settings.READINESS_BASE_URL}/ with password {DEMO_PASSWORD!r}:"
        )
        for person in people:
            teams = ", ".join((*person.manages, *person.member_of)) or "all teams"
            self.stdout.write(f"  {person.username:<8} {person.role:<14} {teams}")
        self.stdout.write(
            "Mail is printed on this console: above, the demo's first load invited two people "
            "(their links work). Invite more from a team's People page as marcus or priya."
        )
