"""Where people invited to an event answer it: no login, a personal link."""

from django.urls import path

from .views import events

app_name = "events_public"

urlpatterns = [
    path("<str:token>/", events.rsvp_page, name="rsvp"),
]
