"""Fixtures and builders shared by the accounts, submission and moderation tests.

The fixtures (member, moderator and their logged-in clients) are in tests/community/conftest.py.
`VALID_POSTS[kind]()` builds the POST data of a valid submit form of each kind (creating the
published items it links), `ITEM_MODEL[kind]` says which model it creates.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from community import models as catalogue
from community.permissions import MODERATORS_GROUP
from tests.community import factories as f


def make_user(username: str, *, moderator: bool = False, staff: bool = False, email: str | None = None):
    user = get_user_model().objects.create_user(
        username, email if email is not None else f"{username}@example.org", f"pw-{username}-123456"
    )
    if staff:
        user.is_staff = True
        user.save()
    if moderator:
        user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return user


def deadline_management(total: int = 4, prefix: str = "deadlines") -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "12",
    }


def empty_deadline_rows(start: int, total: int = 4) -> dict:
    # What a browser sends for the rows left alone: the time zone input carries its initial "AoE".
    return {f"deadlines-{i}-timezone_label": "AoE" for i in range(start, total)}


def _paper():
    topic = f.TopicFactory()
    return {
        "title": "Attention Is All You Need Again",
        "authors": "Ada Lovelace\nAlan Turing\n",
        "year": "2017",
        "abstract": "We propose the Transformer.",
        "arxiv_id": "arXiv:2501.00001v2",
        "doi": "",
        "topics": [str(topic.pk)],
    }


def _project():
    return {
        "name": "tinygrad-again",
        "kind": "library",
        "repository_url": "https://github.com/Example/TinyGradAgain.git",
        "description": "A small autograd library.",
        "organization": str(f.OrganizationFactory().pk),
    }


def _conference():
    venue = f.VenueFactory(kind=catalogue.Venue.Kind.CONFERENCE)
    return {
        "venue": str(venue.pk),
        "year": "2031",
        "start_date": "2031-12-01",
        "end_date": "2031-12-07",
        "city": "Lisbon",
        "country": "Portugal",
        **deadline_management(),
        "deadlines-0-kind": "paper",
        "deadlines-0-due_local": "2031-05-15T23:59",
        "deadlines-0-timezone_label": "AoE",
        "deadlines-1-kind": "abstract",
        "deadlines-1-due_local": "2031-05-08T12:00",
        "deadlines-1-timezone_label": "UTC+8",
        **empty_deadline_rows(2),
    }


def _journal():
    return {
        "name": "Journal of Tiny Networks",
        "full_name": "The Journal of Tiny Networks",
        "publisher": "Open Press",
        "website": "https://jtn.example.org",
        "description": "Small models.",
    }


def _job():
    return {
        "title": "Research engineer, compilers",
        "organization": str(f.OrganizationFactory().pk),
        "kind": "full_time",
        "description": "Make kernels fast.",
        "location": "Zurich",
        "apply_url": "https://jobs.example.org/compilers",
        "posted_on": "2030-01-10",
        "closes_on": "2030-03-01",
    }


def _funding():
    return {
        "title": "Compute grant for open models",
        "funder": str(f.OrganizationFactory(kind=catalogue.Organization.Kind.GOVERNMENT).pk),
        "kind": "compute",
        "description": "GPU hours.",
        "deadline_local": "2030-03-01T17:00",
        "deadline_timezone": "UTC-5",
        "amount_min": "1000",
        "amount_max": "5000",
        "currency": "USD",
        "url": "https://funder.example.org/compute",
    }


def _channel():
    return {
        "name": "Tiny ML forum",
        "kind": "forum",
        "url": "https://forum.example.org/tiny",
        "description": "Talk.",
    }


def _organization():
    return {
        "name": "Lab of Small Things",
        "kind": "research_lab",
        "country": "Kenya",
        "website": "https://small.example.org",
    }


def _person():
    return {
        "name": "Grace Hopper-Example",
        "affiliation": str(f.OrganizationFactory().pk),
        "homepage": "https://grace.example.org",
        "orcid": "0000-0002-1825-0097",
        "bio": "Compilers.",
    }


def _guide():
    # A guide's title, summary and body have one box per language; this one is written in English.
    return {
        "title_en": "Backpropagation from scratch",
        "summary_en": "The chain rule, step by step.",
        "body_en": "# Chain rule\n\nFor $y = f(g(x))$ we have $y' = f'(g(x)) g'(x)$.\n",
    }


VALID_POSTS = {
    "paper": _paper,
    "project": _project,
    "conference": _conference,
    "journal": _journal,
    "job": _job,
    "funding": _funding,
    "channel": _channel,
    "organization": _organization,
    "person": _person,
    "guide": _guide,
}

ITEM_MODEL = {
    "paper": catalogue.Paper,
    "project": catalogue.Project,
    "conference": catalogue.Edition,
    "journal": catalogue.Venue,
    "job": catalogue.JobPosting,
    "funding": catalogue.FundingOpportunity,
    "channel": catalogue.Channel,
    "organization": catalogue.Organization,
    "person": catalogue.Person,
    "guide": catalogue.Guide,
}

# The field each kind's title or name is in, for finding it on a page.
TITLE_FIELD = {
    "paper": "title",
    "project": "name",
    "conference": "city",
    "journal": "name",
    "job": "title",
    "funding": "title",
    "channel": "name",
    "organization": "name",
    "person": "name",
    "guide": "title",
}


def submit_url(kind: str) -> str:
    return reverse("community:submit-kind", kwargs={"kind": kind})


def review_url(item) -> str:
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(item)
    return reverse("community:moderation-item", kwargs={"content_type_id": content_type.pk, "pk": item.pk})


def decide(client, item, decision: str, reason: str = ""):
    """POST a moderator's decision on a pending item the way the queue's form does."""
    from django.contrib.contenttypes.models import ContentType

    prefix = f"i{ContentType.objects.get_for_model(item).pk}-{item.pk}"
    return client.post(review_url(item), {f"{prefix}-decision": decision, f"{prefix}-reason": reason})


def form_post_data(form) -> dict:
    """What a browser sends back for `form` unchanged: every field's current value as text."""
    data = {}
    for field in form:
        value = field.value()
        if field.widget_type == "checkbox":
            if value:
                data[field.html_name] = "on"
            continue
        if value is None:
            value = ""
        if isinstance(value, list | tuple):
            data[field.html_name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[field.html_name] = field.field.widget.format_value(value)
            if data[field.html_name] is None:
                data[field.html_name] = ""
    return data
