from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("o/<slug:organisation_slug>/", views.organisation_home, name="home"),
    path("o/<slug:organisation_slug>/settings/", views.organisation_settings, name="settings"),
    path("o/<slug:organisation_slug>/settings/chat-test/", views.chat_test, name="chat_test"),
    path("o/<slug:organisation_slug>/members/", views.members, name="members"),
    path("o/<slug:organisation_slug>/members/<int:pk>/", views.member_edit, name="member_edit"),
    path(
        "o/<slug:organisation_slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("o/<slug:organisation_slug>/audit/", views.audit_trail, name="audit"),
]
