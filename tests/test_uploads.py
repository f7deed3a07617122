"""Request bodies larger than the app takes are refused from their Content-Length, before
anything reads them; uploads the app takes never touch the server's disk."""

from __future__ import annotations

import json

import pytest
from django.core.files import uploadedfile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Questionnaire
from tests.criteria_data import small_document
from tests.test_access import database_fingerprint

pytestmark = pytest.mark.django_db

IMPORT = "admin:assessment_questionnaire_import"


@pytest.fixture
def temporary_uploads(settings, tmp_path, monkeypatch):
    """Where Django would write uploads too large for memory, and every one it starts."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    started = []
    original = uploadedfile.TemporaryUploadedFile.__init__

    def record(self, *args, **kwargs):
        started.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", record)
    return tmp_path, started


def questionnaire_file(size: int) -> SimpleUploadedFile:
    content = json.dumps(small_document()).encode()
    return SimpleUploadedFile("criteria.json", content + b" " * (size - len(content)))


def test_an_oversized_upload_is_refused_unread_and_nothing_is_written(
    client, staff, settings, temporary_uploads
):
    temp_dir, started = temporary_uploads
    client.force_login(staff)
    before = database_fingerprint()

    response = client.post(
        reverse(IMPORT), {"file": questionnaire_file(settings.READINESS_MAX_REQUEST_BYTES + 1)}
    )

    assert response.status_code == 413
    assert "this site takes at most 2.1\xa0MB" in response.content.decode()
    assert database_fingerprint() == before
    assert not Questionnaire.objects.exists()
    assert started == []
    assert list(temp_dir.iterdir()) == []


def test_the_size_is_judged_from_the_header_before_the_body_is_read(client, staff):
    client.force_login(staff)

    # The client's payload refuses to give more than the 10 bytes it holds: had anything
    # tried to read the 100 MB the header announces, the request would fail.
    response = client.generic(
        "POST",
        reverse(IMPORT),
        b"file=12345",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(100 * 1024 * 1024),
    )

    assert response.status_code == 413


@pytest.mark.parametrize("url_name", ["login", "password_change", "assessment:answer_save"])
def test_every_route_refuses_an_oversized_body(client, member, url_name, settings):
    client.force_login(member)
    url = reverse(url_name, args=[1]) if url_name.startswith("assessment:") else reverse(url_name)

    response = client.post(url, {"file": questionnaire_file(3 * 1024 * 1024)})

    assert response.status_code == 413


def test_a_file_just_over_the_import_limit_stays_in_memory_and_is_refused(
    client, staff, settings, temporary_uploads
):
    temp_dir, started = temporary_uploads
    client.force_login(staff)

    response = client.post(
        reverse(IMPORT), {"file": questionnaire_file(settings.READINESS_MAX_IMPORT_BYTES + 1)}
    )

    assert response.status_code == 400
    assert "a questionnaire file can be at most 2.0\xa0MB" in response.content.decode()
    assert not Questionnaire.objects.exists()
    assert started == []
    assert list(temp_dir.iterdir()) == []


def test_the_import_form_says_the_limit(client, staff):
    client.force_login(staff)

    response = client.get(reverse(IMPORT))

    assert "At most 2.0\xa0MB; a larger file is refused unread." in response.content.decode()
