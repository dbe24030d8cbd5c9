"""allauth's account pages that a session signed in through an organisation's provider may not
use; placed before allauth's own URLs, which they shadow."""

from allauth.account import views as account_views
from django.urls import path

from .views import not_for_provider_sessions

urlpatterns = [
    path("email/", not_for_provider_sessions(account_views.email)),
    path("password/change/", not_for_provider_sessions(account_views.password_change)),
    path("password/set/", not_for_provider_sessions(account_views.password_set)),
]
