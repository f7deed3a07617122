"""Backup and restore as docs/deployment.md describes: dump, migrate an empty database,
load, and every closed round's report is byte-identical."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from assessment.models import AssessmentRound
from assessment.rounds import round_close
from tests.answering import SMALL_ALL, answer_and_submit
from tests.factories import MembershipFactory

ROOT = Path(__file__).resolve().parents[1]


def manage(*args: str, database: Path) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environment.update(
        DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="config.settings_test"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return result.stdout


@pytest.mark.django_db
def test_dump_migrate_load_gives_byte_identical_closed_reports(team, open_round, tmp_path):
    for _ in range(3):
        answer_and_submit(open_round, MembershipFactory(team=team).user, SMALL_ALL)
    round_close(assessment_round=open_round)
    closed = list(AssessmentRound.objects.filter(status="closed").values_list("pk", flat=True))
    before = {}
    for pk in closed:
        out = StringIO()
        call_command("export_report", str(pk), stdout=out)
        before[pk] = out.getvalue()
    dump = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        "--exclude=contenttypes",
        "--exclude=auth.permission",
        "--exclude=sessions",
        "--exclude=admin.logentry",
        f"--output={dump}",
    )
    restored = tmp_path / "restored.sqlite3"

    manage("migrate", "--no-input", database=restored)
    manage("loaddata", str(dump), database=restored)

    for pk in closed:
        assert manage("export_report", str(pk), database=restored) == before[pk]


@pytest.mark.django_db
def test_export_report_refuses_an_open_round_with_a_message(open_round):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is open: its report exists once it closes"):
        call_command("export_report", str(open_round.pk), stdout=StringIO())
