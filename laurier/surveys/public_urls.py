"""Personal survey links, answered without an account: the token alone says who answers."""

from django.urls import path

from .views import answering

app_name = "survey_links"

urlpatterns = [
    path("<str:token>/", answering.answer_by_link, name="answer"),
]
