from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from assessment.criteria.crosswalk import crosswalk_markdown
from assessment.criteria.document import DEFAULT_QUESTIONNAIRE, parse_document

CROSSWALK = Path(settings.BASE_DIR) / "docs" / "crosswalk.md"


class Command(BaseCommand):
    help = "Write docs/crosswalk.md: every question of the default questionnaire and its traces."

    def handle(self, *args, **options) -> None:
        data = parse_document(DEFAULT_QUESTIONNAIRE.read_bytes())
        CROSSWALK.write_text(crosswalk_markdown(data))
        self.stdout.write(f"Wrote {CROSSWALK.relative_to(settings.BASE_DIR)}.")
