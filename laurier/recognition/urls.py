from django.urls import path

from .views import (
    awards,
    budgets,
    calendar,
    catalog,
    compensation,
    culture,
    events,
    kudos,
    my_awards,
    notes,
    plans,
    spotlights,
)

app_name = "recognition"

option = "catalog/<int:pk>/"
budget = "budgets/<int:pk>/"
program = "p/<slug:program_slug>/"

urlpatterns = [
    # The organisation's culture profile.
    path("culture/", culture.culture_profile, name="culture"),
    path("culture/edit/", culture.culture_edit, name="culture_edit"),
    # The catalog of recognition options.
    path("catalog/", catalog.option_list, name="catalog"),
    path("catalog/new/", catalog.option_create, name="option_create"),
    path(option, catalog.option_detail, name="option_detail"),
    path(option + "edit/", catalog.option_edit, name="option_edit"),
    path(option + "retire/", catalog.option_retire, name="option_retire"),
    path(option + "offer-again/", catalog.option_reactivate, name="option_reactivate"),
    # Budgets and their ledger.
    path("budgets/", budgets.budget_list, name="budgets"),
    path("budgets/new/", budgets.budget_create, name="budget_create"),
    path(budget, budgets.budget_detail, name="budget_detail"),
    path(budget + "edit/", budgets.budget_edit, name="budget_edit"),
    path(budget + "commit/", budgets.budget_commit, name="budget_commit"),
    path(budget + "spend/", budgets.budget_spend, name="budget_spend"),
    path(
        budget + "entries/<int:entry_pk>/spend/", budgets.commitment_spend, name="commitment_spend"
    ),
    path(
        budget + "entries/<int:entry_pk>/release/",
        budgets.commitment_release,
        name="commitment_release",
    ),
    # Whether a program pays its mentors.
    path(program + "compensation/", compensation.compensation, name="compensation"),
    path(
        program + "compensation/new/",
        compensation.compensation_decide,
        name="compensation_decide",
    ),
]

# Recognition calendar
urlpatterns += [
    path(program + "calendar/", calendar.calendar, name="calendar"),
    path(program + "calendar/new-link/", calendar.calendar_feed_reset, name="calendar_feed_reset"),
    path("important-dates/", calendar.important_dates, name="important_dates"),
    path("important-dates/new/", calendar.important_date_create, name="important_date_create"),
    path(
        "important-dates/<int:pk>/edit/", calendar.important_date_edit, name="important_date_edit"
    ),
    path(
        "important-dates/<int:pk>/delete/",
        calendar.important_date_delete,
        name="important_date_delete",
    ),
]

# Recognition plans
plan = program + "plans/<int:pk>/"
line = plan + "lines/<int:line_pk>/"
urlpatterns += [
    path(program + "plans/", plans.plan_list, name="plans"),
    path(program + "plans/new/", plans.plan_create, name="plan_create"),
    path(plan, plans.plan_detail, name="plan_detail"),
    path(plan + "progress/", plans.plan_progress, name="plan_progress"),
    path(plan + "rules/", plans.plan_rules, name="plan_rules"),
    path(plan + "compute-again/", plans.plan_recompute, name="plan_recompute"),
    path(plan + "approve/", plans.plan_approve, name="plan_approve"),
    path(plan + "delete/", plans.plan_delete, name="plan_delete"),
    path(plan + "plan.ics", plans.plan_ics, name="plan_ics"),
    path(plan + "lines/new/", plans.line_add, name="plan_line_add"),
    path(line + "edit/", plans.line_edit, name="plan_line_edit"),
    path(line + "delete/", plans.line_delete, name="plan_line_delete"),
    path(line + "lock/", plans.line_lock, name="plan_line_lock"),
]

# Awards: recognitions given to mentors
award = program + "awards/<int:pk>/"
urlpatterns += [
    path(program + "awards/", awards.award_list, name="awards"),
    path(program + "awards/new/", awards.award_create, name="award_create"),
    path(award, awards.award_detail, name="award_detail"),
    path(award + "edit/", awards.award_edit, name="award_edit"),
    path(award + "approve/", awards.award_approve, name="award_approve"),
    path(award + "give/", awards.award_give, name="award_give"),
    path(award + "cancel/", awards.award_cancel, name="award_cancel"),
    # The mentor's own recognitions, once given.
    path("me/recognitions/", my_awards.my_awards, name="my_awards"),
    path("me/recognitions/<int:pk>/", my_awards.my_award, name="my_award"),
]

# Thank-you note campaigns
notes_campaign = program + "notes/<int:pk>/"
urlpatterns += [
    path(program + "notes/", notes.note_campaigns, name="note_campaigns"),
    path(program + "notes/new/", notes.note_campaign_create, name="note_campaign_create"),
    path(notes_campaign, notes.note_campaign_detail, name="note_campaign_detail"),
    path(notes_campaign + "moderate/", notes.note_moderate, name="note_moderate"),
    path(notes_campaign + "close/", notes.note_campaign_close, name="note_campaign_close"),
    path(
        notes_campaign + "writers/<int:writer_pk>/new-link/",
        notes.note_writer_new_link,
        name="note_writer_new_link",
    ),
    path(notes_campaign + "cards/<int:mentor_pk>.pdf", notes.note_card, name="note_card"),
    # The mentor's own approved notes and cards.
    path("me/notes/", notes.my_notes, name="my_notes"),
    path("me/notes/<int:pk>/card.pdf", notes.my_note_card, name="my_note_card"),
]

# Kudos: a one-click thanks to a mentor
urlpatterns += [
    path("me/kudos/", kudos.my_kudos, name="my_kudos"),
    path("me/kudos/give/", kudos.kudos_give, name="kudos_give"),
]

# Events: galas, dinners, network events and professional development
event = program + "events/<int:pk>/"
urlpatterns += [
    path(program + "events/", events.event_list, name="events"),
    path(program + "events/new/", events.event_create, name="event_create"),
    path(event, events.event_detail, name="event_detail"),
    path(event + "edit/", events.event_edit, name="event_edit"),
    path(event + "invite/", events.event_invite, name="event_invite"),
    path(event + "attendance/", events.event_attendance, name="event_attendance"),
    path(event + "cancel/", events.event_cancel, name="event_cancel"),
    path(
        event + "invitations/<int:invitation_pk>/new-link/",
        events.event_invitation_new_link,
        name="event_invitation_new_link",
    ),
    path(event + "event.ics", events.event_calendar, name="event_ics"),
    # A person's own invitations.
    path("me/events/", events.my_events, name="my_events"),
]

# Spotlights: a mentor's portrait for the newsletter or the intranet
spotlight = program + "spotlights/<int:pk>/"
urlpatterns += [
    path(program + "spotlights/", spotlights.spotlight_list, name="spotlights"),
    path(program + "spotlights/new/", spotlights.spotlight_create, name="spotlight_create"),
    path(spotlight, spotlights.spotlight_detail, name="spotlight_detail"),
    path(spotlight + "edit/", spotlights.spotlight_edit, name="spotlight_edit"),
    path(spotlight + "delete/", spotlights.spotlight_delete, name="spotlight_delete"),
    path(spotlight + "spotlight.md", spotlights.spotlight_markdown, name="spotlight_markdown"),
    path(spotlight + "spotlight.html", spotlights.spotlight_html, name="spotlight_html"),
    path(spotlight + "chat/", spotlights.spotlight_chat, name="spotlight_chat"),
]
