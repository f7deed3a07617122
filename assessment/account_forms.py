"""Signing in and changing a password: the forms, and the throttle on guessing the current
password when changing it.

Sign-in is throttled by django-axes (settings ``AXES_*``). A password change checks the
current password without authenticating, so axes never sees it: its failures are counted
here, per user, in Django's cache (``throttle``, shared by every app server), under the
same limits.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UsernameField

from . import throttle

USERNAME_MAX_LENGTH = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length


def username_field() -> UsernameField:
    # Django's AuthenticationForm sets the field's max_length only after creating it, so no
    # validator checks it and any length reaches authentication, and with it django-axes,
    # whose 255-character username column PostgreSQL then refuses (a 500). Declared here,
    # the limit is a validation error before anything is authenticated or recorded.
    return UsernameField(
        max_length=USERNAME_MAX_LENGTH, widget=forms.TextInput(attrs={"autofocus": True})
    )


class SignInForm(AuthenticationForm):
    username = username_field()


class AdminSignInForm(AdminAuthenticationForm):
    username = username_field()


# Password change ----------------------------------------------------------------------------


def password_change_locked(user) -> bool:
    """Whether the user has used up their guesses of the current password for now."""
    return throttle.failures_exceeded(scope="password-change", key=str(user.pk))


def password_change_failed(user) -> None:
    """Count a wrong current password. The count lives for one cool-off from the first
    failure, so a sixth guess waits out the rest of that cool-off."""
    throttle.failure_recorded(scope="password-change", key=str(user.pk))


def password_change_succeeded(user) -> None:
    throttle.failures_forgotten(scope="password-change", key=str(user.pk))


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change form; after ``AXES_FAILURE_LIMIT`` wrong current passwords
    within ``AXES_COOLOFF_TIME``, the current password is not even checked."""

    locked_message = (
        "Too many wrong current passwords: password change is paused for this account for "
        "up to {minutes} minutes. Your password has not changed."
    )

    refused_as_locked = False

    def clean_old_password(self) -> str:
        if password_change_locked(self.user):
            self.refused_as_locked = True
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            raise forms.ValidationError(self.locked_message.format(minutes=minutes))
        try:
            return super().clean_old_password()
        except forms.ValidationError:
            password_change_failed(self.user)
            raise
