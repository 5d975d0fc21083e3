"""Who may do what, for every write of the API and every page and action of the training admin.

Six roles: anonymous, an ordinary user, a moderator (the Moderators group), staff without any
permission, staff holding exactly the permission(s) the operation needs, and a superuser. The
expected answer of each (role, operation) is written down below, by hand: it is the site's promise
(SECURITY.md), not something read from the code under test. The training rows are the issue's:
starting and re-running a sweep need training.add_sweep, cancelling and publishing
training.change_sweep, in the API as in the admin.

The tables must list every write: the first tests enumerate the unsafe routes of the API (from the
URL conf and from the OpenAPI schema) and the training admin's pages and actions, and fail when one
is missing here, so a new write cannot ship without a row saying who may use it.

Beyond the status, each case checks the database: a refused request changes nothing, an allowed
write changes something (a submission, a decision, a sweep).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from unittest import mock

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, resolve, reverse
from rest_framework.permissions import SAFE_METHODS
from rest_framework.test import APIClient

from alerts.models import Follow, SavedSearch
from alerts.services.calendar import calendar_token_create
from community.permissions import MODERATORS_GROUP
from community.services import submissions
from tests.community import factories as f
from tests.training.factories import BenchmarkFactory, SweepFactory, TrainingRunFactory, finished_sweep
from training.models import Benchmark, Sweep, TrainingRun

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "user", "moderator", "staff", "staff_with_permission", "superuser")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def _row(anonymous, user, moderator, staff, staff_with_permission, superuser) -> dict[str, object]:
    return dict(
        zip(ROLES, (anonymous, user, moderator, staff, staff_with_permission, superuser), strict=True)
    )


# --- roles -------------------------------------------------------------------------------------------


def _person(role: str, permissions: tuple[str, ...]):
    """The account of `role`; staff_with_permission gets exactly `permissions` ("app.codename")."""
    users = get_user_model().objects
    if role == "anonymous":
        return None
    if role == "superuser":
        return users.create_superuser("root", "root@example.org", "pw-root-123456")
    person = users.create_user(role, f"{role}@example.org", f"pw-{role}-123456")
    if role == "moderator":
        person.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    if role in ("staff", "staff_with_permission"):
        person.is_staff = True
        person.save(update_fields=["is_staff"])
    if role == "staff_with_permission":
        for name in permissions:
            app_label, codename = name.split(".")
            person.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return users.get(pk=person.pk)  # a fresh instance: permissions are cached on the object


def _state() -> list:
    """What a write could change: every row of the three apps by primary key, with its status, state
    and published flags (an approval or a publish changes no count). One plain query a model (the
    base manager: no default filter, no translated queryset), taken twice by each of the matrix's
    cases: a count and a list a model made this the larger part of the matrix's time."""
    snapshot = []
    for app in ("community", "training", "alerts"):
        for model in apps.get_app_config(app).get_models():
            names = {f.name for f in model._meta.concrete_fields}
            flags = [name for name in ("status", "state", "published", "cancel_requested") if name in names]
            snapshot.append((model.__name__, list(model._base_manager.order_by("pk").values_list("pk", *flags))))
    return snapshot


@pytest.fixture(autouse=True)
def _no_enqueue():
    # Runs are never trained here; whether a sweep was started is read from the database.
    with mock.patch("training.tasks.execute_runs.apply_async") as patched:
        yield patched


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # Six roles x every write: the throttles are tested elsewhere (tests/api/test_errors.py and co).
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]),
    }


# --- the API: every unsafe route -----------------------------------------------------------------------

SUBMIT = _row(401, 202, 202, 202, 202, 202)  # anyone signed in submits; it waits for a moderator
MODERATE = _row(401, 403, 200, 200, 200, 200)  # moderators and staff decide (community/permissions.py)
START_SWEEP = _row(401, 403, 403, 403, 201, 201)  # training.add_sweep
OWN_CREATE = _row(401, 201, 201, 201, 201, 201)  # a signed-in user's own follows, searches, calendar
OWN_DELETE = _row(401, 204, 204, 204, 204, 204)  # (someone else's answer 404: tests/alerts/test_api.py)
CHANGE_SWEEP = _row(401, 403, 403, 403, 200, 200)  # training.change_sweep


