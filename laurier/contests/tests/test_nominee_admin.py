"""The managers' nominee pages: the list by category with eligibility still checked, the
stories with their evidence, and withdrawing or restoring a nominee."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from laurier.contests.models import Nominee
from laurier.programs.models import EnrolmentStatus
from laurier.testing import factories

from .test_editions_support import edition_url, open_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def nominee(program):
    edition = open_edition(program)
    person = factories.PersonFactory(organisation=program.organisation, last_name="Tremblay")
    factories.MentorEnrolmentFactory(program=program, person=person)
    return factories.NomineeFactory(
        category=factories.CategoryFactory(edition=edition, name_en="Mentor of the year"),
        person=person,
    )


def test_the_list_shows_status_nominations_and_eligibility(login, manager_user, nominee):
    edition = nominee.category.edition
    factories.NominationFactory.create_batch(2, nominee=nominee)
    ineligible = factories.NomineeFactory(category=nominee.category)

    with translation.override("en"):
        response = login(manager_user).get(edition_url("nominees", edition))

    rows = {row.pk: row for row in response.context["page"].object_list}
    assert rows[nominee.pk].nomination_count == 2
    assert rows[nominee.pk].still_eligible is True
    assert rows[ineligible.pk].still_eligible is False
    assert "Mentor of the year" in response.content.decode()


def test_the_list_searches_by_name(login, manager_user, nominee):
    edition = nominee.category.edition
    factories.NomineeFactory(category=nominee.category)

    response = login(manager_user).get(edition_url("nominees", edition), {"q": "tremb"})

    assert [row.pk for row in response.context["page"].object_list] == [nominee.pk]


def test_a_nominee_that_left_is_no_longer_eligible(login, manager_user, nominee):
    nominee.person.mentor_enrolments.update(status=EnrolmentStatus.LEFT)

    response = login(manager_user).get(
        edition_url("nominee_detail", nominee.category.edition, nominee.pk)
    )

    assert response.context["still_eligible"] is False


def test_the_nominee_page_shows_every_story_with_its_nominator(login, manager_user, nominee):
    factories.NominationFactory(nominee=nominee, nominator_name="Anne", story="Patient, always.")
    factories.NominationFactory(nominee=nominee, nominator_name="Marc", story="Opened doors.")

    html = (
        login(manager_user)
        .get(edition_url("nominee_detail", nominee.category.edition, nominee.pk))
        .content.decode()
    )

    assert "Anne" in html and "Patient, always." in html
    assert "Marc" in html and "Opened doors." in html


def test_evidence_is_downloaded_as_an_attachment_with_its_stored_type(login, manager_user, nominee):
    nomination = factories.NominationFactory(
        nominee=nominee, evidence_name="letter.pdf", evidence_type="application/pdf"
    )
    nomination.evidence.save("letter.pdf", ContentFile(b"%PDF-1.4 test"))

    response = login(manager_user).get(
        edition_url("evidence", nominee.category.edition, nomination.pk)
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "letter.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_a_nomination_without_evidence_has_no_file(login, manager_user, nominee):
    nomination = factories.NominationFactory(nominee=nominee)

    response = login(manager_user).get(
        edition_url("evidence", nominee.category.edition, nomination.pk)
    )

    assert response.status_code == 404


def test_withdrawing_needs_a_reason(login, manager_user, nominee):
    login(manager_user).post(
        edition_url("nominee_withdraw", nominee.category.edition, nominee.pk), {"reason": ""}
    )

    nominee.refresh_from_db()
    assert nominee.status == Nominee.Status.NOMINATED


def test_withdrawing_takes_the_nominee_out_with_the_reason(login, manager_user, nominee):
    login(manager_user).post(
        edition_url("nominee_withdraw", nominee.category.edition, nominee.pk),
        {"reason": "Left the company"},
    )

    nominee.refresh_from_db()
    assert (nominee.status, nominee.status_reason) == (Nominee.Status.WITHDRAWN, "Left the company")


def test_a_withdrawn_nominee_is_restored_while_the_jury_scores(login, manager_user, nominee):
    nominee.status = Nominee.Status.WITHDRAWN
    nominee.save()

    login(manager_user).post(
        edition_url("nominee_withdraw", nominee.category.edition, nominee.pk), {"restore": "1"}
    )

    nominee.refresh_from_db()
    assert nominee.status == Nominee.Status.NOMINATED
    assert nominee.status_reason == ""


def test_restoring_is_refused_once_scoring_closed(login, manager_user, nominee):
    edition = nominee.category.edition
    today = datetime.date.today()
    edition.nominations_open_on = today - datetime.timedelta(days=40)
    edition.nominations_close_on = today - datetime.timedelta(days=30)
    edition.scoring_close_on = today - datetime.timedelta(days=1)
    edition.announce_on = today + datetime.timedelta(days=5)
    edition.save()
    nominee.status = Nominee.Status.WITHDRAWN
    nominee.save()

    login(manager_user).post(edition_url("nominee_withdraw", edition, nominee.pk), {"restore": "1"})

    nominee.refresh_from_db()
    assert nominee.status == Nominee.Status.WITHDRAWN


def test_a_declined_nominee_is_not_restored_by_a_manager(login, manager_user, nominee):
    nominee.status = Nominee.Status.DECLINED
    nominee.save()

    login(manager_user).post(
        edition_url("nominee_withdraw", nominee.category.edition, nominee.pk), {"restore": "1"}
    )

    nominee.refresh_from_db()
    assert nominee.status == Nominee.Status.DECLINED


def test_nothing_changes_once_announced(login, manager_user, nominee):
    edition = nominee.category.edition
    edition.announced_at = timezone.now()
    edition.save()

    login(manager_user).post(
        edition_url("nominee_withdraw", edition, nominee.pk), {"reason": "Late"}
    )

    nominee.refresh_from_db()
    assert nominee.status == Nominee.Status.NOMINATED


def test_withdrawing_is_audited(login, manager_user, nominee):
    from laurier.organisations.models import AuditEvent

    login(manager_user).post(
        edition_url("nominee_withdraw", nominee.category.edition, nominee.pk),
        {"reason": "Left the company"},
    )

    event = AuditEvent.objects.get(object_type="contests.nominee")
    assert event.actor == manager_user
    assert event.changes["status"] == ["nominated", "withdrawn"]


def test_evidence_without_a_recorded_name_is_served_under_its_stored_name(
    login, manager_user, nominee
):
    nomination = factories.NominationFactory(nominee=nominee, evidence_name="")
    nomination.evidence.save("story.txt", ContentFile(b"Thank you"))

    response = login(manager_user).get(
        edition_url("evidence", nominee.category.edition, nomination.pk)
    )

    assert response.status_code == 200
    assert nomination.evidence.name.rsplit("/", 1)[-1] in response["Content-Disposition"]


def test_evidence_lost_from_storage_answers_not_found(login, manager_user, nominee):
    nomination = factories.NominationFactory(nominee=nominee, evidence_name="letter.pdf")
    nomination.evidence.save("letter.pdf", ContentFile(b"%PDF-1.4 test"))
    nomination.evidence.storage.delete(nomination.evidence.name)

    response = login(manager_user).get(
        edition_url("evidence", nominee.category.edition, nomination.pk)
    )

    assert response.status_code == 404


def close_scoring(edition):
    today = datetime.date.today()
    edition.nominations_open_on = today - datetime.timedelta(days=40)
    edition.nominations_close_on = today - datetime.timedelta(days=30)
    edition.scoring_close_on = today - datetime.timedelta(days=1)
    edition.announce_on = today + datetime.timedelta(days=5)
    edition.save()


def test_withdrawing_is_refused_once_scoring_closed(login, manager_user, nominee):
    edition = nominee.category.edition
    close_scoring(edition)

    with translation.override("en"):
        response = login(manager_user).post(
            edition_url("nominee_withdraw", edition, nominee.pk),
            {"reason": "Leading, alas"},
            follow=True,
        )

    nominee.refresh_from_db()
    assert nominee.status == Nominee.Status.NOMINATED
    assert "Scoring is closed" in response.content.decode()


def test_once_scoring_closed_the_page_says_why_instead_of_withdraw(login, manager_user, nominee):
    edition = nominee.category.edition
    close_scoring(edition)

    with translation.override("en"):
        html = (
            login(manager_user)
            .get(edition_url("nominee_detail", edition, nominee.pk))
            .content.decode()
        )

    assert "Scoring is closed: who is in the running" in html
    assert "nominee_withdraw" not in html and 'name="reason"' not in html


@pytest.fixture
def manager_juror(manager_user, nominee):
    """The manager also sits on this edition's jury, declared in conflict with the nominee."""
    from laurier.contests.models import DeclaredConflict

    juror = factories.JurorFactory(edition=nominee.category.edition, email=manager_user.email)
    DeclaredConflict.objects.create(juror=juror, nominee=nominee, reason="family")
    return juror


