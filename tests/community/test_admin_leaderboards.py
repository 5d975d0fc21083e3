"""The admin of tasks, datasets, methods, claimed results and paper code (issue 14): lists, search,
filters, autocomplete; a change to a result's ranking direction is recorded as a moderator's field
edit, which a later import leaves alone; ordinary members have no access."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from community.models import FieldEdit
from community.services.field_edits import protected_fields
from tests.community import factories as f
from tests.community import factories_leaderboards as lf
from tests.community.moderation_helpers import form_post_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["task", "dataset", "method", "result", "papercode"])
def test_lists_search_and_filter_for_staff(client, staff_user, model):
    task, dataset = lf.leaderboard(width=2)
    lf.MethodFactory(name="Dropout")
    lf.PaperCodeFactory()
    client.force_login(staff_user)
    url = reverse(f"admin:community_{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "net"}).status_code == 200
    assert client.get(reverse(f"admin:community_{model}_add")).status_code == 200


def test_autocomplete_finds_tasks_by_name(client, staff_user):
    lf.TaskFactory(name="Semantic Segmentation")
    client.force_login(staff_user)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "segment", "app_label": "community", "model_name": "dataset", "field_name": "tasks"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Semantic Segmentation"]


def test_overriding_a_results_direction_is_a_protected_field_edit(client, staff_user):
    result = lf.ResultFactory(metric="Zorblax", paper=f.PaperFactory())
    client.force_login(staff_user)
    url = reverse("admin:community_result_change", args=[result.pk])
    form = client.get(url).context["adminform"].form
    data = form_post_data(form)  # what a browser sends back: JSON lists as the text in their boxes
    data.update(higher_is_better="false")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    result.refresh_from_db()
    assert result.higher_is_better is False
    assert "higher_is_better" in protected_fields(type(result), [result.pk])[result.pk]
    edited = FieldEdit.objects.filter(
        content_type=ContentType.objects.get_for_model(result), object_id=result.pk
    )
    # Only the field the moderator changed is theirs: the untouched lists stay the importer's.
    assert set(edited.values_list("field", flat=True)) == {"higher_is_better"}
    assert edited.get().edited_by == staff_user


def test_members_cannot_open_the_admin(member_client):
    response = member_client.get(reverse("admin:community_result_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]
