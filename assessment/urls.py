from django.urls import path, register_converter

from .views import answering, people, reminders, reports, rounds


class DatabaseId:
    """A row id: ASCII digits, at most 18 of them, so every value fits a 64-bit column.
    Django's ``int`` takes any number of digits, and a longer one reached the database
    (on SQLite, an OverflowError: a 500 instead of a 404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(DatabaseId, "id")

app_name = "assessment"
urlpatterns = [
    path("teams/<id:team_pk>/", rounds.team_detail, name="team_detail"),
    path("teams/<id:team_pk>/rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<id:round_pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<id:round_pk>/close/", rounds.round_close, name="round_close"),
    path("rounds/<id:round_pk>/respond/", answering.respond, name="respond"),
    path("rounds/<id:round_pk>/respond/save/", answering.answer_save, name="answer_save"),
    path(
        "rounds/<id:round_pk>/respond/sections/<id:practice_pk>/",
        answering.section_save,
        name="section_save",
    ),
    path("rounds/<id:round_pk>/review/", answering.review, name="review"),
    path("rounds/<id:round_pk>/submit/", answering.submit, name="submit"),
    path("rounds/<id:round_pk>/my-answers/", answering.my_answers, name="my_answers"),
    path("rounds/<id:round_pk>/report/", reports.report, name="report"),
    path("rounds/<id:round_pk>/report.csv", reports.report_csv, name="report_csv"),
    path("rounds/<id:round_pk>/answers.csv", reports.answers_csv, name="answers_csv"),
    path("rounds/<id:round_pk>/report.json", reports.report_json, name="report_json"),
    path("rounds/<id:round_pk>/report.pdf", reports.report_pdf, name="report_pdf"),
    path("help/reports/", reports.reading_reports, name="reading_reports"),
    path("organizations/<slug:slug>/", reports.dashboard, name="dashboard"),
    # People (managers and org leads) and teams (org leads)
    path("teams/<id:team_pk>/people/", people.team_people, name="people"),
    path("teams/<id:team_pk>/people/add/", people.people_add, name="people_add"),
    path(
        "teams/<id:team_pk>/people/<id:membership_pk>/role/",
        people.membership_role,
        name="membership_role",
    ),
    path(
        "teams/<id:team_pk>/people/<id:membership_pk>/remove/",
        people.membership_remove,
        name="membership_remove",
    ),
    path(
        "teams/<id:team_pk>/invitations/<id:invitation_pk>/resend/",
        people.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "teams/<id:team_pk>/invitations/<id:invitation_pk>/revoke/",
        people.invitation_revoke,
        name="invitation_revoke",
    ),
    path("teams/<id:team_pk>/rename/", people.team_rename, name="team_rename"),
    path("rounds/<id:round_pk>/remind/", reminders.round_remind, name="round_remind"),
    path("organizations/<slug:slug>/teams/", people.organization_teams, name="organization_teams"),
    path("organizations/<slug:slug>/changes/", people.people_changes, name="people_changes"),
]
