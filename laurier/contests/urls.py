"""The contest: managers' pages under the organisation, and the pages at personal or public
links (nominating, a nominee declining, a juror declaring conflicts and scoring): no account."""

from django.urls import path

from .views import announce, editions, jury, nominate, results

app_name = "contests"

org = "o/<slug:organisation_slug>/contests/"
edition = org + "<int:pk>/"
public = "contest/"

urlpatterns = [
    # Managers: editions and their setup.
    path(org, editions.edition_list, name="editions"),
    path(org + "new/", editions.edition_create, name="edition_create"),
    path(edition, editions.edition_detail, name="edition_detail"),
    path(edition + "edit/", editions.edition_edit, name="edition_edit"),
    path(edition + "link/", editions.nomination_link_renew, name="nomination_link_renew"),
    path(edition + "categories/new/", editions.category_create, name="category_create"),
    path(
        edition + "categories/<int:category_pk>/edit/",
        editions.category_edit,
        name="category_edit",
    ),
    path(
        edition + "categories/<int:category_pk>/delete/",
        editions.category_delete,
        name="category_delete",
    ),
    path(edition + "criteria/new/", editions.criterion_create, name="criterion_create"),
    path(
        edition + "criteria/<int:criterion_pk>/edit/",
        editions.criterion_edit,
        name="criterion_edit",
    ),
    path(
        edition + "criteria/<int:criterion_pk>/delete/",
        editions.criterion_delete,
        name="criterion_delete",
    ),
    path(edition + "jury/", editions.jury, name="jury"),
    path(edition + "jury/<int:juror_pk>/", editions.juror_detail, name="juror_detail"),
    path(edition + "jury/<int:juror_pk>/remove/", editions.juror_remove, name="juror_remove"),
    path(edition + "jury/<int:juror_pk>/invite/", editions.juror_invite, name="juror_invite"),
    path(
        edition + "jury/<int:juror_pk>/conflicts/",
        editions.juror_conflicts,
        name="juror_conflicts",
    ),
    path(edition + "nominees/", editions.nominee_list, name="nominees"),
    path(edition + "nominees/<int:nominee_pk>/", editions.nominee_detail, name="nominee_detail"),
    path(
        edition + "nominees/<int:nominee_pk>/withdraw/",
        editions.nominee_withdraw,
        name="nominee_withdraw",
    ),
    path(
        edition + "nominations/<int:nomination_pk>/evidence/",
        editions.evidence_download,
        name="evidence",
    ),
    # Managers: the result, and announcing it.
    path(edition + "results/", results.result_page, name="results"),
    path(
        edition + "results/scores.<str:export_format>", results.scores_export, name="scores_export"
    ),
    path(edition + "announce/", announce.announce, name="announce"),
    # Members: nominating in Laurier.
    path(org + "nominate/", nominate.my_nominations, name="my_nominations"),
    path(org + "<int:pk>/nominate/", nominate.nominate_in_laurier, name="nominate"),
    # Public and personal links, no account.
    path(public + "nominate/<str:token>/", nominate.nominate_by_link, name="nominate_by_link"),
    path(public + "nomination/<str:token>/", nominate.nomination_change, name="nomination_change"),
    path(public + "nominee/<str:token>/", nominate.nominee_page, name="nominee_page"),
    path(public + "jury/<str:token>/", jury.juror_home, name="juror_home"),
    path(public + "jury/<str:token>/conflicts/", jury.juror_conflicts, name="juror_declare"),
    path(
        public + "jury/<str:token>/nominees/<int:nominee_pk>/",
        jury.juror_score,
        name="juror_score",
    ),
    path(
        public + "jury/<str:token>/evidence/<int:nomination_pk>/",
        jury.juror_evidence,
        name="juror_evidence",
    ),
]
