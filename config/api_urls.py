"""/api/: version 1 of the REST API, its OpenAPI schema and docs, and a JSON 404 for anything else.

Mounted outside i18n_patterns (config/urls.py): an API address does not change with the language.
The docs page is Swagger UI from drf-spectacular-sidecar (static files, no CDN); its start-up script
is served as a separate file (SpectacularSwaggerSplitView) so the page runs under the site's CSP
(script-src 'self', no inline script or style).
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from alerts import api as alerts_api
from common.api import errors
from community.api.urls import routes as community_routes
from training.api.urls import routes as training_routes

app_name = "api"


class DocsView(SpectacularSwaggerSplitView):
    # The stock template carries an inline <style>; ours links the same rules as a static file.
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False  # `?format=bibtex` is the one way to ask for another format
for prefix, viewset, basename in [*community_routes, *training_routes, *alerts_api.routes]:
    router.register(prefix, viewset, basename=basename)

v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    *alerts_api.paths,
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include(v1)),
    re_path(r"^", errors.not_found, name="not-found"),
]
