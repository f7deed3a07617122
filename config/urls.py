from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from assessment.account_forms import AdminSignInForm, SignInForm
from assessment.views.accounts import PasswordChangeView
from assessment.views.home import home

admin.site.site_header = "Readiness administration"
admin.site.site_title = "Readiness admin"
admin.site.index_title = "Criteria, comparison, organizations and people"
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("", home, name="home"),
    path("comparisons/", include("comparisons.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/", include("assessment.account_urls")),
    path("", include("assessment.urls")),
    path("admin/", admin.site.urls),
]