@dataclass(frozen=True)
class ApiWrite:
    expected: dict[str, object]
    arrange: Callable[[], tuple[dict, dict]]  # -> (URL kwargs, JSON body)
    permissions: tuple[str, ...] = ()


def _create(payload: dict, **needs) -> Callable[[], tuple[dict, dict]]:
    def arrange():
        for factory in needs.values():
            factory()
        return {}, dict(payload)

    return arrange


def _on_item(factory, body: dict) -> Callable[[], tuple[dict, dict]]:
    def arrange():
        return {"slug": factory().slug}, dict(body)

    return arrange


# Per catalogue type: its factory, a valid new item (POST), and a field an edit changes (PATCH).
CATALOGUE = {
    "paper": (
        f.PaperFactory,
        {
            "title": "Deep residual learning",
            "year": 2016,
            "authors": ["Kaiming He"],
            "arxiv_id": "1512.03385",
        },
        "title",
        {},
    ),
    "person": (f.PersonFactory, {"name": "Ada Lovelace", "orcid": "0000-0002-1825-0097"}, "name", {}),
    "organization": (f.OrganizationFactory, {"name": "Mila", "kind": "research_lab"}, "name", {}),
    "project": (
        f.ProjectFactory,
        {"name": "tinygrad", "kind": "library", "repository_url": "https://github.com/tinygrad/tinygrad"},
        "name",
        {},
    ),
    "venue": (f.VenueFactory, {"name": "TMLR", "full_name": "Transactions on ML Research"}, "name", {}),
    "job": (
        f.JobPostingFactory,
        {
            "title": "Engineer",
            "organization": "mila",
            "kind": "full_time",
            "apply_url": "https://mila.quebec/j",
        },
        "title",
        {"org": lambda: f.OrganizationFactory(slug="mila")},
    ),
    "funding": (
        f.FundingOpportunityFactory,
        {
            "title": "Compute grant",
            "funder": "mila",
            "kind": "compute",
            "url": "https://mila.quebec/grant",
            "deadline_local": "2030-05-15T23:59",
            "deadline_timezone": "AoE",
        },
        "title",
        {"org": lambda: f.OrganizationFactory(slug="mila")},
    ),
    "channel": (
        f.ChannelFactory,
        {"name": "r/MachineLearning", "kind": "forum", "url": "https://reddit.com/r/ml"},
        "name",
        {},
    ),
    "guide": (f.GuideFactory, {"title": "Reading papers", "body": "Start with the abstract."}, "title", {}),
    "topic": (f.TopicFactory, {"name": "Diffusion models"}, "name", {}),
}


def _put(kind: str) -> Callable[[], tuple[dict, dict]]:
    factory, payload, _name, needs = CATALOGUE[kind]

    def arrange():
        for make in needs.values():
            make()
        return {"slug": factory().slug}, dict(payload)

    return arrange


def _pending_entry(body: dict) -> Callable[[], tuple[dict, dict]]:
    def arrange():
        author = get_user_model().objects.create_user("author", "author@example.org", "pw-author-123456")
        paper = submissions.paper_submit(
            data={"title": "Dropout", "year": 2014, "authors": ["N. Srivastava"]}, user=author
        )
        return {"entry": f"paper-{paper.pk}"}, dict(body)

    return arrange


def _start_sweep():
    return {}, {"benchmark": BenchmarkFactory().slug, "seed_count": 1, "device": "cpu"}


def _unfinished_sweep():
    sweep = SweepFactory(seeds=[0])
    TrainingRunFactory(sweep=sweep, seed=0)
    return {"pk": sweep.pk}, {}


