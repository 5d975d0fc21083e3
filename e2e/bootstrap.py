"""Accounts and the fault tests' benchmark, created in the e2e database (run through `manage.py shell`).

    main(path) writes {"admin"|"moderator"|"contributor": {"username", "password", "token"}} to `path`.

The accounts: a superuser (staff: starts sweeps, the admin pages), a member of the Moderators group,
and a plain contributor. Each gets an API token, as /account/tokens/ would give them.

`e2e-digits-cnn` is the digits 2-D CNN protocol shortened to 1200 steps: about 15 s per attempt on
one CPU thread, long enough for a kill to land mid-run and short enough to run three times.
"""

import json
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from community.permissions import MODERATORS_GROUP
from community.services.tokens import api_token_create
from training.models import Benchmark
from training.reference.registry import spec

from .stack import FAULT_BENCHMARK, FAULT_STEPS


@transaction.atomic
def main(path: str) -> None:
    User = get_user_model()
    accounts = {}
    for role in ("admin", "moderator", "contributor"):
        password = secrets.token_urlsafe(16)
        user = User(username=f"e2e-{role}", email=f"e2e-{role}@example.org", is_active=True)
        if role == "admin":
            user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        if role == "moderator":
            user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
        _token, key = api_token_create(user=user, name="e2e")
        accounts[role] = {"username": user.username, "password": password, "token": key}

    config = spec(
        {"network": "cnn2d", "dataset": "digits", "train": {"steps": FAULT_STEPS, "eval_every": 100}}
    ).to_dict()
    benchmark = Benchmark(
        slug=FAULT_BENCHMARK,
        name="e2e · digits 2-D CNN, 1200 steps",
        description="The fault tests' run: long enough for a kill to land mid-run.",
        config=config,
        targets=[{"metric": "test_acc", "minimum": 0.5}],
        time_limit_s=300,
    )
    benchmark.full_clean()
    benchmark.save()
    Path(path).write_text(json.dumps(accounts))
