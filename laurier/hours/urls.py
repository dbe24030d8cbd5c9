from django.urls import path

from . import views

app_name = "hours"

program = "p/<slug:program_slug>/"

urlpatterns = [
    path(program + "sessions/", views.sessions, name="sessions"),
    path(program + "sessions/new/", views.session_create, name="session_create"),
    path(program + "sessions/bulk/", views.sessions_bulk, name="sessions_bulk"),
    path(program + "sessions/<int:pk>/", views.session_edit, name="session_edit"),
    path("hours/", views.training_hours, name="training_hours"),
    path(
        "hours/people/<int:pk>/certificate/<int:year>.pdf",
        views.certificate,
        name="certificate",
    ),
    path("me/", views.my_space, name="my_space"),
    path("me/certificate/<int:year>.pdf", views.my_certificate, name="my_certificate"),
    path("me/sessions/new/", views.my_session_create, name="my_session_create"),
    path("me/sessions/<int:pk>/confirm/", views.my_session_confirm, name="my_session_confirm"),
]
