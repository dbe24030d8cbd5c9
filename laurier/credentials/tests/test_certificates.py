"""PDF certificates of credentials: A4 landscape, in the holder's language or the one asked,
with a QR code that leads to the credential's verification page; a revoked one says so."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from laurier.credentials import certificates
from laurier.credentials.models import Credential, CredentialKind
from laurier.credentials.services import awarding
from laurier.hours.tests.helpers import attended, event

from .holders import (  # noqa: F401 (fixtures)
    award_credential_fixture,
    badge_credential_fixture,
    badge_fixture,
    decode_qr_codes,
    holder_fixture,
    pdf_text,
    training_credential_fixture,
)


def pdf_url(credential, **query):
    url = reverse("credentials:credential_pdf", args=[credential.public_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def without_spaces(text):
    return "".join(text.split())


# The certificate of a badge


def test_anyone_with_the_address_downloads_the_certificate(client, badge_credential):
    response = client.get(pdf_url(badge_credential))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="mentor-100-heures-')
    assert response["Cache-Control"] == "private, no-store"


def test_each_language_has_a_file_name_of_its_own(client, badge_credential):
    short_id = str(badge_credential.public_id)[:8]

    french = client.get(pdf_url(badge_credential))["Content-Disposition"]
    english = client.get(pdf_url(badge_credential, lang="en"))["Content-Disposition"]

    assert french == f'attachment; filename="mentor-100-heures-{short_id}-fr.pdf"'
    assert english == f'attachment; filename="100-hour-mentor-{short_id}-en.pdf"'


def test_it_names_the_holder_the_badge_and_the_organisation_in_french(client, badge_credential):
    text = pdf_text(client.get(pdf_url(badge_credential)).content)

    assert "Jeanne Tremblay" in text
    assert "Mentor 100 heures" in text
    assert "A mentoré 100 heures." in text
    assert "Hydro Laurentides" in text


def test_it_prints_the_verification_address(client, badge_credential):
    text = pdf_text(client.get(pdf_url(badge_credential)).content)

    assert badge_credential.url in without_spaces(text)


def test_the_qr_code_leads_to_the_verification_page(client, badge_credential, tmp_path):
    pdf = client.get(pdf_url(badge_credential)).content

    assert decode_qr_codes(pdf, tmp_path) == [badge_credential.url]


def test_the_other_language_is_asked_in_the_link(client, badge_credential):
    text = pdf_text(client.get(pdf_url(badge_credential, lang="en")).content)

    assert "Certificate of achievement" in text
    assert "This certificate attests that" in text
    assert "100-hour mentor" in text
    assert "Mentored for 100 hours." in text
    assert "Scan the QR code to verify".upper() in text.upper()


def test_the_title_is_not_repeated_above_itself(client, badge_credential):
    text = pdf_text(client.get(pdf_url(badge_credential, lang="en")).content)

    above_title = text.upper().split("CERTIFICATE OF ACHIEVEMENT")[0]
    assert "CERTIFICATE" not in above_title


def test_it_is_signed_by_the_organisation_and_no_one_invented(client, badge_credential):
    text = pdf_text(client.get(pdf_url(badge_credential, lang="en")).content)

    assert "Issued by Hydro Laurentides" in text
    assert "Mentoring program management" not in text


def test_the_issuers_website_and_e_mail_follow_its_name(client, organisation, badge_credential):
    from laurier.credentials.models import Issuer

    Issuer.objects.filter(organisation=organisation).update(
        website="https://hydro.example", email="reconnaissance@hydro.example"
    )

    text = pdf_text(client.get(pdf_url(badge_credential, lang="en")).content)

    assert "https://hydro.example" in text
    assert "reconnaissance@hydro.example" in text


def test_an_english_speaking_holder_gets_it_in_english(client, badge, holder):
    holder.language = "en"
    holder.save()
    credential, _ = awarding.award_badge(badge, holder, actor=None)

    text = pdf_text(client.get(pdf_url(credential)).content)

    assert "100-hour mentor" in text
    assert "Issued on" in text


def test_it_is_one_page_of_a4_landscape_tagged_for_screen_readers(client, badge_credential):
    reader = PdfReader(io.BytesIO(client.get(pdf_url(badge_credential)).content))

    [page] = reader.pages
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_a_badge_that_expires_says_until_when(client, organisation, holder):
    from .holders import make_badge

    badge = make_badge(organisation, name_en="First aid", name_fr="Secourisme", valid_years=3)
    credential, _ = awarding.award_badge(badge, holder, actor=None)

    text = pdf_text(client.get(pdf_url(credential, lang="en")).content)

    assert f"Valid until {credential.valid_until:%B} " in text


def test_a_revoked_credential_still_renders_stamped_revoked_with_the_reason(
    client, badge_credential
):
    awarding.revoke(badge_credential, reason="Awarded by mistake", actor=None)

    response = client.get(pdf_url(badge_credential, lang="en"))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "REVOKED" in text.upper().replace(" ", "")
    assert "Awarded by mistake" in text


def test_the_revoked_banner_hides_nothing_and_keeps_one_page(client, badge_credential):
    awarding.revoke(badge_credential, reason="Awarded by mistake", actor=None)

    reader = PdfReader(io.BytesIO(client.get(pdf_url(badge_credential, lang="en")).content))

    [page] = reader.pages
    text = " ".join(page.extract_text().split())
    # Above the title, before anything it could cover.
    assert text.upper().index("REVOKED") < text.index("Certificate of achievement")
    assert "Mentored for 100 hours." in text


def test_an_unknown_credential_is_404(client, db):
    url = reverse("credentials:credential_pdf", args=["0b0a3c1e-9d0e-4d5f-8b7a-1f2e3d4c5b6a"])

    assert client.get(url).status_code == 404


def test_the_certificate_answers_only_to_get(client, badge_credential):
    assert client.post(pdf_url(badge_credential)).status_code == 405


# Other kinds


def test_a_recognition_certificate_names_the_recognition(client, award_credential):
    text = pdf_text(client.get(pdf_url(award_credential, lang="en")).content)

    assert "Certificate of recognition" in text
    assert "Lunch with the CEO" in text
    assert "Jeanne Tremblay" in text


def test_a_recognition_certificate_in_french_is_as_signed(client, award_credential):
    text = pdf_text(client.get(pdf_url(award_credential)).content)

    assert "Dîner avec la PDG" in text


def test_a_training_certificate_names_the_year_and_the_hours(client, training_credential):
    text = pdf_text(client.get(pdf_url(training_credential, lang="en")).content)

    assert "Training hours 2025: 5.8 h" in text


def test_every_kind_carries_its_qr_code(award_credential, training_credential, tmp_path):
    for credential in (award_credential, training_credential):
        pdf = certificates.certificate_pdf(credential, "fr-ca")
        assert decode_qr_codes(pdf, tmp_path) == [credential.url]


# The training-hours certificate of the hours app


@pytest.fixture
def hours_2025(program, holder):
    workshop = event(program, starts_at=datetime.datetime(2025, 5, 10, 14, tzinfo=datetime.UTC))
    attended(workshop, holder)
    return holder


def my_hours_certificate(year=2025):
    return reverse("hours:my_certificate", args=["hydro", year])


def test_the_training_hours_certificate_is_issued_as_a_credential_on_download(
    login, mentor_user, hours_2025
):
    response = login(mentor_user).get(my_hours_certificate())

    credential = Credential.objects.get(person=hours_2025, kind=CredentialKind.TRAINING)
    assert credential.issue_key.startswith("training:2025:")
    assert credential.url in without_spaces(pdf_text(response.content))


def test_the_training_hours_qr_code_leads_to_its_credential(
    login, mentor_user, hours_2025, tmp_path
):
    response = login(mentor_user).get(my_hours_certificate())

    credential = Credential.objects.get(person=hours_2025, kind=CredentialKind.TRAINING)
    assert decode_qr_codes(response.content, tmp_path) == [credential.url]


def test_downloading_the_hours_certificate_again_issues_nothing_more(
    login, mentor_user, hours_2025
):
    client = login(mentor_user)
    client.get(my_hours_certificate())
    client.get(my_hours_certificate() + "?lang=en")

    assert Credential.objects.filter(person=hours_2025).count() == 1


def test_an_admin_downloading_it_issues_the_same_credential(
    login, mentor_user, admin_user, hours_2025
):
    login(mentor_user).get(my_hours_certificate())
    url = reverse("hours:certificate", args=["hydro", hours_2025.pk, 2025])
    login(admin_user).get(url)

    assert Credential.objects.filter(person=hours_2025).count() == 1


def test_a_program_managers_partial_certificate_is_not_issued_as_a_credential(
    login, manager_user, hours_2025
):
    # A program manager sees only their programs' hours: a total that is not the person's.
    url = reverse("hours:certificate", args=["hydro", hours_2025.pk, 2025])

    response = login(manager_user).get(url)

    assert response.status_code == 200
    assert not Credential.objects.filter(person=hours_2025).exists()


def test_more_hours_later_make_a_new_credential(login, mentor_user, program, hours_2025):
    client = login(mentor_user)
    client.get(my_hours_certificate())
    later = event(program, starts_at=datetime.datetime(2025, 9, 10, 14, tzinfo=datetime.UTC))
    attended(later, hours_2025)

    client.get(my_hours_certificate())

    assert Credential.objects.filter(person=hours_2025).count() == 2


def test_a_year_without_hours_issues_nothing(login, mentor_user, hours_2025):
    login(mentor_user).get(my_hours_certificate(2023))

    assert not Credential.objects.filter(person=hours_2025).exists()


def test_another_organisations_person_is_never_issued_here(login, other_admin_user, hours_2025):
    url = reverse("hours:certificate", args=["hydro", hours_2025.pk, 2025])

    assert login(other_admin_user).get(url).status_code == 404
    assert not Credential.objects.exists()
