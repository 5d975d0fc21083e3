"""/account/tokens/: a person's API tokens, listed, created and revoked here (the profile page links it).

A person may hold several named tokens (one per script or machine), each expiring API_TOKEN_TTL_DAYS
after it was made. The full key is shown once, in the response to the POST that created it, and
never again (only its hash is stored): afterwards the page shows its first characters, and every
response carries `Cache-Control: no-store` so no cache keeps the key.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from community.selectors.tokens import api_tokens_of
from community.services.tokens import api_token_create, api_token_revoke

SHOWN_PREFIX = 8


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. the script or machine that uses it."),
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    created_key = None
    form = TokenCreateForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            form = TokenCreateForm(request.POST)
            if form.is_valid():
                _token, created_key = api_token_create(user=request.user, name=form.cleaned_data["name"])
                form = TokenCreateForm()
            else:
                status = 400
        elif action == "revoke":
            if api_token_revoke(user=request.user, digest=request.POST.get("token", "")):
                messages.success(request, _("The token was revoked; scripts using it can no longer sign in."))
            else:
                messages.error(request, _("That token does not exist (any more); nothing was revoked."))
            # Post/redirect/get: a reload must not repeat the revocation's message.
            return redirect("community:account-tokens")
        else:
            return render(request, "400.html", {"problems": [_("Unknown action.")]}, status=400)
    context = {
        "tokens": api_tokens_of(request.user),
        "created_key": created_key,
        "shown_prefix": SHOWN_PREFIX,
        "token_ttl_days": settings.API_TOKEN_TTL_DAYS,
        "form": form,
        "section": "account",
    }
    return render(request, "community/tokens.html", context, status=status)
