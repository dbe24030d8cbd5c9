from django.urls import path

from . import views

app_name = "programs"

program = "p/<slug:program_slug>/"

urlpatterns = [
    path("programs/", views.program_list, name="list"),
    path("programs/new/", views.program_create, name="create"),
    path(program, views.dashboard, name="dashboard"),
    path(program + "edit/", views.program_edit, name="edit"),
    path(program + "cycles/", views.cycles, name="cycles"),
    path(program + "cycles/<int:pk>/", views.cycle_edit, name="cycle_edit"),
    path(program + "mentors/", views.mentors, name="mentors"),
    path(program + "mentors/add/", views.mentor_add, name="mentor_add"),
    path(program + "mentors/<int:pk>/", views.mentor_detail, name="mentor_detail"),
    path(program + "mentors/<int:pk>/status/", views.mentor_status, name="mentor_status"),
    path(program + "mentees/", views.mentees, name="mentees"),
    path(program + "mentees/add/", views.mentee_add, name="mentee_add"),
    path(program + "mentees/<int:pk>/status/", views.mentee_status, name="mentee_status"),
    path(program + "pairings/", views.pairings, name="pairings"),
    path(program + "pairings/new/", views.pairing_create, name="pairing_create"),
    path(program + "pairings/<int:pk>/", views.pairing_edit, name="pairing_edit"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_edit, name="person_edit"),
]
