from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.criteria.document import CriteriaError
from assessment.criteria.lifecycle import questionnaire_import_file


class Command(BaseCommand):
    help = (
        "Import a questionnaire version from a JSON file (docs/questionnaire-format.md). "
        "All or nothing: on any problem nothing is written and every problem is listed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Keep the imported version as a draft to edit in the admin, not published.",
        )

    def handle(self, *args, file: Path, draft: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            result = questionnaire_import_file(path=file, publish=not draft)
        except CriteriaError as error:
            count = len(error.problems)
            lines = [f"{file}: {count} problem{'s' if count != 1 else ''}, nothing imported:"]
            lines += [f"  {problem}" for problem in error.problems]
            raise CommandError("\n".join(lines)) from error
        self.stdout.write(self.style.SUCCESS(result.message))
