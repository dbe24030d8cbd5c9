from django.urls import path

from .views import answering, campaigns, editor, voice

app_name = "surveys"

survey = "surveys/<int:pk>/"
program = "p/<slug:program_slug>/"

urlpatterns = [
    # The organisation's surveys and their questions.
    path("surveys/", editor.survey_list, name="list"),
    path("surveys/new/", editor.survey_create, name="create"),
    path(survey, editor.survey_detail, name="detail"),
    path(survey + "edit/", editor.survey_edit, name="edit"),
    path(survey + "copy/", editor.survey_copy, name="copy"),
    path(survey + "preview/", answering.survey_preview, name="preview"),
    path(survey + "questions/new/", editor.question_create, name="question_create"),
    path(survey + "questions/<int:question_pk>/", editor.question_edit, name="question_edit"),
    path(
        survey + "questions/<int:question_pk>/delete/",
        editor.question_delete,
        name="question_delete",
    ),
    path(survey + "questions/<int:question_pk>/move/", editor.question_move, name="question_move"),
    # Campaigns of a program.
    path(program + "campaigns/", campaigns.campaign_list, name="campaigns"),
    path(program + "campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path(program + "campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path(program + "campaigns/<int:pk>/rate/", campaigns.campaign_rate, name="campaign_rate"),
    path(program + "campaigns/<int:pk>/remind/", campaigns.campaign_remind, name="campaign_remind"),
    path(program + "campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign_close"),
    path(program + "campaigns/<int:pk>/resend/", campaigns.campaign_resend, name="campaign_resend"),
    path(
        program + "campaigns/<int:pk>/recipients/",
        campaigns.campaign_recipients,
        name="campaign_recipients",
    ),
    path(
        program + "campaigns/<int:pk>/recipients/<int:recipient_pk>/new-link/",
        campaigns.recipient_new_link,
        name="recipient_new_link",
    ),
    # What the program's mentors say.
    path(program + "voice/", voice.mentor_voice, name="voice"),
    # A person's own surveys, when logged in.
    path("me/surveys/", answering.my_surveys, name="my_surveys"),
    path("me/surveys/<int:pk>/", answering.my_survey_answer, name="my_answer"),
]
