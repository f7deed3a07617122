from django.core.management.base import BaseCommand
from django.utils import timezone

from assessment.reminders import DUE_WITHIN_DAYS, reminders_send_due


class Command(BaseCommand):
    help = (
        f"Remind the members of open rounds due within {DUE_WITHIN_DAYS} days who have not "
        "submitted. Run it daily (cron); each person is reminded at most once a day per "
        "round, so running it twice sends nothing more."
    )

    def handle(self, *args, **options) -> None:
        sent = reminders_send_due(today=timezone.localdate())
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
