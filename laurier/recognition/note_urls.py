"""Where the people invited to write a thank-you note write it: no login, a personal link."""

from django.urls import path

from .views import notes

app_name = "notes_public"

urlpatterns = [
    path("<str:token>/", notes.write_note_page, name="write"),
]
