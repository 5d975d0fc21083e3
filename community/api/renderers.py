"""`?format=bibtex` on the paper endpoints.

The BibTeX itself is community.services.exports.paper_bibtex (the one the portal's export uses), so
the API and the site never disagree about an entry. The paper viewset hands this renderer the text;
an error still answers in the API's JSON error shape, since it has no BibTeX form.
"""

from rest_framework.renderers import BaseRenderer, JSONRenderer

EMPTY = "% No paper matches this request.\n"


class BibTeXRenderer(BaseRenderer):
    media_type = "application/x-bibtex"
    format = "bibtex"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            response["Content-Type"] = "application/json"
            return JSONRenderer().render(data)
        text = data if isinstance(data, str) else "" if data is None else str(data)
        # No paper matched: a BibTeX comment rather than an empty body, from which DRF would drop the
        # Content-Type (a client then cannot tell it is BibTeX; schemathesis took it for broken JSON).
        return (text or EMPTY).encode(self.charset)
