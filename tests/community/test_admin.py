"""The admin from the outside: every catalogue model is there for staff, and only for staff."""

import pytest
from django.contrib import admin
from django.urls import reverse

from community import models

CATALOGUE_MODELS = [
    models.Topic,
    models.Organization,
    models.Person,
    models.Paper,
    models.Project,
    models.Venue,
    models.Edition,
    models.Deadline,
    models.JobPosting,
    models.FundingOpportunity,
    models.Channel,
    models.Guide,
]


def _url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.mark.parametrize("model", CATALOGUE_MODELS, ids=lambda m: m.__name__)
def test_every_catalogue_model_is_registered_with_search(model):
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields, f"{model.__name__} admin has no search"


@pytest.mark.django_db
@pytest.mark.parametrize("model", CATALOGUE_MODELS, ids=lambda m: m.__name__)
def test_staff_can_open_list_search_and_add_pages(client, staff_user, model):
    client.force_login(staff_user)
    assert client.get(_url(model, "changelist"), {"q": "<script>x</script>"}).status_code == 200
    assert client.get(_url(model, "add")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", [models.Paper, models.Venue], ids=lambda m: m.__name__)
def test_anonymous_and_plain_users_are_sent_to_login(client, user, model):
    response = client.get(_url(model, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(user)
    response = client.get(_url(model, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_relation_autocomplete_finds_people_for_the_authors_inline(client, staff_user):
    models.Person.objects.create(name="Geoffrey Hinton", slug="geoffrey-hinton", status="published")
    client.force_login(staff_user)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "hinton", "app_label": "community", "model_name": "authorship", "field_name": "person"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Geoffrey Hinton"]


@pytest.mark.django_db
def test_paper_admin_shows_author_and_deadline_inlines(client, staff_user):
    client.force_login(staff_user)
    paper_page = client.get(_url(models.Paper, "add")).content.decode()
    venue_page = client.get(_url(models.Venue, "add")).content.decode()
    assert "authorships-TOTAL_FORMS" in paper_page
    assert "deadlines-TOTAL_FORMS" in venue_page and "editions-TOTAL_FORMS" in venue_page
