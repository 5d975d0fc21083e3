"""BibTeX downloads: one paper, and any list of papers the paper list's filters select."""

import bibtexparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import ModerationStatus, Paper, Venue
from community.services.exports import paper_bibtex
from community.services.imports import bibtex_import
from community.views import exports as export_views
from tests.community import factories as f


def _entries(body: bytes | str):
    text = body.decode() if isinstance(body, bytes) else body
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library.entries


@pytest.mark.django_db
def test_one_paper_downloads_as_a_bibtex_file(client):
    paper = f.fully_linked_paper(volume="30", pages="5998–6008")
    response = client.get(f"/papers/{paper.slug}/bibtex/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{paper.slug}.bib"'
    (entry,) = _entries(response.content)
    fields = {field.key: field.value for field in entry.fields}
    assert (entry.entry_type, entry.key) == ("inproceedings", paper.slug)
    assert fields["title"] == paper.title
    names = [a.person.name for a in paper.authorships.order_by("position")]
    assert fields["author"] == " and ".join(names)
    assert fields["booktitle"] == paper.venue.full_name
    assert fields["pages"] == "5998--6008"
    assert (fields["doi"], fields["eprint"], fields["archivePrefix"]) == (paper.doi, paper.arxiv_id, "arXiv")
    assert fields["year"] == "2017"


@pytest.mark.django_db
def test_journals_are_articles_and_papers_without_a_venue_misc():
    journal = f.VenueFactory(kind=Venue.Kind.JOURNAL, full_name="Nature")
    article = f.PaperFactory(venue=journal)
    preprint = f.PaperFactory()
    hidden_venue = f.PaperFactory(venue=f.VenueFactory(status=ModerationStatus.PENDING))
    entries = _entries(paper_bibtex([article, preprint, hidden_venue]))
    assert [e.entry_type for e in entries] == ["article", "misc", "misc"]
    assert entries[0].fields_dict["journal"].value == "Nature"


@pytest.mark.django_db
def test_special_characters_are_escaped_and_cannot_break_out_of_a_field():
    paper = f.PaperFactory(
        title="Łukasz & 50% of $x^2$ } @misc{evil, title={pwned} @misc(evil2, title=x)",
        abstract="Line one\n@article{injected,\ntitle={x}}",
    )
    f.AuthorshipFactory(paper=paper, person=f.PersonFactory(name="Jürgen Müller"), position=0)
    text = paper_bibtex(Paper.objects.filter(pk=paper.pk).prefetch_related("authorships__person"))
    entries = _entries(text)
    assert [e.key for e in entries] == [paper.slug]
    assert "{\\L}ukasz \\&" in text and "50\\%" in text and "$x^2$" in text
    assert 'M\\"uller' in text


@pytest.mark.django_db
def test_an_export_imports_back_unchanged():
    paper = f.fully_linked_paper(title="Über & Co: {Deep} nets", abstract="Two\n\nparagraphs, 5% math $a_1$.")
    Paper.objects.filter(pk=paper.pk).update(pages="1–10")
    exported = paper_bibtex(Paper.objects.filter(pk=paper.pk).prefetch_related("authorships__person"))
    report = bibtex_import(text=exported)
    assert report.counts["unchanged"] == 1, report.lines()


@pytest.mark.django_db
def test_a_paper_not_published_is_404(client):
    paper = f.PaperFactory(status=ModerationStatus.PENDING)
    assert client.get(f"/papers/{paper.slug}/bibtex/").status_code == 404


@pytest.mark.django_db
def test_the_list_export_takes_the_list_filters(client):
    topic = f.TopicFactory()
    on_topic = f.PaperFactory(year=2020)
    on_topic.topics.add(topic)
    f.PaperFactory(year=2020)
    f.PaperFactory(status=ModerationStatus.PENDING)
    response = client.get("/papers/bibtex/", {"topic": topic.slug})
    assert response["Content-Disposition"] == 'attachment; filename="papers.bib"'
    assert [e.key for e in _entries(response.content)] == [on_topic.slug]
    assert len(_entries(client.get("/papers/bibtex/").content)) == 2
    assert len(_entries(client.get("/papers/bibtex/", {"q": on_topic.title}).content)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"topic": "nope"}, {"year": "soon"}, {"venue": "nope"}])
def test_bad_filters_are_a_400_text(client, query):
    response = client.get("/papers/bibtex/", query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_too_many_papers_ask_for_narrower_filters(client, monkeypatch):
    monkeypatch.setattr(export_views, "BIBTEX_LIMIT", 1)
    f.PaperFactory.create_batch(2)
    response = client.get("/papers/bibtex/")
    assert response.status_code == 400
    assert "Narrow the filters" in response.content.decode()


@pytest.mark.django_db
def test_the_paper_pages_link_to_the_downloads(client):
    paper = f.fully_linked_paper()
    assert f'href="/papers/{paper.slug}/bibtex/"' in client.get(paper.get_absolute_url()).content.decode()
    page = client.get("/papers/", {"year": "2017", "page": "1"}).content.decode()
    assert 'href="/papers/bibtex/?year=2017"' in page


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_list_export_runs_as_many_queries_for_twenty_papers_as_for_one(client):
    f.fully_linked_paper()
    one = _queries(client, "/papers/bibtex/")
    for _ in range(19):
        f.fully_linked_paper()
    assert _queries(client, "/papers/bibtex/") == one
