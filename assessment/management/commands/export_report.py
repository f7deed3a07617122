import json

from django.core.management.base import BaseCommand, CommandError

from assessment.models import AssessmentRound
from assessment.reports.document import round_document


class Command(BaseCommand):
    help = (
        "Write a closed round's report document (docs/report-format.md), its stored "
        "snapshot, as JSON. An open round has no report until it closes."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("round", type=int, help="The round's id.")

    def handle(self, *args, round: int, **options) -> None:
        assessment_round = (
            AssessmentRound.objects.select_related("team__organization", "version__questionnaire")
            .filter(pk=round)
            .first()
        )
        if assessment_round is None:
            raise CommandError(f"No round with id {round}.")
        if assessment_round.is_open:
            raise CommandError(f"Round {round} is open: its report exists once it closes.")
        document = round_document(assessment_round=assessment_round)
        self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
