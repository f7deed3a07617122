from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("teams/<int:team_pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:team_pk>/rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:round_pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:round_pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:round_pk>/respond/", views.respond, name="respond"),
    path("rounds/<int:round_pk>/respond/save/", views.answer_save, name="answer_save"),
    path(
        "rounds/<int:round_pk>/respond/sections/<int:practice_pk>/",
        views.section_save,
        name="section_save",
    ),
    path("rounds/<int:round_pk>/review/", views.review, name="review"),
    path("rounds/<int:round_pk>/submit/", views.submit, name="submit"),
    path("rounds/<int:round_pk>/my-answers/", views.my_answers, name="my_answers"),
    path("rounds/<int:round_pk>/report/", views.report, name="report"),
    path("rounds/<int:round_pk>/report.csv", views.report_csv, name="report_csv"),
    path("rounds/<int:round_pk>/answers.csv", views.answers_csv, name="answers_csv"),
    path("rounds/<int:round_pk>/report.json", views.report_json, name="report_json"),
    path("organizations/<slug:slug>/", views.dashboard, name="dashboard"),
]
