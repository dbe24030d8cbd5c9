from django.urls import path

from . import views

app_name = "profiles"

urlpatterns = [
    path("me/profile/", views.my_profile, name="mine"),
    path("me/profile/edit/", views.my_profile_edit, name="edit_mine"),
    path(
        "p/<slug:program_slug>/mentors/<int:pk>/profile/history/",
        views.profile_history,
        name="history",
    ),
]
