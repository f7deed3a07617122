"""Read a form's fields out of a page, as a browser would submit them (for tests that
post the admin's own forms, inlines and management forms included)."""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name and "disabled" not in attributes:
            kind = attributes.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            if kind not in {"submit", "button", "file", "image", "reset"}:
                self.fields.append(
                    (name, attributes.get("value", "on" if kind == "checkbox" else ""))
                )
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields.append((self._select, attributes.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops one line break right after <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, form_id: str) -> dict[str, str]:
    """The named fields of the form ``form_id`` with the values a browser would send."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return dict(reader.fields)


def form_data(html: str, form_id: str) -> dict[str, list[str]]:
    """Like ``form_fields``, with every value a name is sent with (a group of ticked
    checkboxes sends one value each), as the test client posts lists."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data: dict[str, list[str]] = defaultdict(list)
    for name, value in reader.fields:
        data[name].append(value)
    return dict(data)
