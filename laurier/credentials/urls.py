"""Badges and certificates: the public addresses credentials name, and the members' pages."""

from django.urls import path

from .views import badges, issued, issuer_settings, mine, public, verify

app_name = "credentials"

issuer = "i/<uuid:public_id>/"
achievement = issuer + "badges/<uuid:badge_id>/"
credential = "c/<uuid:public_id>/"
org = "o/<slug:organisation_slug>/"
badge = org + "badges/<int:pk>/"
issued_credential = org + "credentials/<int:pk>/"

urlpatterns = [
    # Public, no login: what a credential points to, so that anyone can check it.
    path(issuer, public.issuer_document, name="issuer"),
    path(issuer + "jwks.json", public.issuer_keys, name="issuer_keys"),
    path(issuer + "status/<int:number>", public.status_list, name="status_list"),
    path(achievement, public.achievement, name="achievement"),
    path(achievement + "image.svg", public.achievement_image, name="achievement_image"),
    path(credential, public.credential_page, name="credential"),
    path(credential + "credential.json", mine.credential_json, name="credential_json"),
    path(credential + "credential.jwt", mine.credential_jwt, name="credential_jwt"),
    path(credential + "badge.png", mine.credential_png, name="credential_png"),
    path(credential + "badge.svg", mine.credential_svg, name="credential_svg"),
    path(credential + "certificate.pdf", mine.credential_pdf, name="credential_pdf"),
    path("verify/", verify.verify_page, name="verify"),
    path("p/<uuid:public_id>/", mine.public_profile, name="public_profile"),
    # Managers: badges, their rules, awarding by hand and in bulk.
    path(org + "badges/", badges.badge_list, name="badges"),
    path(org + "badges/new/", badges.badge_create, name="badge_create"),
    path(org + "badges/preview.svg", badges.badge_preview, name="badge_preview"),
    path(org + "badges/rules/run/", badges.run_rules, name="badge_rules_run"),
    path(org + "badges/jobs/<int:job_pk>/", badges.issuance_job, name="issuance_job"),
    path(badge, badges.badge_detail, name="badge_detail"),
    path(badge + "edit/", badges.badge_edit, name="badge_edit"),
    path(badge + "award/", badges.badge_award, name="badge_award"),
    # Managers: every credential issued, and revoking one.
    path(org + "credentials/", issued.credential_list, name="issued"),
    path(issued_credential, issued.credential_detail, name="issued_detail"),
    path(issued_credential + "revoke/", issued.credential_revoke, name="issued_revoke"),
    path(
        org + "p/<slug:program_slug>/awards/<int:pk>/certificate/",
        issued.award_certificate,
        name="award_certificate",
    ),
    # Admins: how the organisation signs.
    path(org + "settings/issuer/", issuer_settings.issuer_settings, name="issuer_settings"),
    path(org + "settings/issuer/rotate/", issuer_settings.rotate_key, name="issuer_rotate_key"),
    # Members: their own badges and certificates.
    path(org + "me/badges/", mine.my_credentials, name="my_credentials"),
    path(org + "me/badges/profile/", mine.my_public_profile, name="my_public_profile"),
]
