from django.core.management.base import BaseCommand, CommandError

from assessment.criteria.document import version_export
from assessment.models import QuestionnaireVersion


class Command(BaseCommand):
    help = "Write a questionnaire version as JSON (the import format) to standard output."

    def add_arguments(self, parser) -> None:
        # `--version N` picks the questionnaire version, replacing Django's `--version`.
        parser.conflict_handler = parser._optionals.conflict_handler = "resolve"
        parser.add_argument("slug")
        parser.add_argument(
            "--version",
            dest="number",
            type=int,
            help="Version number (default: the latest published one).",
        )

    def handle(self, *args, slug: str, number: int | None, **options) -> None:
        versions = QuestionnaireVersion.objects.filter(questionnaire__slug=slug).select_related(
            "questionnaire"
        )
        if number is not None:
            version = versions.filter(number=number).first()
        else:
            version = versions.exclude(status="draft").order_by("-number").first()
        if version is None:
            which = f"version {number}" if number is not None else "a published version"
            raise CommandError(f"Questionnaire {slug!r} has no {which}.")
        self.stdout.write(version_export(version=version), ending="")
