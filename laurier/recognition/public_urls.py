"""The recognition app's public addresses: no login, a secret token instead."""

from django.urls import path

from .views import calendar

app_name = "recognition_public"

urlpatterns = [
    path("<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
