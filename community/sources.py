"""The outside sources the catalogue imports from, declared once: what pages call each one, the
language its text is written in, its licence and the attribution that licence asks pages to show.

Import services write `source` (the key) on each `Provenance` row; pages and the API read the rest
from here, so an imported text is labelled with where it came from and which language it is in
(issue 16: imported text keeps its language and says so, on the Chinese site too)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Source:
    label: str | Promise
    # The language of the text this source gives (a BCP 47 tag as in the HTML lang attribute), or ""
    # where it varies by record (a BibTeX file is whatever its author wrote).
    language: str
    licence: str
    attribution: str
    url: str


SOURCES: dict[str, Source] = {
    "arxiv": Source(
        label="arXiv",
        language="en",
        licence="CC0-1.0",
        attribution="Metadata from arXiv (export.arxiv.org), CC0",
        url="https://arxiv.org/",
    ),
    "bibtex": Source(label=_("a BibTeX file"), language="", licence="", attribution="", url=""),
    "ai-deadlines": Source(
        label="ai-deadlines",
        language="en",
        licence="MIT",
        attribution="ai-deadlines, Copyright (c) 2025 Hugging Face",
        url="https://github.com/huggingface/ai-deadlines",
    ),
    "ccf-deadlines": Source(
        label="ccf-deadlines",
        language="en",
        licence="MIT",
        attribution="ccf-deadlines, Copyright (c) 2021 CCFDDL",
        url="https://github.com/ccfddl/ccf-deadlines",
    ),
    "pwc-archive": Source(
        label=_("the Papers with Code archive"),
        language="en",
        licence="CC BY-SA 4.0",
        attribution="Papers with Code archive (paperswithcode.com, closed July 2025), CC BY-SA 4.0",
        url="https://creativecommons.org/licenses/by-sa/4.0/",
    ),
}

# The language of a text as its label names it ("英文" on the Chinese site; the language switcher's
# own "English" msgid stays in English, hence the context).
LANGUAGE_NAMES = {
    "en": pgettext_lazy("language of a text", "English"),
    "zh-hans": pgettext_lazy("language of a text", "Chinese"),
}


def source_of(key: str) -> Source:
    """The declared source for a Provenance row's `source`; an undeclared key (an import written
    before its source was declared here) is shown under its own name with no language claimed."""
    return SOURCES.get(key) or Source(label=key, language="", licence="", attribution="", url="")