def _finished_unpublished_sweep():
    return {"pk": finished_sweep(published=False).pk}, {"published": True}


def _owner():
    """The person of the role being tested (made just before the case is arranged), or, for an
    anonymous visitor, someone else."""
    return get_user_model().objects.order_by("-pk").first() or f.UserFactory()


def _own(make) -> Callable[[], tuple[dict, dict]]:
    def arrange():
        return make(_owner()), {}

    return arrange


def _follow_body():
    return {}, {"kind": "venue", "slug": f.VenueFactory().slug}


API_WRITES: dict[tuple[str, str], ApiWrite] = {}
for _kind, (_factory, _payload, _field, _needs) in CATALOGUE.items():
    API_WRITES[("POST", f"api:{_kind}-list")] = ApiWrite(SUBMIT, _create(_payload, **_needs))
    API_WRITES[("PUT", f"api:{_kind}-detail")] = ApiWrite(SUBMIT, _put(_kind))
    API_WRITES[("PATCH", f"api:{_kind}-detail")] = ApiWrite(
        SUBMIT, _on_item(_factory, {_field: "A name no item has yet"})
    )
    API_WRITES[("POST", f"api:{_kind}-report")] = ApiWrite(SUBMIT, _on_item(_factory, {"reason": "spam"}))
API_WRITES.update(
    {
        ("POST", "api:venue-editions"): ApiWrite(SUBMIT, _on_item(f.VenueFactory, {"year": 2031})),
        ("POST", "api:moderation-approve"): ApiWrite(MODERATE, _pending_entry({"note": "Fine."})),
        ("POST", "api:moderation-reject"): ApiWrite(MODERATE, _pending_entry({"reason": "Off topic."})),
        ("POST", "api:sweep-list"): ApiWrite(START_SWEEP, _start_sweep, ("training.add_sweep",)),
        ("POST", "api:sweep-cancel"): ApiWrite(CHANGE_SWEEP, _unfinished_sweep, ("training.change_sweep",)),
        ("POST", "api:sweep-publish"): ApiWrite(
            CHANGE_SWEEP, _finished_unpublished_sweep, ("training.change_sweep",)
        ),
        ("POST", "api:follow-list"): ApiWrite(OWN_CREATE, _follow_body),
        ("DELETE", "api:follow-detail"): ApiWrite(
            OWN_DELETE, _own(lambda user: {"pk": Follow.objects.create(user=user, topic=f.TopicFactory()).pk})
        ),
        ("POST", "api:saved-search-list"): ApiWrite(
            OWN_CREATE, lambda: ({}, {"name": "Mine", "address": "/papers/"})
        ),
        ("DELETE", "api:saved-search-detail"): ApiWrite(
            OWN_DELETE,
            _own(lambda user: {"pk": SavedSearch.objects.create(user=user, name="s", path="/papers/").pk}),
        ),
        ("POST", "api:calendar"): ApiWrite(OWN_CREATE, lambda: ({}, {})),
        ("DELETE", "api:calendar"): ApiWrite(
            OWN_DELETE, _own(lambda user: calendar_token_create(user=user) and {})
        ),
    }
)


