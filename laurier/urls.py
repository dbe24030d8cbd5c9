from django.contrib import admin
from django.urls import include, path

from laurier.core.views import health

urlpatterns = [
    path("health/", health, name="health"),
    # Before allauth's: a session signed in through an organisation's provider may not use them.
    path("accounts/", include("laurier.accounts.allauth_urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("laurier.accounts.urls")),
    path("", include("laurier.organisations.urls")),
    path("o/<slug:organisation_slug>/", include("laurier.programs.urls")),
    path("o/<slug:organisation_slug>/", include("laurier.hours.urls")),
    path("o/<slug:organisation_slug>/imports/", include("laurier.imports.urls")),
    path("o/<slug:organisation_slug>/", include("laurier.surveys.urls")),
    path("o/<slug:organisation_slug>/", include("laurier.profiles.urls")),
    path("o/<slug:organisation_slug>/", include("laurier.recognition.urls")),
    path("s/", include("laurier.surveys.public_urls")),
    path("cal/", include("laurier.recognition.public_urls")),
    path("n/", include("laurier.recognition.note_urls")),
    path("e/", include("laurier.recognition.event_urls")),
    path("", include("laurier.credentials.urls")),
    path("", include("laurier.contests.urls")),
    path("", include("laurier.insights.urls")),
    path("api/", include("laurier.api.urls")),
    path("o/<slug:organisation_slug>/settings/", include("laurier.api.site_urls")),
    path("o/<slug:organisation_slug>/privacy/", include("laurier.privacy.urls")),
    path("django-admin/", admin.site.urls),
]
