"""Bad input is a 400 or a 404 with a page that says what was wrong, never a 500; unpublished items
are nowhere to be seen."""

import pytest
from django.urls import reverse

from community.models import ModerationStatus
from tests.community import factories as f
from tests.community.pages import DETAIL_OF_LIST, DETAIL_PAGES, LIST_PAGES, TEXT_FIELDS

BAD_PARAMS = [
    {"page": "abc"},
    {"page": "99999"},
    {"page": "0"},
    {"page": "-1"},
    {"page": "1.5"},
    {"page": "9" * 40},
    {"year": "notayear"},
    {"year": "99999999999999999999"},
    {"ordering": "password"},
    {"ordering": "-created_by__password"},
    {"topic": "nope"},
    {"topic": "a\x00b"},  # PostgreSQL refuses NUL in a query parameter: must be caught before
    {"venue": "\x00"},
    {"parent": "\x00"},
    {"language": "\x00"},
    {"venue": "nope"},
    {"kind": "nope"},
    {"remote": "maybe"},
    {"open": "x"},
    {"funder": "nope"},
    {"tz": "Mars/Base"},
    {"tz": "../../etc/passwd"},
    {"q": "x" * 1000},
    {"q": "nul\x00byte"},
    {"q": "%"},
    {"language": "Klingon"},
]


def _param_id(params):
    key, value = next(iter(params.items()))
    return f"{key}={value[:12]!r}"


@pytest.mark.django_db
@pytest.mark.parametrize("params", BAD_PARAMS, ids=_param_id)
@pytest.mark.parametrize("url_name", sorted(LIST_PAGES))
def test_bad_list_parameters_are_a_400_404_or_ignored_never_a_500(client, url_name, params):
    LIST_PAGES[url_name]()
    response = client.get(reverse(url_name), params)
    assert response.status_code in (200, 400, 404), response.status_code
    if response.status_code == 400:
        # The 400 page names the problem so the reader can fix the address.
        assert b'class="problems"' in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name, params, field",
    [
        ("community:paper-list", {"year": "notayear"}, b"Year"),
        ("community:paper-list", {"ordering": "password"}, b"Sort by"),
        ("community:paper-list", {"topic": "nope"}, b"Topic"),
        ("community:job-list", {"kind": "nope"}, b"Kind"),
        ("community:person-list", {"page": "abc"}, b"Page"),
        ("community:search", {"q": "x" * 1000}, b"Search for"),
    ],
)
def test_a_bad_value_gets_a_400_page_naming_the_field(client, url_name, params, field):
    response = client.get(reverse(url_name), params)
    assert response.status_code == 400
    assert field in response.content
    assert [t.name for t in response.templates][0] == "400.html"


@pytest.mark.django_db
def test_a_page_past_the_end_is_a_404(client):
    f.PaperFactory()
    assert client.get(reverse("community:paper-list"), {"page": "2"}).status_code == 404
    assert client.get(reverse("community:paper-list"), {"page": "1"}).status_code == 200
    assert client.get(reverse("community:paper-list"), {"page": "last"}).status_code == 200


@pytest.mark.django_db
def test_an_unknown_time_zone_is_ignored_with_a_message(client):
    f.linked_deadline()
    response = client.get(reverse("community:deadline-list"), {"tz": "Mars/Base"})
    assert response.status_code == 200
    assert response.context["reader_tz"].key == "UTC"
    assert "Mars/Base" in response.content.decode()
    assert "is not a time zone this site knows" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(DETAIL_PAGES))
def test_unknown_slug_is_404(client, url_name):
    response = client.get(reverse(url_name, kwargs={"slug": "no-such-thing"}))
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ModerationStatus.PENDING, ModerationStatus.REJECTED])
@pytest.mark.parametrize("url_name", sorted(DETAIL_OF_LIST))
def test_unpublished_items_are_404_and_absent_from_lists_and_search(client, url_name, status):
    name = "Zanzibar marker"
    item = LIST_PAGES[url_name](status=status, **{TEXT_FIELDS[url_name][0]: name})
    twin = LIST_PAGES[url_name](**{TEXT_FIELDS[url_name][0]: name + " published"})
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.get(twin.get_absolute_url()).status_code == 200
    listing = client.get(reverse(url_name))
    assert listing.status_code == 200
    assert twin in list(listing.context["items"])
    assert item not in list(listing.context["items"])
    assert item.get_absolute_url() not in listing.content.decode()
    search = client.get(reverse("community:search"), {"q": name})
    found = [found for section in search.context["sections"] for found in section.items]
    assert twin in found
    assert item not in found


@pytest.mark.django_db
def test_deadlines_of_unpublished_venues_and_editions_are_hidden(client):
    hidden_venue = f.DeadlineFactory(
        venue=f.VenueFactory(status=ModerationStatus.PENDING), label="venue-hidden"
    )
    hidden_edition = f.DeadlineFactory(
        edition=f.EditionFactory(status=ModerationStatus.PENDING), label="ed-hidden"
    )
    shown = f.DeadlineFactory(label="shown-deadline")
    for path in (reverse("community:deadline-list"), reverse("community:home")):
        content = client.get(path).content.decode()
        assert shown.label in content
        assert hidden_venue.label not in content
        assert hidden_edition.label not in content


@pytest.mark.django_db
def test_related_items_on_detail_pages_are_published_only(client):
    paper = f.fully_linked_paper()
    hidden_person = f.PersonFactory(status=ModerationStatus.PENDING, name="Hidden Author")
    f.AuthorshipFactory(paper=paper, person=hidden_person, position=9)
    paper.topics.add(f.TopicFactory(status=ModerationStatus.PENDING, name="Hidden Topic"))
    paper.projects.add(f.ProjectFactory(status=ModerationStatus.PENDING, name="Hidden Project"))
    paper.venue.status = ModerationStatus.PENDING
    paper.venue.save()
    content = client.get(paper.get_absolute_url()).content.decode()
    for hidden in ("Hidden Author", "Hidden Topic", "Hidden Project", paper.venue.name):
        assert hidden not in content
    # and the other way round: the hidden person's page is a 404, the paper not listed anywhere public
    assert client.get(hidden_person.get_absolute_url()).status_code == 404

    org = f.linked_organization()
    f.PersonFactory(affiliation=org, status=ModerationStatus.PENDING, name="Hidden Member")
    f.JobPostingFactory(organization=org, status=ModerationStatus.REJECTED, title="Hidden Job")
    content = client.get(org.get_absolute_url()).content.decode()
    assert "Hidden Member" not in content and "Hidden Job" not in content

    topic = f.linked_topic()
    f.GuideFactory(status=ModerationStatus.PENDING, title="Hidden Guide").topics.add(topic)
    f.TopicFactory(parent=topic, status=ModerationStatus.PENDING, name="Hidden Child")
    content = client.get(topic.get_absolute_url()).content.decode()
    assert "Hidden Guide" not in content and "Hidden Child" not in content


@pytest.mark.django_db
def test_a_job_of_an_unpublished_organization_does_not_link_to_it(client):
    job = f.JobPostingFactory(organization=f.OrganizationFactory(status=ModerationStatus.PENDING))
    content = client.get(job.get_absolute_url()).content.decode()
    assert job.organization.get_absolute_url() not in content
