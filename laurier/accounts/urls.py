from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("accounts/sso/", views.sso_start, name="sso_start"),
    path("accounts/sso/<slug:organisation_slug>/", views.sso_organisation, name="sso_organisation"),
    path("o/<slug:organisation_slug>/settings/sso/", views.sso_settings, name="sso_settings"),
    path("o/<slug:organisation_slug>/settings/sso/remove/", views.sso_remove, name="sso_remove"),
]
