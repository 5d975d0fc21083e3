"""A field a moderator set by hand (admin change form, approved edit suggestion) is left alone by a
later import of that field, whichever import it is; the import's report names each field it kept."""

import datetime as dt
import textwrap

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Deadline, Edition, FieldEdit, Paper, Venue
from community.services.field_edits import field_edits_record
from community.services.imports import Outcome, bibtex_import, deadlines_import, protected_fields
from community.services.moderation import edit_suggestion_approve
from community.services.submissions import edit_suggest
from tests.community import factories as f

CONFERENCE = """\
- title: EMNLP
  description: Conference on Empirical Methods in Natural Language Processing
  sub: AI
  rank:
    ccf: B
    core: A*
    thcpl: A
  dblp: emnlp
  confs:
    - year: 2031
      id: emnlp31
      link: https://2031.emnlp.org/
      timeline:
        - deadline: '2031-05-19 23:59:59'
      timezone: UTC-12
      date: November 5-9, 2031
      place: Suzhou, China
"""


def _form_data(form) -> dict:
    """What the admin's change form posts back unchanged (a split date and time as its two parts)."""
    data = {}
    for bound in form:
        value, widget = bound.value(), bound.field.widget
        if hasattr(widget, "widgets"):
            parts = widget.decompress(value) if not isinstance(value, list) else value
            data.update({f"{bound.html_name}_{i}": part or "" for i, part in enumerate(parts)})
        elif isinstance(value, list):
            data[bound.html_name] = value
        else:
            data[bound.html_name] = "" if value is None else value
    return data


def _import(text: str = CONFERENCE, source: str = "conference/AI/emnlp.yml"):
    return deadlines_import(text=textwrap.dedent(text), source=source)


@pytest.mark.django_db
def test_a_rank_edited_in_the_admin_stays_and_the_report_names_it(client, staff_user):
    _import()
    venue = Venue.objects.get(name="EMNLP")
    client.force_login(staff_user)
    page = client.get(f"/admin/community/venue/{venue.pk}/change/")
    form = page.context["adminform"].form
    data = {**_form_data(form), "ccf_rank": "A"}
    for prefix in ("editions", "deadlines"):
        formset = next(s for s in page.context["inline_admin_formsets"] if s.formset.prefix == prefix).formset
        management = formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
        for inline in formset.forms:
            data.update(_form_data(inline))
    response = client.post(f"/admin/community/venue/{venue.pk}/change/", data)
    assert response.status_code == 302, [s.formset.errors for s in response.context["inline_admin_formsets"]]
    assert protected_fields(Venue, [venue.pk]) == {venue.pk: {"ccf_rank"}}

    report = _import(CONFERENCE.replace("core: A*", "core: A"))
    venue.refresh_from_db()
    assert (venue.ccf_rank, venue.core_rank) == (
        "A",
        "A",
    )  # the moderator's rank; the tracker's new CORE rank
    assert [name for _record, name in report.kept] == ["venue.ccf_rank"]
    venue_line = next(r for r in report.results if r.kept)
    assert any("ccf_rank" in note and "moderator" in note for note in venue_line.notes)


@pytest.mark.django_db
def test_a_deadline_moved_in_the_admin_is_not_moved_back_by_the_next_sync(client, staff_user):
    _import()
    deadline = Deadline.objects.get(edition__external_id="emnlp31")
    client.force_login(staff_user)
    moved = dt.datetime(2031, 5, 26, 11, 59, 59, tzinfo=dt.UTC)
    response = client.post(
        f"/admin/community/deadline/{deadline.pk}/change/",
        {
            "venue": deadline.venue_id,
            "edition": deadline.edition_id,
            "kind": deadline.kind,
            "label": deadline.label,
            "due_at_0": "2031-05-26",
            "due_at_1": "11:59:59",
            "timezone_label": deadline.timezone_label,
            "note": "extended by a week",
        },
    )
    assert response.status_code == 302
    assert FieldEdit.objects.filter(object_id=deadline.pk).values_list("field", flat=True).count() >= 1

    report = _import()
    deadline.refresh_from_db()
    assert deadline.due_at == moved
    assert report.results[-1].outcome == Outcome.UNCHANGED
    assert [name for _record, name in report.kept] == ["deadline.due_at"]


@pytest.mark.django_db
def test_an_approved_edit_suggestion_protects_its_fields_from_a_bibtex_import(moderator, member):
    paper = f.PaperFactory(
        title="Attention Is All You Need", year=2017, doi="10.1000/attention", pages="1-11"
    )
    suggestion = edit_suggest(item=paper, changes={"pages": "5998-6008"}, user=member)
    edit_suggestion_approve(suggestion=suggestion, moderator=moderator)
    edit = FieldEdit.objects.get(object_id=paper.pk, content_type=ContentType.objects.get_for_model(Paper))
    assert (edit.field, edit.edited_by) == ("pages", moderator)

    report = bibtex_import(
        text="@inproceedings{v, title={Attention Is All You Need}, year={2017}, doi={10.1000/attention},"
        " pages={1--11}, volume={30}}"
    )
    paper.refresh_from_db()
    assert (paper.pages, paper.volume) == ("5998-6008", "30")
    assert report.results[0].outcome == Outcome.UPDATED
    assert report.results[0].kept == ["paper.pages"]


@pytest.mark.django_db
def test_an_import_giving_the_moderators_value_names_nothing(moderator):
    _import()
    venue = Venue.objects.get(name="EMNLP")
    field_edits_record(item=venue, fields=["ccf_rank", "description_zh_hans"], user=moderator)
    assert protected_fields(Venue, [venue.pk]) == {venue.pk: {"ccf_rank", "description"}}
    report = _import()
    assert report.kept == []
    assert {r.outcome for r in report.results} == {Outcome.UNCHANGED}


@pytest.mark.django_db
def test_protected_fields_is_one_query_for_a_batch(moderator):
    editions = [f.EditionFactory(year=2000 + i) for i in range(5)]
    for edition in editions:
        field_edits_record(item=edition, fields=["city"], user=moderator)
    field_edits_record(item=editions[0], fields=["city", "country"], user=moderator)
    with CaptureQueriesContext(connection) as queries:
        found = protected_fields(Edition, [e.pk for e in editions[:3]])
    assert len(queries) <= 1  # the content type is cached
    assert found == {editions[0].pk: {"city", "country"}, editions[1].pk: {"city"}, editions[2].pk: {"city"}}
    assert FieldEdit.objects.filter(object_id=editions[0].pk, field="city").count() == 1  # moved, not doubled
