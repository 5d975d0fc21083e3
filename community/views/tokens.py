"""/account/tokens/: a person's API token, created and revoked here (the profile page links it).

One token per account (rest_framework.authtoken). Creating replaces the old one, so a leaked token is
dealt with by creating a new one or revoking it. The full key is shown once, in the response to the
POST that created it, and never again: afterwards the page shows only its first characters, and the
response carries `Cache-Control: no-store` so no cache keeps the key.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

SHOWN_PREFIX = 6


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    created_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            with transaction.atomic():
                Token.objects.filter(user=request.user).delete()
                created_key = Token.objects.create(user=request.user).key
        elif action == "revoke":
            deleted, _rows = Token.objects.filter(user=request.user).delete()
            if deleted:
                messages.success(
                    request, _("Your token was revoked; scripts using it can no longer sign in.")
                )
            # Post/redirect/get: a reload must not repeat the revocation's message.
            return redirect("community:account-tokens")
        else:
            return render(request, "400.html", {"problems": [_("Unknown action.")]}, status=400)
    token = Token.objects.filter(user=request.user).first()
    context = {
        "token": token,
        "created_key": created_key,
        "prefix": token.key[:SHOWN_PREFIX] if token else "",
        "section": "account",
    }
    return render(request, "community/tokens.html", context)
