"""Signing in: the forms, which refuse what django-axes could not record."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UsernameField

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
