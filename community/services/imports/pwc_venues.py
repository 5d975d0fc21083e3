"""The venue of an archive paper (issue 14): its `proceeding` ("NeurIPS 2019 12", "ICML 2020 1",
"CVPR 2021") names a venue of the catalogue by its short or full name, and a year, which may be one
of the venue's editions. Venues and editions are few whatever the archive's size: loaded once per
import. A proceeding that names no venue of the catalogue is kept as the archive wrote it (on the
paper's archive page), and the paper has no venue.
"""

import re

from community.models import Edition, ModerationStatus, Venue

# "<venue> <year>", then the archive's month number, which is not kept.
_PROCEEDING = re.compile(r"^\s*(?P<venue>.+?)[\s-]+(?P<year>(?:19|20)\d\d)(?:\s+\d{1,2})?\s*$")
# Names the archive uses for a venue that has since been renamed.
ALIASES = {"nips": "neurips"}


class Venues:
    """Venue ids by lower-case short and full name, edition ids by (venue, year)."""

    def __init__(self) -> None:
        self.by_name: dict[str, int] = {}
        for pk, name, full_name in (
            Venue.objects.exclude(status=ModerationStatus.REJECTED).order_by("-pk").values_list("pk", "name", "full_name")
        ):  # fmt: skip
            for text in (full_name, name):  # a short name wins over another venue's full name
                if text:
                    self.by_name[text.strip().lower()] = pk
        self.editions: dict[tuple[int, int], int] = {}
        for pk, venue_id, year in (
            Edition.objects.exclude(status=ModerationStatus.REJECTED).order_by("-pk").values_list("pk", "venue_id", "year")
        ):  # fmt: skip
            self.editions[(venue_id, year)] = pk

    def of(self, proceeding: str) -> dict[str, int]:
        """{"venue_id": ..., "edition_id": ...} for a proceeding that names a known venue (the
        edition only when that year's exists), else {}."""
        match = _PROCEEDING.match(proceeding or "")
        if match is None:
            return {}
        name = match["venue"].strip().lower()
        venue = self.by_name.get(name) or self.by_name.get(ALIASES.get(name, ""))
        if venue is None:
            return {}
        edition = self.editions.get((venue, int(match["year"])))
        return {"venue_id": venue, **({"edition_id": edition} if edition else {})}


def pages_proceeding_update(items, rows_by_ref) -> None:
    """A newer dump's `proceeding` on the archive pages the catalogue has (`items` whose paper
    exists, its page read with it): written, and recorded in the paper's history as its other
    changes are. An empty proceeding never empties one; a page of a paper the catalogue had first
    (`fill_only`) only gets one it lacked."""
    changed = []
    for item in items:
        page = getattr(item.obj, "pwc", None) if item.obj is not None else None
        new = rows_by_ref[item.ref].proceeding
        if page is None or not new or page.proceeding == new or (item.fill_only and page.proceeding):
            continue
        item.changes["proceeding"] = [page.proceeding, new]
        page.proceeding = new
        changed.append(page)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["proceeding"], batch_size=500)
