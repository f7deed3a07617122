"""Changing one's password, with guesses of the current password throttled."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from ..accounts import ThrottledPasswordChangeForm, password_change_succeeded


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; once the current password has been guessed wrong too often, the
    form answers 429 (Too Many Requests) with the reason, and checks nothing."""

    form_class = ThrottledPasswordChangeForm

    def form_valid(self, form):
        password_change_succeeded(self.request.user)
        return super().form_valid(form)

    def form_invalid(self, form):
        status = 429 if form.refused_as_locked else 200
        return self.render_to_response(self.get_context_data(form=form), status=status)