def test_a_manager_on_the_jury_does_not_read_a_conflicted_nominees_stories(
    login, manager_user, nominee, manager_juror
):
    factories.NominationFactory(nominee=nominee, story="Patient, always.")

    with translation.override("en"):
        html = (
            login(manager_user)
            .get(edition_url("nominee_detail", nominee.category.edition, nominee.pk))
            .content.decode()
        )

    assert "Patient, always." not in html
    assert "conflict of interest with this nominee" in html


def test_a_manager_on_the_jury_cannot_download_a_conflicted_nominees_evidence(
    login, manager_user, nominee, manager_juror
):
    nomination = factories.NominationFactory(nominee=nominee, evidence_name="letter.pdf")
    nomination.evidence.save("letter.pdf", ContentFile(b"%PDF-1.4 test"))

    response = login(manager_user).get(
        edition_url("evidence", nominee.category.edition, nomination.pk)
    )

    assert response.status_code == 404


def test_a_manager_on_the_jury_reads_the_nominees_they_are_free_to_score(
    login, manager_user, nominee
):
    factories.JurorFactory(edition=nominee.category.edition, email=manager_user.email)
    factories.NominationFactory(nominee=nominee, story="Patient, always.")

    html = (
        login(manager_user)
        .get(edition_url("nominee_detail", nominee.category.edition, nominee.pk))
        .content.decode()
    )

    assert "Patient, always." in html
