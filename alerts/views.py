"""/account/follows/ (what a reader follows, their saved searches, calendar secret and mail
settings), the follow buttons' POST target, and the one-click unsubscribe page of every alert mail."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from common.timezones import suggested_zones

from . import selectors
from .forms import AlertSettingsForm, SavedSearchForm
from .services.calendar import calendar_token_create, calendar_token_revoke
from .services.follows import (
    alert_settings_update,
    follow_create,
    follow_delete,
    saved_search_create,
    saved_search_delete,
)
from .services.mail import unsubscribe_payload


def _problems(exc: ValidationError) -> list[str]:
    return exc.messages


@login_required
@require_POST
def follow_toggle(request: HttpRequest) -> HttpResponse:
    """Follow or stop following (action=follow|unfollow) the item of `kind` and `slug`; back to `next`."""
    kind, slug = request.POST.get("kind", ""), request.POST.get("slug", "")
    if request.POST.get("action") == "unfollow":
        follow_delete(user=request.user, kind=kind, slug=slug)
        messages.success(request, _("You no longer follow it."))
    else:
        try:
            follow_create(user=request.user, kind=kind, slug=slug)
        except ValidationError as exc:
            return render(request, "400.html", {"problems": _problems(exc)}, status=400)
        messages.success(request, _("Followed: its deadlines are in your calendar and reminders."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("follows:follows")
    return redirect(target)


def _settings_initial(user) -> dict:
    current = selectors.settings_of(user)
    return {
        "language": current.language,
        "timezone": current.timezone,
        "offsets": current.offsets,
        "reminders_enabled": current.reminders_enabled,
        "digest_enabled": current.digest_enabled,
    }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def follows(request: HttpRequest) -> HttpResponse:
    settings_form = AlertSettingsForm(initial=_settings_initial(request.user))
    search_form = SavedSearchForm()
    calendar_key = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "settings":
            settings_form = AlertSettingsForm(request.POST)
            if settings_form.is_valid():
                alert_settings_update(user=request.user, **settings_form.cleaned_data)
                messages.success(request, _("Your mail settings were saved."))
                return redirect("follows:follows")
            status = 400
        elif action == "search":
            search_form = SavedSearchForm(request.POST)
            if search_form.is_valid():
                try:
                    saved_search_create(user=request.user, **search_form.cleaned_data)
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        search_form.add_error(field if field in search_form.fields else None, errors)
                    status = 400
                else:
                    messages.success(request, _("The search was saved."))
                    return redirect("follows:follows")
            else:
                status = 400
        elif action == "unsave":
            saved_search_delete(user=request.user, pk=_int(request.POST.get("search")))
            return redirect("follows:follows")
        elif action == "unfollow":
            follow_delete(user=request.user, pk=_int(request.POST.get("follow")))
            return redirect("follows:follows")
        elif action == "calendar":
            # Shown once, in this response (only its hash is kept), like an API token.
            calendar_key = calendar_token_create(user=request.user)
        elif action == "revoke-calendar":
            calendar_token_revoke(user=request.user)
            messages.success(
                request, _("Your calendar address was revoked; calendars using it no longer update.")
            )
            return redirect("follows:follows")
        else:
            return render(request, "400.html", {"problems": [_("Unknown action.")]}, status=400)
    context = {
        "follows": selectors.follows_of(request.user),
        "searches": selectors.saved_searches_of(request.user),
        "calendar_token": selectors.calendar_token_of(request.user),
        "calendar_url": calendar_key
        and request.build_absolute_uri(reverse("alerts:calendar", args=[calendar_key])),
        "calendar_key": calendar_key,
        "settings_form": settings_form,
        "search_form": search_form,
        "zone_suggestions": suggested_zones(translation.get_language()),
        "section": "account",
    }
    return render(request, "alerts/follows.html", context, status=status)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@csrf_exempt  # the signed token is the authority; mail programs POST it with no cookie (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with one button (link checkers open links; they must not unsubscribe anyone);
    POST: unsubscribes (the button, or a mail program's one-click POST)."""
    payload = unsubscribe_payload(token)
    user = payload and get_user_model().objects.filter(pk=payload["u"]).first()
    language = (payload or {}).get("l") or translation.get_language()
    with translation.override(language):
        if not user:
            return render(request, "alerts/unsubscribe.html", {"invalid": True}, status=404)
        what = payload["w"]
        done = request.method == "POST"
        if done:
            alert_settings_update(
                user=user,
                reminders_enabled=False if what in ("reminders", "all") else None,
                digest_enabled=False if what in ("digest", "all") else None,
            )
        return render(request, "alerts/unsubscribe.html", {"what": what, "done": done, "email": user.email})
