"""Writing paper records (from BibTeX or arXiv): matched by DOI, arXiv id, then title and year;
authors matched to people by name, venues by short or full name."""

from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from community.identifiers import normalize_title
from community.importers import PaperRecord, ParseFailure
from community.models import Authorship, Edition, ModerationStatus, Paper, Person, Venue
from community.services.similar import similar_papers_refresh_later
from community.services.slugs import base_slug

from .report import Outcome, RecordError, RecordResult
from .writer import REJECTED, Writer, web_address


class PaperWriter(Writer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._venues: dict[str, Venue | None] = {}  # the text a record names its venue by -> the venue
        # normalised name -> person pks, oldest first; built on first use (one query per import).
        self._people: dict[str, list[int]] | None = None
        self._people_added: list[tuple[str, int]] = []  # this record's new people, until it commits

    def _record_started(self) -> None:
        self._people_added = []

    def _record_committed(self) -> None:
        # Only people whose record committed stay matchable; a rolled-back one no longer exists.
        if self._people is not None:
            for key, pk in self._people_added:
                self._people[key].append(pk)

    def papers(self, records: list[PaperRecord | ParseFailure]) -> None:
        for record in records:
            self._one(record, self._paper)
        written = (Outcome.CREATED, Outcome.UPDATED)
        if self.status == ModerationStatus.PUBLISHED and any(
            r.outcome in written for r in self.report.results
        ):
            # Published at once, so their similar papers are recomputed (on a worker, after commit).
            similar_papers_refresh_later()

    # --- papers ----------------------------------------------------------------------------------

    def _paper(self, record: PaperRecord, result: RecordResult) -> None:
        paper = self._find_paper(record)
        created = paper is None
        values: dict[str, Any] = {"title": record.title, "year": record.year}
        for name in ("abstract", "arxiv_id", "doi", "volume", "issue", "pages"):
            if getattr(record, name):
                values[name] = getattr(record, name)
        for name in ("url", "pdf_url"):
            if web_address(getattr(record, name), name, result):
                values[name] = getattr(record, name)
        venue = self._venue_for_paper(record.venue_name)
        if venue is not None:
            values["venue"] = venue
            edition = Edition.objects.filter(venue=venue, year=record.year).first()
            if edition is not None:
                values["edition"] = edition
            elif paper is not None and paper.edition_id and paper.edition.venue_id != venue.pk:
                values["edition"] = None
        elif record.venue_name:
            result.notes.append(
                gettext("no venue in the catalogue is called “%(venue)s”: imported without a venue")
                % {"venue": record.venue_name}
            )

        if created:
            paper = self._new(Paper, record.title)
        changes = self._save(paper, values, created=created)
        if record.authors and not created and "authors" in self._protected_for(paper):
            names = [a.person.name for a in paper.authorships.select_related("person")]
            if names != list(record.authors):
                self._kept(paper, ["authors"])
        elif record.authors:
            before = [] if created else [a.person.name for a in paper.authorships.select_related("person")]
            people = self._people_for(record.authors, result)
            if created or [a.person_id for a in paper.authorships.all()] != [p.pk for p in people]:
                # Positions are unique per paper, so reordering in place would collide: replace the list.
                paper.authorships.all().delete()
                for position, person in enumerate(people):
                    authorship = Authorship(paper=paper, person=person, position=position)
                    authorship.full_clean()
                    authorship.save()
                changes["authors"] = [before, [p.name for p in people]]
        result.title, result.item = str(paper), paper
        if self._outcome(result, created=created, changed=bool(changes)):
            self._history(paper, changes, ref=record.ref)

    def _find_paper(self, record: PaperRecord) -> Paper | None:
        matches: dict[int, Paper] = {}
        for name in ("doi", "arxiv_id"):
            value = getattr(record, name)
            if value:
                found = Paper.objects.filter(**{name: value}).first()
                if found is not None:
                    matches[found.pk] = found
        if len(matches) > 1:
            first, second = matches.values()
            raise RecordError(
                gettext(
                    "its DOI matches “%(first)s” but its arXiv id matches “%(second)s”; merge those two papers first."
                )
                % {"first": first, "second": second}
            )
        paper = next(iter(matches.values()), None)
        if paper is None:
            paper = self._find_by_title(record)
        if paper is not None and paper.status == REJECTED:
            raise RecordError(
                gettext("it matches “%(paper)s”, which moderators rejected; not imported.") % {"paper": paper}
            )
        return paper

    def _find_by_title(self, record: PaperRecord) -> Paper | None:
        wanted = normalize_title(record.title)
        candidates = (
            Paper.objects.filter(year=record.year).order_by("pk").only("pk", "title", "doi", "arxiv_id")
        )
        for candidate in candidates:
            if normalize_title(candidate.title) != wanted:
                continue
            # Same title, another identifier: another paper that happens to share the title.
            if any(getattr(record, n) and getattr(candidate, n) for n in ("doi", "arxiv_id")):
                continue
            return Paper.objects.get(pk=candidate.pk)
        return None

    def _venue_for_paper(self, text: str) -> Venue | None:
        """The venue a booktitle or journal names: by short or full name, case-insensitively, also
        without "Proceedings of (the)" or as the abbreviation in trailing parentheses."""
        if not text:
            return None
        if text not in self._venues:
            candidates = [text]
            stripped = text
            for prefix in ("proceedings of the ", "proceedings of "):
                if stripped.lower().startswith(prefix):
                    stripped = stripped[len(prefix) :]
                    candidates.append(stripped)
            if stripped.endswith(")") and "(" in stripped:
                head, _, abbreviation = stripped[:-1].rpartition("(")
                candidates += [abbreviation.strip(), head.strip()]
            venue = None
            for candidate in filter(None, candidates):
                venue = (
                    Venue.objects.exclude(status=REJECTED)
                    .filter(Q(name__iexact=candidate) | Q(full_name__iexact=candidate))
                    .order_by("pk")
                    .first()
                )
                if venue is not None:
                    break
            self._venues[text] = venue
        return self._venues[text]

    def _people_for(self, names: tuple[str, ...], result: RecordResult) -> list[Person]:
        """A person per author name: an existing one with the same normalised name, else a new one.

        Two authors of one paper with the same name are two people: the second takes the next
        person of that name, so a rerun finds the same two.
        """
        if self._people is None:
            self._people = defaultdict(list)
            for pk, name in Person.objects.exclude(status=REJECTED).order_by("pk").values_list("pk", "name"):
                self._people[base_slug(Person, name)].append(pk)
        used: dict[str, int] = defaultdict(int)
        chosen: list[Person | int] = []
        for name in names:
            key = base_slug(Person, name)
            known = self._people[key] + [pk for k, pk in self._people_added if k == key]
            index = used[key]
            used[key] += 1
            if index < len(known):
                chosen.append(known[index])
                if len(known) > 1 and index == 0:
                    result.notes.append(
                        gettext("%(count)s people are called %(name)s: linked the first")
                        % {"count": len(known), "name": name}
                    )
                continue
            person = self._new(Person, name, name=name)
            self._history(person, self._save(person, {}, created=True), ref=result.ref)
            self._people_added.append((key, person.pk))
            chosen.append(person)
        existing = Person.objects.in_bulk([c for c in chosen if isinstance(c, int)])
        return [existing[c] if isinstance(c, int) else c for c in chosen]
