"""Account pages: sign up (with e-mail confirmation), log in and out, password reset and change, the
profile page with the person's own contributions, account deletion, and the privacy page.

Log-in, log-out and the password pages are Django's own views with this site's templates.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from community.forms.accounts import AccountDeleteForm, LoginForm, ResendVerificationForm, SignupForm
from community.permissions import is_moderator
from community.selectors.moderation import contributions_of
from community.services import accounts as services
from community.services.rate_limits import (
    RateLimited,
    password_reset_rate_check,
    password_reset_rate_hit,
    signup_rate_check,
    signup_rate_hit,
)
from community.views.submit import apply_errors


def _mail_form_page(request: HttpRequest, form_class, template: str, send) -> HttpResponse:
    """The sign-up and resend pages: a form whose valid POST mails the address a link. Over the
    network's hourly sign-up limit a POST gets a 429 with how long to wait; otherwise `send(data)` runs
    (its ValidationError lands on the form), counts against the limit, and the "check your mail" page
    follows."""
    context: dict = {"section": "account"}
    status = 200
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            signup_rate_check(request)
        except RateLimited as exc:
            context["rate_limited"] = _(
                "Too many sign-ups from your network in the last hour; please wait %(minutes)s minutes."
            ) % {"minutes": exc.wait_minutes}
            status = 429
        else:
            if form.is_valid():
                try:
                    send(form.cleaned_data)
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    signup_rate_hit(request)
                    return render(request, "accounts/signup_done.html", {"email": form.cleaned_data["email"]})
    context["form"] = form
    return render(request, template, context, status=status)


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    return _mail_form_page(
        request,
        SignupForm,
        "accounts/signup.html",
        lambda data: services.account_signup(
            username=data["username"], email=data["email"], password=data["password1"]
        ),
    )


@never_cache
def verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link from the confirmation mail. It activates the account but does not log in: a mail
    scanner opening links must not end up holding a session."""
    user = services.account_verify(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/verify_failed.html", {"form": ResendVerificationForm()}, status=400)
    messages.success(request, _("Your e-mail address is confirmed. Welcome! You can log in now."))
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    # The same answer whether or not the address has an account waiting.
    return _mail_form_page(
        request,
        ResendVerificationForm,
        "accounts/resend.html",
        lambda data: services.account_verification_resend(email=data["email"]),
    )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"section": "account"}


def locked_out(request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None):
    """django-axes' answer to a log-in attempt (this site's or the admin's) while the username or the
    client IP is locked out after too many failures (AXES_LOCKOUT_CALLABLE): 429, with what to do."""
    context = {"section": "account", "minutes": settings.AXES_COOLOFF_MINUTES}
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


class LogoutView(auth_views.LogoutView):
    # POST only (Django's LogoutView refuses GET): a link or an image cannot log anyone out.
    template_name = "accounts/logged_out.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Each request may send a mail: limited per address and per client IP, whether or not the
        # address has an account (so the answer still tells nobody who has one).
        email = form.cleaned_data["email"]
        try:
            password_reset_rate_check(self.request, email=email)
        except RateLimited as exc:
            context = self.get_context_data(form=form)
            context["rate_limited"] = _(
                "Too many password-reset requests for this address or from your network; no mail was "
                "sent. Please wait %(minutes)s minutes and try again, and check your spam folder for "
                "the mails already sent."
            ) % {"minutes": exc.wait_minutes}
            return self.render_to_response(context, status=429)
        password_reset_rate_hit(self.request, email=email)
        # Links in the mail use SITE_URL, never the request's Host header.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordSetMixin:
    """A view whose valid form gives the user a new password: that revokes their API tokens
    (`account_password_changed`); `password_set` says so to the user where the page wants to."""

    def form_valid(self, form):
        response = super().form_valid(form)
        self.password_set(tokens_revoked=services.account_password_changed(user=form.user))
        return response

    def password_set(self, *, tokens_revoked: bool) -> None:
        pass


class PasswordResetConfirmView(PasswordSetMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(PasswordSetMixin, auth_views.PasswordChangeView):
    # Django's view keeps this session (update_session_auth_hash); every other one ends.
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def password_set(self, *, tokens_revoked: bool) -> None:
        if tokens_revoked:
            messages.success(
                self.request,
                _(
                    "Your password was changed. Your API tokens were revoked: create new ones for your "
                    "scripts."
                ),
            )
        else:
            messages.success(self.request, _("Your password was changed."))


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    context = {
        **contributions_of(request.user),
        "is_moderator": is_moderator(request.user),
        "section": "account",
    }
    return render(request, "accounts/profile.html", context)


@login_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        return render(request, "accounts/deleted.html")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/delete.html", {"form": form, "section": "account"}, status=status)


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "community/privacy.html", {"section": "privacy"})
