"""Merging two people or two organisations: every link moves to the one kept, shared papers keep one
author row, the removed one is deleted, and the history says so."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from community.models import (
    Authorship,
    ChangeRecord,
    EditSuggestion,
    FundingOpportunity,
    JobPosting,
    Organization,
    Person,
    Project,
    Report,
)
from community.services.merge import organization_merge, person_merge
from tests.community import factories as f


@pytest.mark.django_db
def test_person_merge_moves_authorships_and_keeps_one_row_where_both_were_authors(moderator, member):
    keep = f.PersonFactory(name="Yann LeCun", homepage="", orcid="")
    remove = f.PersonFactory(
        name="Y. LeCun", homepage="https://yann.example.org", orcid="0000-0001-0000-0001"
    )
    shared = f.PaperFactory(title="Shared")
    f.AuthorshipFactory(paper=shared, person=keep, position=0)
    f.AuthorshipFactory(paper=shared, person=remove, position=1)
    only_removed = f.PaperFactory(title="Only the removed one")
    f.AuthorshipFactory(paper=only_removed, person=remove, position=0)
    person_type = ContentType.objects.get_for_model(Person)
    EditSuggestion.objects.create(content_type=person_type, object_id=remove.pk, changes={"bio": "x"})
    Report.objects.create(content_type=person_type, object_id=remove.pk, reason="duplicate")

    kept = person_merge(keep=keep, remove=remove, moderator=moderator)

    assert not Person.objects.filter(pk=remove.pk).exists()
    assert list(Authorship.objects.filter(paper=shared).values_list("person_id", "position")) == [
        (keep.pk, 0)
    ]
    assert Authorship.objects.get(paper=only_removed).person == keep
    assert kept.homepage == "https://yann.example.org" and kept.orcid == "0000-0001-0000-0001"
    assert kept.name == "Yann LeCun"
    assert EditSuggestion.objects.get().object_id == keep.pk
    assert Report.objects.get().object_id == keep.pk
    record = ChangeRecord.objects.get(action="merged", object_id=keep.pk, content_type=person_type)
    assert record.user == moderator and "Y. LeCun" in record.note
    assert record.changes["homepage"] == ["", "https://yann.example.org"]


@pytest.mark.django_db
def test_organization_merge_moves_every_link(moderator):
    keep = f.OrganizationFactory(name="Google DeepMind", country="")
    remove = f.OrganizationFactory(name="DeepMind", country="United Kingdom")
    person = f.PersonFactory(affiliation=remove)
    project = f.ProjectFactory(organization=remove)
    job = f.JobPostingFactory(organization=remove)
    funding = f.FundingOpportunityFactory(funder=remove)
    guide_both, guide_removed = f.GuideFactory(), f.GuideFactory()
    guide_both.organizations.add(keep, remove)
    guide_removed.organizations.add(remove)
    topic = f.TopicFactory()
    remove.topics.add(topic)

    organization_merge(keep=keep, remove=remove, moderator=moderator)

    assert not Organization.objects.filter(pk=remove.pk).exists()
    assert Person.objects.get(pk=person.pk).affiliation == keep
    assert Project.objects.get(pk=project.pk).organization == keep
    assert JobPosting.objects.get(pk=job.pk).organization == keep
    assert FundingOpportunity.objects.get(pk=funding.pk).funder == keep
    assert list(guide_both.organizations.all()) == [keep]
    assert list(guide_removed.organizations.all()) == [keep]
    assert list(keep.topics.all()) == [topic]
    keep.refresh_from_db()
    assert keep.country == "United Kingdom"


@pytest.mark.django_db
def test_merging_a_published_item_into_a_pending_one_publishes_it(moderator):
    keep = f.PersonFactory(status="pending")
    remove = f.PersonFactory()
    assert person_merge(keep=keep, remove=remove, moderator=moderator).status == "published"


@pytest.mark.django_db
def test_an_item_cannot_be_merged_with_itself_or_another_kind(moderator):
    person = f.PersonFactory()
    with pytest.raises(ValidationError):
        person_merge(keep=person, remove=person, moderator=moderator)
    with pytest.raises(ValidationError):
        person_merge(keep=person, remove=f.OrganizationFactory(), moderator=moderator)
    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_the_merge_page_merges_by_slug(moderator_client):
    keep = f.PersonFactory(slug="ada-lovelace")
    remove = f.PersonFactory(slug="a-lovelace")
    url = reverse("community:moderation-merge", args=["person"])
    page = moderator_client.get(url + "?remove=a-lovelace").content.decode()
    assert 'value="a-lovelace"' in page
    response = moderator_client.post(url, {"keep": "ada-lovelace", "remove": "a-lovelace"})
    assert response.status_code == 400  # the confirmation box was not ticked
    assert Person.objects.filter(pk=remove.pk).exists()
    response = moderator_client.post(url, {"keep": "ada-lovelace", "remove": "nobody", "confirm": "on"})
    assert (
        response.status_code == 400 and "Nothing (not rejected) has this slug." in response.content.decode()
    )
    response = moderator_client.post(url, {"keep": "ada-lovelace", "remove": "a-lovelace", "confirm": "on"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=remove.pk).exists()
    assert Person.objects.filter(pk=keep.pk).exists()


@pytest.mark.django_db
def test_only_people_and_organisations_can_be_merged(moderator_client, member_client):
    assert moderator_client.get(reverse("community:moderation-merge", args=["paper"])).status_code == 404
    assert member_client.get(reverse("community:moderation-merge", args=["person"])).status_code == 403
