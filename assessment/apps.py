from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Assessments"

    def ready(self) -> None:
        from . import lookups

        lookups.register()
