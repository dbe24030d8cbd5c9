"""The API's addresses: /api/v1/<resource>/, its schema and its documentation pages."""

from csp.decorators import csp_update
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from .resources import RESOURCE_MODULES

app_name = "api"

router = SimpleRouter()
for module in RESOURCE_MODULES:
    for prefix, viewset, basename in module.ROUTES:
        router.register(prefix, viewset, basename=basename)

REDOC_POLICY = {
    "style-src": ["'unsafe-inline'"],
    "worker-src": ["blob:"],
    "img-src": ["https://cdn.redoc.ly"],
}

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "v1/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/docs/swagger_ui.html"
        ),
        name="docs",
    ),
    # ReDoc styles itself with <style> elements it writes (styled-components), searches in a
    # web worker it makes from a blob and always shows its maker's logo from their site: this
    # page alone allows the three, nothing else on the site.
    path(
        "v1/redoc/",
        csp_update(REDOC_POLICY)(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="api/docs/redoc.html")
        ),
        name="redoc",
    ),
    path("v1/", include(router.urls)),
    # Exempt from CSRF like the API's views: a POST to an unknown address is a 404 too.
    re_path(r"^", csrf_exempt(lambda request, *args, **kwargs: unknown_address(request))),
]


def unknown_address(request):
    """Any other address under /api/ answers in the API's error shape, not with an HTML page."""
    message = _("There is no such address in the API: see /api/v1/docs/.")
    return JsonResponse(
        {"error": {"status": 404, "code": "not_found", "message": message}}, status=404
    )
