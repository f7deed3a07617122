"""Fragment keys change with the code that draws the fragment, not only with its data."""

from __future__ import annotations

from assessment.views.caching import code_digest, release


def test_a_change_to_any_module_or_template_is_a_new_release(settings, tmp_path):
    for folder in ("assessment/reports", "templates/assessment"):
        (tmp_path / folder).mkdir(parents=True)
    chart = tmp_path / "assessment/reports/charts.py"
    chart.write_text("WIDTH = 360\n")
    (tmp_path / "templates/assessment/report.html").write_text("<h1>Report</h1>\n")
    (tmp_path / "assessment/notes.txt").write_text("not code")
    settings.BASE_DIR = tmp_path
    code_digest.cache_clear()
    try:
        before = release()
        (tmp_path / "assessment/notes.txt").write_text("still not code")
        code_digest.cache_clear()
        assert release() == before
        chart.write_text("WIDTH = 390\n")
        code_digest.cache_clear()
        assert release() != before
    finally:
        code_digest.cache_clear()
