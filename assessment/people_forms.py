"""Forms for people: addresses pasted or uploaded as CSV, teams, roles, an invitation's
account, mail preferences. They read and check what was sent; the services decide."""

from __future__ import annotations

import csv
import io
import re

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .models import Membership, NotificationPreference
from .people import PersonEntry

MAX_PEOPLE = 200
MAX_CSV_BYTES = 100 * 1024
MAX_EMAIL_LENGTH = 150  # an invited address becomes a username
NAMED_ADDRESS = re.compile(r"^\s*\"?(?P<name>[^<>\"]*?)\"?\s*<(?P<email>[^<>]+)>\s*$")
SEPARATORS = re.compile(r"[\s,;]+")


class Helped:
    """Crispy forms without their own <form> tag: the template holds it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def _entry(email: str, name: str = "") -> PersonEntry:
    email = email.strip().strip("<>").lower()
    if len(email) > MAX_EMAIL_LENGTH:
        raise ValidationError(f"{email[:40]}…: at most {MAX_EMAIL_LENGTH} characters.")
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(f"“{email[:80]}” is not an email address.") from error
    return PersonEntry(email=email, name=" ".join(name.split())[:150])


def entries_from_text(text: str) -> tuple[list[PersonEntry], list[str]]:
    """Addresses as people paste them: one or many per line, separated by commas, spaces
    or semicolons; ``Name <address>``; or ``name, address`` lines copied from a sheet."""
    entries, problems = [], []
    for line in text.splitlines():
        if not line.strip():
            continue
        if named := NAMED_ADDRESS.match(line):
            candidates = [(named["email"], named["name"])]
        else:
            cells = [cell.strip() for cell in line.split(",")]
            if len(cells) == 2 and "@" not in cells[0] and "@" in cells[1]:
                candidates = [(cells[1], cells[0])]
            else:
                candidates = [(token, "") for token in SEPARATORS.split(line) if token]
        for email, name in candidates:
            try:
                entries.append(_entry(email, name))
            except ValidationError as error:
                problems.extend(error.messages)
    return entries, problems


def entries_from_csv(upload) -> tuple[list[PersonEntry], list[str]]:
    """A CSV of name and email (a header row is allowed)."""
    if upload.size > MAX_CSV_BYTES:
        return [], [f"The CSV file is over {MAX_CSV_BYTES // 1024} KB."]
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], ["The CSV file is not UTF-8 text."]
    entries, problems = [], []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if number == 1 and not any("@" in cell for cell in cells):
            continue  # a header
        if len(cells) != 2:
            problems.append(f"Line {number}: expected two columns, name and email.")
            continue
        try:
            entries.append(_entry(cells[1], cells[0]))
        except ValidationError as error:
            problems.extend(f"Line {number}: {message}" for message in error.messages)
    return entries, problems


class PeopleAddForm(Helped, forms.Form):
    addresses = forms.CharField(
        label="Email addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        help_text="One or many: separated by commas or lines, or pasted as “name, email” "
        "lines. Someone already in the organization is added at once; anyone else gets an "
        "invitation by mail and joins by accepting it.",
    )
    csv_file = forms.FileField(
        label="Or a CSV file of name and email",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)

    def clean(self) -> dict:
        cleaned = super().clean()
        entries, problems = entries_from_text(cleaned.get("addresses") or "")
        if upload := cleaned.get("csv_file"):
            more, more_problems = entries_from_csv(upload)
            entries, problems = entries + more, problems + more_problems
        if problems:
            shown = problems[:10]
            if len(problems) > 10:
                shown.append(f"… and {len(problems) - 10} more.")
            raise ValidationError(["Nobody was added. " + shown[0], *shown[1:]])
        if not entries:
            raise ValidationError("Give at least one email address.")
        if len(entries) > MAX_PEOPLE:
            raise ValidationError(f"At most {MAX_PEOPLE} people at a time.")
        cleaned["people"] = entries
        return cleaned


class TeamForm(Helped, forms.Form):
    name = forms.CharField(max_length=200, label="Team name")
    managers = forms.CharField(
        label="Managers' email addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}),
        help_text="Optional. Each is added as a manager if already in the organization, or "
        "invited.",
    )

    def clean_managers(self) -> list[PersonEntry]:
        entries, problems = entries_from_text(self.cleaned_data["managers"])
        if problems:
            raise ValidationError(problems[:10])
        return entries


class TeamRenameForm(Helped, forms.Form):
    name = forms.CharField(max_length=200, label="New name")


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class InvitationAcceptForm(Helped, forms.Form):
    first_name = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="The same password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            user = get_user_model()(
                username=self.email,
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, user)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PreferencesForm(Helped, forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["reminders"]
        labels = {"reminders": "Remind me by mail when a round I have not submitted is due"}
        help_texts = {
            "reminders": "Mail about a round opening or closing, and invitations, still comes."
        }
