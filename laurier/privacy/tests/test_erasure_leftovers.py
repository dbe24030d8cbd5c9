"""Erasing a person leaves nothing of them anywhere: import files, contest results, plans,
e-mails to others, invitations, the trail; and it ends what was under way for them."""

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from laurier.contests.models import Edition
from laurier.contests.services.announcement import announce
from laurier.contests.tests.test_results import scored_edition
from laurier.core.dates import organisation_today
from laurier.imports import services as imports
from laurier.imports.models import ImportJob
from laurier.organisations.audit import record_event
from laurier.organisations.models import AuditEvent, Membership, Role
from laurier.outbox.models import OutgoingEmail
from laurier.privacy import selectors
from laurier.privacy.services.erasure import erase_person
from laurier.programs.models import Person
from laurier.recognition.categories import Giver
from laurier.recognition.models import Award, NoteCampaign, Plan, PlanLine
from laurier.recognition.tests.test_award_service_support import (
    approved,
    budget_for,
    option_of,
    usage,
)
from laurier.testing import factories

pytestmark = pytest.mark.django_db

STAFF = (
    "email,first_name,last_name\n"
    "zoe.quintal@example.org,Zoé,Quintal\n"
    "x.y@example.org,Xavier,Yelle\n"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def checked(organisation, admin_user, content=STAFF, name="staff.csv"):
    """A checked file, waiting for someone to press Import."""
    membership = Membership.objects.get(user=admin_user, organisation=organisation)
    return imports.create_import(
        membership=membership,
        user=admin_user,
        kind="people",
        program=None,
        uploaded_file=SimpleUploadedFile(name, content.encode()),
        in_background=False,
    )


def imported(organisation, admin_user, content=STAFF):
    job = checked(organisation, admin_user, content)
    imports.start_import(job, user=admin_user, in_background=False)
    job.refresh_from_db()
    return job


def zoe(organisation):
    return Person.objects.get(organisation=organisation, email="zoe.quintal@example.org")


def test_the_export_lists_an_import_waiting_with_their_row(media, organisation, admin_user):
    imported(organisation, admin_user)
    waiting = checked(organisation, admin_user, name="again.csv")
    rows = selectors.person_data(organisation, person=zoe(organisation)).as_json()["imports"]
    # The finished import's file was deleted when it ended: it names nobody any more.
    assert [(row["file"], row["status"]) for row in rows] == [(waiting.original_name, "ready")]


def test_the_stored_file_naming_them_is_deleted_after_the_erasure(
    media, organisation, admin_user, django_capture_on_commit_callbacks
):
    imported(organisation, admin_user)
    stored = checked(organisation, admin_user, name="again.csv").file.name
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(zoe(organisation), actor=admin_user)
    assert not default_storage.exists(stored)


def test_an_import_still_waiting_with_their_row_fails_instead_of_bringing_them_back(
    media, organisation, admin_user
):
    imported(organisation, admin_user)
    waiting = checked(organisation, admin_user, name="again.csv")
    erase_person(zoe(organisation), actor=admin_user)
    waiting.refresh_from_db()
    assert (waiting.status, [e["code"] for e in waiting.errors]) == ("failed", ["person_erased"])


def test_importing_them_again_is_a_problem_not_a_new_person(media, organisation, admin_user):
    imported(organisation, admin_user)
    erase_person(zoe(organisation), actor=admin_user)
    again = imported(organisation, admin_user, STAFF.replace("zoe.quintal", "ZOE.Quintal"))
    assert again.status == ImportJob.Status.INVALID
    assert [(e["row"], e["code"]) for e in again.errors] == [(2, "erased_person")]
    assert again.errors[0]["params"]["date"] == organisation_today(organisation).isoformat()
    assert not Person.objects.filter(last_name="Quintal").exists()


def test_only_a_hash_of_their_address_is_kept(media, organisation, admin_user):
    from laurier.privacy.models import ErasedEmail

    imported(organisation, admin_user)
    erase_person(zoe(organisation), actor=admin_user)
    digest = ErasedEmail.objects.get().digest
    assert len(digest) == 64 and "quintal" not in digest


def test_an_announced_result_no_longer_names_them(program, admin_user, manager_user):
    edition, _category, nominees, jurors = scored_edition(program)
    edition.option = factories.RecognitionOptionFactory(organisation=program.organisation)
    edition.save()
    announce(edition, actor=manager_user, today=edition.announce_on)
    winner, juror = nominees[2].person, jurors["severe"]
    juror.person = factories.PersonFactory(organisation=program.organisation)
    juror.save()
    for person in (winner, juror.person):
        erase_person(person, actor=admin_user)
    result = json.dumps(Edition.objects.get(pk=edition.pk).result, ensure_ascii=False)
    assert "Cy Mentor" not in result and "Sévère" not in result
    winner.refresh_from_db()
    assert winner.full_name in result


def test_the_planners_reasons_about_them_are_cleared(program, mentor, admin_user):
    plan = Plan.objects.create(
        organisation=program.organisation,
        program=program,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    PlanLine.objects.create(
        plan=plan,
        mentor=mentor,
        option=factories.RecognitionOptionFactory(organisation=program.organisation),
        moment_key="year-end",
        moment_date=datetime.date(2026, 12, 1),
        moment_kind="year_end",
        givers=[Giver.MANAGER],
        reason_en="Jeanne Tremblay values cards (5/5)",
        reason_fr="Jeanne Tremblay aime les cartes (5/5)",
    )
    erase_person(mentor, actor=admin_user)
    assert list(PlanLine.objects.values_list("reason_en", "reason_fr")) == [("", "")]


def note_campaign(program, mentor):
    return NoteCampaign.objects.create(
        organisation=program.organisation,
        program=program,
        mentor=mentor,
        message="Jeanne part à la retraite, écrivez-lui !",
        closes_on=datetime.date(2026, 12, 1),
    )


def test_their_note_campaign_closes_without_its_message(program, mentor, admin_user):
    campaign = note_campaign(program, mentor)
    erase_person(mentor, actor=admin_user)
    campaign.refresh_from_db()
    assert (campaign.message, campaign.closed_at is not None) == ("", True)


def test_emails_to_others_about_them_are_withdrawn_and_emptied(
    program, organisation, mentor, admin_user, manager_user
):
    campaign = note_campaign(program, mentor)
    to_writer = OutgoingEmail.objects.create(
        organisation=organisation,
        to="writer@example.org",
        subject="Un mot pour une mentore",
        text="Write to her",
        topic=f"note-campaign:{campaign.pk}",
    )
    naming = OutgoingEmail.objects.create(
        organisation=organisation,
        to=manager_user.email,
        subject="A note for Jeanne Tremblay to read",
        text="Jeanne Tremblay received a note",
        status=OutgoingEmail.Status.SENT,
    )
    erase_person(mentor, actor=admin_user)
    to_writer.refresh_from_db()
    naming.refresh_from_db()
    assert (to_writer.status, to_writer.text) == (OutgoingEmail.Status.CANCELLED, "")
    assert naming.status == OutgoingEmail.Status.SENT
    assert "Jeanne" not in naming.subject + naming.text


def test_invitations_and_the_trail_lose_their_address(organisation, admin_user):
    user = factories.UserFactory(email="lea.ouellet@example.org")
    membership = factories.MembershipFactory(organisation=organisation, user=user, role=Role.MENTOR)
    person = factories.PersonFactory(
        organisation=organisation, user=user, email="Lea.Ouellet@example.org"
    )
    invitation = factories.InvitationFactory(organisation=organisation, email=user.email)
    record_event(
        organisation=organisation,
        actor=admin_user,
        action=AuditEvent.Action.CREATE,
        instance=membership,
        changes={},
    )
    erase_person(person, actor=admin_user)
    invitation.refresh_from_db()
    assert "ouellet" not in invitation.email and invitation.revoked_at is not None
    assert not AuditEvent.objects.filter(object_repr__icontains="ouellet").exists()


def test_their_open_recognitions_are_cancelled_and_the_budget_gets_it_back(
    program, mentor, admin_user, manager_user
):
    day = organisation_today(program.organisation)
    factories.MentorEnrolmentFactory(program=program, person=mentor)
    budget = budget_for(program, day)
    award = approved(program, mentor, option_of(program.organisation), manager_user, planned_on=day)
    assert usage(budget)[0] > 0
    erase_person(mentor, actor=admin_user)
    award.refresh_from_db()
    assert (award.status, usage(budget)) == (Award.Status.CANCELLED, (0, 0))


def test_evidence_files_go_only_once_the_erasure_is_committed(
    media, program, mentor, admin_user, django_capture_on_commit_callbacks
):
    nomination = factories.NominationFactory(
        nominee__category__edition__program=program, nominee__person=mentor
    )
    nomination.evidence.save("proof.pdf", ContentFile(b"%PDF-1.4 Jeanne"), save=True)
    stored = nomination.evidence.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        erase_person(mentor, actor=admin_user)
    assert default_storage.exists(stored)
    for callback in callbacks:
        callback()
    assert not default_storage.exists(stored)


def test_emails_naming_someone_whose_name_holds_theirs_are_left_alone(
    organisation, program, admin_user, manager_user
):
    li = factories.MentorEnrolmentFactory(
        program=program, person__first_name="Li", person__last_name="Wu"
    ).person
    other = OutgoingEmail.objects.create(
        organisation=organisation,
        to=manager_user.email,
        subject="Bravo Mali Wuhan",
        text="Mali Wuhan received a note",
    )
    naming = OutgoingEmail.objects.create(
        organisation=organisation,
        to=manager_user.email,
        subject="Bravo _Li Wu_!",
        text="Li Wu received a note",
    )
    longer_address = OutgoingEmail.objects.create(
        organisation=organisation,
        to=manager_user.email,
        subject="Note",
        text=f"Write to jean-{li.email}",
    )
    erase_person(li, actor=admin_user)
    longer_address.refresh_from_db()
    assert longer_address.text == f"Write to jean-{li.email}"
    other.refresh_from_db()
    naming.refresh_from_db()
    assert (other.status, other.subject, other.text) == (
        OutgoingEmail.Status.PENDING,
        "Bravo Mali Wuhan",
        "Mali Wuhan received a note",
    )
    assert naming.status == OutgoingEmail.Status.CANCELLED
    assert "Li Wu" not in naming.subject + naming.text