def _walk(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern


def _unsafe_routes_from_the_url_conf() -> set[tuple[str, str]]:
    from config import api_urls

    found = set()
    for _namespace, pattern in _walk(api_urls.urlpatterns):
        if pattern.name == "not-found":
            continue  # the catch-all that answers 404 in the API's shape to any method
        callback = pattern.callback
        actions = getattr(callback, "actions", None)
        if actions is not None:  # a viewset route: {method: action}
            methods = {m.upper() for m in actions}
        else:  # an APIView or a Django view: the handlers it defines
            view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
            assert view_class is not None, f"{pattern.name}: a function view under /api/; list its methods"
            methods = {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
        found |= {(m, f"api:{pattern.name}") for m in methods - set(SAFE_METHODS)}
    return found


@cache
def _unsafe_operations_from_the_schema() -> frozenset[tuple[str, str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = set()
    for path, operations in schema["paths"].items():
        sample = re.sub(r"\{entry\}", "paper-1", path)
        sample = re.sub(r"\{(id|pk)\}", "1", sample)
        sample = re.sub(r"\{[^}]+\}", "x", sample)
        match = resolve(sample)
        for method in operations:
            if method.upper() in UNSAFE:
                found.add((method.upper(), f"{match.namespace}:{match.url_name}"))
    return frozenset(found)


def test_the_matrix_lists_every_write_route_of_the_api():
    listed = set(API_WRITES)
    assert _unsafe_routes_from_the_url_conf() - listed == set(), "an API write nobody decided who may use"
    assert listed - _unsafe_routes_from_the_url_conf() == set(), "a row for a write that no longer exists"


def test_the_matrix_lists_every_write_operation_of_the_schema():
    assert set(_unsafe_operations_from_the_schema()) == set(API_WRITES)


def _by_role(rows) -> list:
    """One test case per row and role; ``rows`` yields (the row's parameters, its id)."""
    return [pytest.param(*values, role, id=f"{label} as {role}") for values, label in rows for role in ROLES]


def _arranged(case, role: str, log_in):
    """Set up ``case`` for ``role``: its arranged data, the role's person logged in with ``log_in``
    (none for an anonymous visitor), and the database state before the request."""
    person = _person(role, case.permissions)
    arranged = case.arrange()
    if person is not None:
        log_in(person)
    return arranged, _state()


@pytest.mark.parametrize(("method", "url_name", "role"), _by_role((key, " ".join(key)) for key in API_WRITES))
def test_api_write(method, url_name, role):
    write = API_WRITES[(method, url_name)]
    client = APIClient()
    (kwargs, body), before = _arranged(write, role, client.force_authenticate)

    send = getattr(client, method.lower())
    response = send(reverse(url_name, kwargs=kwargs), body, format="json")

    expected = write.expected[role]
    assert response.status_code == expected, response.content[:500]
    if expected in (401, 403):
        error = response.json()["error"]
        assert error["code"] == ("not_authenticated" if expected == 401 else "permission_denied")
        assert error["message"]
        assert _state() == before, "a refused write changed the database"
    else:
        assert _state() != before, "an accepted write changed nothing"


def test_a_refusal_names_the_permission_the_operation_needs():
    # The 403 tells staff what to ask an administrator for.
    kwargs, body = _start_sweep()
    client = APIClient()
    client.force_authenticate(_person("staff", ()))
    response = client.post(reverse("api:sweep-list"), body, format="json")
    assert response.status_code == 403 and "training.add_sweep" in response.json()["error"]["message"]


def test_change_sweep_alone_does_not_start_and_add_sweep_alone_does_not_cancel():
    # Each operation asks for its own permission, not any training permission.
    starter = _person("staff_with_permission", ("training.add_sweep",))
    client = APIClient()
    client.force_authenticate(starter)
    kwargs, _body = _unfinished_sweep()
    assert client.post(reverse("api:sweep-cancel", kwargs=kwargs)).status_code == 403
    assert client.post(reverse("api:sweep-publish", kwargs=kwargs), {}, format="json").status_code == 403

    changer = get_user_model().objects.create_user(
        "changer", "c@example.org", "pw-changer-123456", is_staff=True
    )
    changer.user_permissions.add(
        Permission.objects.get(content_type__app_label="training", codename="change_sweep")
    )
    client.force_authenticate(get_user_model().objects.get(pk=changer.pk))
    _kwargs, body = _start_sweep()
    assert client.post(reverse("api:sweep-list"), body, format="json").status_code == 403
    assert Sweep.objects.count() == 1


def test_a_user_holding_the_permission_without_staff_status_is_refused():
    # As in the admin (which only lets staff in), the permission alone is not enough.
    person = get_user_model().objects.create_user("outsider", "o@example.org", "pw-outsider-123456")
    person.user_permissions.add(
        Permission.objects.get(content_type__app_label="training", codename="add_sweep")
    )
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(pk=person.pk))
    _kwargs, body = _start_sweep()
    assert client.post(reverse("api:sweep-list"), body, format="json").status_code == 403
    assert not Sweep.objects.exists()


# --- the training admin: every page and action ---------------------------------------------------------

LOGIN = "login"  # 302 to the admin's login page: the admin is for active staff only
OK = "ok"  # allowed: 200 (a page, or a form shown again with its errors) or 302 (done, back to a list)

VIEW = _row(LOGIN, LOGIN, LOGIN, 403, OK, OK)
NOBODY = _row(LOGIN, LOGIN, LOGIN, 403, 403, 403)  # sweeps and runs are never added by hand


@dataclass(frozen=True)
class AdminCase:
    method: str
    expected: dict[str, object]
    permissions: tuple[str, ...]
    arrange: Callable[[], tuple[list, dict]]  # -> (URL args, POST data)
    writes: bool = False  # an allowed request changes the database
    url_name: str = field(default="")


def _nothing():
    return [], {}


def _one(factory):
    def arrange():
        return [factory().pk], {}

    return arrange


def _sweep_with_a_run():
    sweep = SweepFactory(seeds=[0])
    TrainingRunFactory(sweep=sweep, seed=0)
    return sweep


def _delete(factory):
    def arrange():
        return [factory().pk], {"post": "yes"}

    return arrange


def _delete_selected(model_name: str, factory, *also: str) -> AdminCase:
    """The changelist's bulk delete: staff with the view and delete permissions (and ``also``: what
    the deletion cascades to), and it deletes."""
    return AdminCase(
        "POST",
        VIEW,
        (T + f"view_{model_name}", T + f"delete_{model_name}", *also),
        _action("delete_selected", factory, confirm=True),
        writes=True,
    )


def _action(name: str, factory, *, confirm: bool = False):
    def arrange():
        data = {"action": name, "_selected_action": [factory().pk]}
        if confirm:
            data["post"] = "yes"  # delete_selected's confirmation page, answered
        return [], data

    return arrange


def _start_page():
    return [], {"benchmarks": [BenchmarkFactory().pk], "seeds": 2, "device": "cpu"}


def _run():
    return TrainingRunFactory(sweep=SweepFactory(seeds=[0]), seed=0)


def _benchmark_without_sweeps():
    return BenchmarkFactory()


T = "training."
# (url name, action or "") -> case. Pages are requested the way they write: a GET where the page only
# shows (a list, a read-only change page, a history), a POST where it writes (an empty POST to a
# form page is refused or answered with the form's errors: it is the gate that is checked).
ADMIN: dict[tuple[str, str], AdminCase] = {
    # sweeps
    ("training_sweep_start", ""): AdminCase("POST", VIEW, (T + "add_sweep",), _start_page, writes=True),
    ("training_sweep_changelist", ""): AdminCase("GET", VIEW, (T + "view_sweep",), _nothing),
    ("training_sweep_add", ""): AdminCase("GET", NOBODY, (T + "add_sweep",), _nothing),
    ("training_sweep_change", ""): AdminCase("GET", VIEW, (T + "view_sweep",), _one(_sweep_with_a_run)),
    ("training_sweep_history", ""): AdminCase("GET", VIEW, (T + "view_sweep",), _one(_sweep_with_a_run)),
    ("training_sweep_delete", ""): AdminCase(
        "POST", VIEW, (T + "delete_sweep", T + "delete_trainingrun"), _delete(_sweep_with_a_run), writes=True
    ),
    ("training_sweep_changelist", "cancel_sweeps"): AdminCase(
        "POST", VIEW, (T + "change_sweep",), _action("cancel_sweeps", _sweep_with_a_run), writes=True
    ),
    ("training_sweep_changelist", "rerun_sweeps"): AdminCase(
        "POST", VIEW, (T + "add_sweep",), _action("rerun_sweeps", _sweep_with_a_run), writes=True
    ),
    ("training_sweep_changelist", "publish_sweeps"): AdminCase(
        "POST",
        VIEW,
        (T + "change_sweep",),
        _action("publish_sweeps", lambda: finished_sweep(published=False)),
        writes=True,
    ),
    ("training_sweep_changelist", "unpublish_sweeps"): AdminCase(
        "POST", VIEW, (T + "change_sweep",), _action("unpublish_sweeps", finished_sweep), writes=True
    ),
    ("training_sweep_changelist", "delete_selected"): _delete_selected(
        "sweep", _sweep_with_a_run, T + "delete_trainingrun"
    ),
    # runs
    ("training_trainingrun_changelist", ""): AdminCase("GET", VIEW, (T + "view_trainingrun",), _nothing),
    ("training_trainingrun_add", ""): AdminCase("GET", NOBODY, (T + "add_trainingrun",), _nothing),
    ("training_trainingrun_change", ""): AdminCase("GET", VIEW, (T + "view_trainingrun",), _one(_run)),
    ("training_trainingrun_history", ""): AdminCase("GET", VIEW, (T + "view_trainingrun",), _one(_run)),
    ("training_trainingrun_delete", ""): AdminCase(
        "POST", VIEW, (T + "delete_trainingrun",), _delete(_run), writes=True
    ),
    ("training_trainingrun_changelist", "cancel_runs"): AdminCase(
        "POST", VIEW, (T + "change_trainingrun",), _action("cancel_runs", _run), writes=True
    ),
    ("training_trainingrun_changelist", "delete_selected"): _delete_selected("trainingrun", _run),
    # benchmarks
    ("training_benchmark_changelist", ""): AdminCase("GET", VIEW, (T + "view_benchmark",), _nothing),
    ("training_benchmark_add", ""): AdminCase("POST", VIEW, (T + "add_benchmark",), _nothing),
    ("training_benchmark_change", ""): AdminCase(
        "POST", VIEW, (T + "change_benchmark",), _one(_benchmark_without_sweeps)
    ),
    ("training_benchmark_history", ""): AdminCase(
        "GET", VIEW, (T + "view_benchmark",), _one(_benchmark_without_sweeps)
    ),
    ("training_benchmark_delete", ""): AdminCase(
        "POST", VIEW, (T + "delete_benchmark",), _delete(_benchmark_without_sweeps), writes=True
    ),
    ("training_benchmark_changelist", "delete_selected"): _delete_selected(
        "benchmark", _benchmark_without_sweeps
    ),
}


def test_the_matrix_lists_every_page_and_action_of_the_training_admin():
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-123456")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    exposed = set()
    for model in (Benchmark, Sweep, TrainingRun):
        model_admin = admin.site._registry[model]
        exposed |= {(p.name, "") for p in model_admin.get_urls() if p.name}
        changelist = f"training_{model._meta.model_name}_changelist"
        exposed |= {(changelist, name) for name in model_admin.get_actions(request)}
    registered = {m for m in admin.site._registry if m._meta.app_label == "training"}
    assert registered == {Benchmark, Sweep, TrainingRun}, "a new training model in the admin: add its rows"
    assert exposed == set(ADMIN)


@pytest.mark.parametrize(
    ("url_name", "action", "role"),
    _by_role((key, f"{key[0]} {key[1] or case.method}") for key, case in ADMIN.items()),
)
def test_admin(url_name, action, role):
    case = ADMIN[(url_name, action)]
    client = Client()
    (args, data), before = _arranged(case, role, client.force_login)

    url = reverse(f"admin:{url_name}", args=args)
    response = client.post(url, data) if case.method == "POST" else client.get(url)

    expected = case.expected[role]
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    elif expected == OK:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected
    if expected != OK:
        assert _state() == before, "a refused request changed the database"
    elif case.writes:
        assert _state() != before, "an allowed write changed nothing"
