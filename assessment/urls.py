from django.urls import path

from .views import answering, reports, rounds

app_name = "assessment"
urlpatterns = [
    path("teams/<int:team_pk>/", rounds.team_detail, name="team_detail"),
    path("teams/<int:team_pk>/rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:round_pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:round_pk>/close/", rounds.round_close, name="round_close"),
    path("rounds/<int:round_pk>/respond/", answering.respond, name="respond"),
    path("rounds/<int:round_pk>/respond/save/", answering.answer_save, name="answer_save"),
    path(
        "rounds/<int:round_pk>/respond/sections/<int:practice_pk>/",
        answering.section_save,
        name="section_save",
    ),
    path("rounds/<int:round_pk>/review/", answering.review, name="review"),
    path("rounds/<int:round_pk>/submit/", answering.submit, name="submit"),
    path("rounds/<int:round_pk>/my-answers/", answering.my_answers, name="my_answers"),
    path("rounds/<int:round_pk>/report/", reports.report, name="report"),
    path("rounds/<int:round_pk>/report.csv", reports.report_csv, name="report_csv"),
    path("rounds/<int:round_pk>/answers.csv", reports.answers_csv, name="answers_csv"),
    path("rounds/<int:round_pk>/report.json", reports.report_json, name="report_json"),
    path("organizations/<slug:slug>/", reports.dashboard, name="dashboard"),
]
