"""Routes of a person's own account, outside the assessment namespace (Django's password
reset views and mozilla-django-oidc look them up by these names)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import accounts, sso

urlpatterns = [
    path("preferences/", accounts.preferences, name="preferences"),
    path("invitations/<str:token>/", accounts.invitation_accept, name="invitation_accept"),
    path(
        "password/reset/",
        accounts.reset_view(accounts.PasswordResetView),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        accounts.reset_view(auth_views.PasswordResetDoneView),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.reset_view(auth_views.PasswordResetConfirmView),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        accounts.reset_view(auth_views.PasswordResetCompleteView),
        name="password_reset_complete",
    ),
    path("sso/start/", sso.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("sso/callback/", sso.CallbackView.as_view(), name="oidc_authentication_callback"),
]
