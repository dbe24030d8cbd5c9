"""The nominating service: when a nomination is taken, how nominations merge per nominee, who
is told, and what is refused (with nothing written)."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from laurier.contests.models import Nomination, Nominee, Relation
from laurier.contests.services import nominations as services
from laurier.outbox.models import OutgoingEmail
from laurier.recognition.categories import PublicConsent
from laurier.testing import factories

from .test_nominations_support import (
    OPEN_DAY,
    PDF_BYTES,
    PNG_BYTES,
    _files_in_tmp,  # noqa: F401
    _fresh_rate_limits,  # noqa: F401
    consent,
    enrol,
    nominate,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(program):
    return factories.EditionFactory(program=program, organisation=program.organisation)


@pytest.fixture
def category(edition):
    return factories.CategoryFactory(edition=edition, name_en="Mentor of the year")


@pytest.fixture
def helene(program):
    return enrol(program, email="helene@example.org")


def errors_of(excinfo):
    return excinfo.value.message_dict


def test_a_first_nomination_creates_the_nominee_in_the_mentors_program(
    edition, category, helene, program
):
    nomination, created = nominate(edition, category, helene)

    assert created
    nominee = nomination.nominee
    assert (nominee.category, nominee.person, nominee.program) == (category, helene, program)
    assert nominee.status == Nominee.Status.NOMINATED
    assert nomination.story == "Hélène m'a appris à oser."
    assert nomination.source == Nomination.Source.LINK


def test_a_second_nominator_adds_their_story_to_the_same_nominee(edition, category, helene):
    first, _ = nominate(edition, category, helene)
    second, created = nominate(
        edition, category, helene, nominator_email="sophie@example.org", story="Une inspiration."
    )

    assert created
    assert second.nominee == first.nominee
    assert Nominee.objects.count() == 1
    assert sorted(first.nominee.nominations.values_list("story", flat=True)) == [
        "Hélène m'a appris à oser.",
        "Une inspiration.",
    ]


def test_the_same_address_with_another_story_changes_nothing(edition, category, helene):
    first, _ = nominate(edition, category, helene)

    with pytest.raises(services.AlreadyNominated) as excinfo:
        nominate(edition, category, helene, nominator_email="JEAN.ROY@example.org", story="Faux.")

    assert excinfo.value.nomination.pk == first.pk
    assert Nomination.objects.get().story == "Hélène m'a appris à oser."


def test_the_same_address_with_another_story_is_sent_its_change_link(edition, category, helene):
    first, _ = nominate(edition, category, helene)

    with pytest.raises(services.AlreadyNominated):
        nominate(edition, category, helene, story="Faux.")

    [resent] = OutgoingEmail.objects.filter(reason=f"contest-nomination-link:{first.pk}")
    assert resent.to == "jean.roy@example.org"
    assert first.token in resent.text
    assert "Faux." not in resent.text


def test_the_change_link_is_sent_again_at_most_once_per_ten_minutes(edition, category, helene):
    first, _ = nominate(edition, category, helene)

    for attempt in range(3):
        with pytest.raises(services.AlreadyNominated):
            nominate(edition, category, helene, story=f"Faux {attempt}.")

    assert OutgoingEmail.objects.filter(reason=f"contest-nomination-link:{first.pk}").count() == 1


def test_the_change_link_is_sent_again_after_ten_minutes(edition, category, helene):
    first, _ = nominate(edition, category, helene)
    with pytest.raises(services.AlreadyNominated):
        nominate(edition, category, helene, story="Faux.")
    OutgoingEmail.objects.filter(reason=f"contest-nomination-link:{first.pk}").update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )

    with pytest.raises(services.AlreadyNominated):
        nominate(edition, category, helene, story="Faux encore.")

    assert OutgoingEmail.objects.filter(reason=f"contest-nomination-link:{first.pk}").count() == 2


def test_the_same_address_with_a_new_file_changes_nothing(edition, category, helene):
    nominate(edition, category, helene, evidence=upload(PDF_BYTES))

    with pytest.raises(services.AlreadyNominated):
        nominate(edition, category, helene, evidence=upload(PNG_BYTES, name="b.png"))

    assert Nomination.objects.get().evidence_type == "application/pdf"


def test_the_same_file_again_is_a_double_submit(edition, category, helene):
    nominate(edition, category, helene, evidence=upload(PDF_BYTES))

    _nomination, created = nominate(
        edition, category, helene, evidence=upload(PDF_BYTES, name="renamed.pdf")
    )

    assert not created
    assert not OutgoingEmail.objects.filter(reason__startswith="contest-nomination-link:").exists()


def test_a_double_submit_writes_one_nomination_and_one_acknowledgment(edition, category, helene):
    nominate(edition, category, helene)
    nominate(edition, category, helene)

    assert Nomination.objects.count() == 1
    assert OutgoingEmail.objects.filter(to="jean.roy@example.org").count() == 1


def test_the_same_mentor_in_two_categories_is_two_nominees(edition, category, helene):
    other = factories.CategoryFactory(edition=edition)

    nominate(edition, category, helene)
    nominate(edition, other, helene)

    assert Nominee.objects.filter(person=helene).count() == 2


def test_a_nomination_before_the_opening_is_refused(edition, category, helene):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        nominate(edition, category, helene, today=datetime.date(2026, 2, 28))

    assert excinfo.value.messages == ["Nominations open on March 1, 2026."]
    assert not Nominee.objects.exists()


def test_a_late_nomination_is_refused(edition, category, helene):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        nominate(edition, category, helene, today=datetime.date(2026, 4, 1))

    assert excinfo.value.messages == ["Nominations closed on March 31, 2026."]
    assert not Nominee.objects.exists()


def test_the_last_day_still_takes_nominations(edition, category, helene):
    _nomination, created = nominate(edition, category, helene, today=datetime.date(2026, 3, 31))

    assert created


def test_an_announced_edition_takes_no_nomination(edition, category, helene):
    from django.utils import timezone

    edition.announced_at = timezone.now()
    edition.save()

    with pytest.raises(ValidationError):
        nominate(edition, category, helene)
    assert not Nominee.objects.exists()


def test_a_category_of_another_edition_is_refused(edition, helene, program):
    elsewhere = factories.CategoryFactory(
        edition=factories.EditionFactory(program=program, organisation=program.organisation)
    )

    with pytest.raises(ValidationError) as excinfo:
        nominate(edition, elsewhere, helene)

    assert "category" in errors_of(excinfo)
    assert not Nominee.objects.exists()


def test_a_person_who_is_not_a_mentor_is_refused(edition, category, program):
    mentee = factories.MenteeEnrolmentFactory(program=program).person

    with pytest.raises(ValidationError) as excinfo:
        nominate(edition, category, mentee)

    assert "nominee" in errors_of(excinfo)
    assert not Nominee.objects.exists()


def test_another_organisations_mentor_gets_the_same_refusal(
    edition, category, program, other_organisation
):
    stranger = enrol(factories.ProgramFactory(organisation=other_organisation))
    mentee = factories.MenteeEnrolmentFactory(program=program).person

    with pytest.raises(ValidationError) as stranger_refusal:
        nominate(edition, category, stranger)
    with pytest.raises(ValidationError) as mentee_refusal:
        nominate(edition, category, mentee)

    assert errors_of(stranger_refusal)["nominee"] == errors_of(mentee_refusal)["nominee"]
    assert not Nominee.objects.exists()


def test_a_mentor_who_left_is_not_eligible(edition, category, program):
    gone = factories.MentorEnrolmentFactory(program=program, status="left").person

    with pytest.raises(ValidationError) as excinfo:
        nominate(edition, category, gone)

    assert "nominee" in errors_of(excinfo)


def test_self_nomination_is_refused_when_the_edition_does_not_allow_it(edition, category, helene):
    with pytest.raises(ValidationError) as excinfo:
        nominate(edition, category, helene, nominator_email="Helene@example.org")

    assert "nominee" in errors_of(excinfo)
    assert not Nominee.objects.exists()


def test_self_nomination_as_the_person_in_laurier_is_refused_too(edition, category, helene):
    with pytest.raises(ValidationError):
        nominate(edition, category, helene, nominator_person=helene)

    assert not Nominee.objects.exists()


def test_self_nomination_is_taken_when_allowed_and_says_so(edition, category, helene):
    edition.allow_self_nomination = True
    edition.save()

    nomination, created = nominate(edition, category, helene, nominator_email="helene@example.org")

    assert created
    assert nomination.relation == Relation.SELF


def test_myself_is_refused_for_someone_else(edition, category, helene):
    edition.allow_self_nomination = True
    edition.save()

    with pytest.raises(ValidationError) as excinfo:
        nominate(edition, category, helene, relation=Relation.SELF)

    assert "relation" in errors_of(excinfo)


def test_an_empty_story_is_refused(edition, category, helene):
    with pytest.raises(ValidationError) as excinfo:
        nominate(edition, category, helene, story="   ")

    assert "story" in errors_of(excinfo)
    assert not Nominee.objects.exists()


def test_a_story_too_long_is_refused_with_its_length(edition, category, helene):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        nominate(edition, category, helene, story="x" * 4001)

    assert errors_of(excinfo)["story"] == ["Your story is 4001 characters long: keep it to 4000."]
    assert not Nominee.objects.exists()


def test_a_bad_email_address_is_refused(edition, category, helene):
    with pytest.raises(ValidationError) as excinfo:
        nominate(edition, category, helene, nominator_email="jean@")

    assert "nominator_email" in errors_of(excinfo)


def test_a_nominee_who_declined_cannot_be_nominated_again(edition, category, helene):
    nomination, _ = nominate(edition, category, helene)
    services.decline(nomination.nominee, today=OPEN_DAY)

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        nominate(edition, category, helene, nominator_email="sophie@example.org")

    assert "has chosen not to take part" in errors_of(excinfo)["nominee"][0]
    assert Nomination.objects.count() == 1


def test_a_withdrawn_nominee_cannot_be_nominated_again(edition, category, helene):
    nomination, _ = nominate(edition, category, helene)
    Nominee.objects.update(status=Nominee.Status.WITHDRAWN)

    with pytest.raises(ValidationError):
        nominate(edition, category, helene, nominator_email="sophie@example.org")

    assert Nomination.objects.count() == 1


def test_the_nominee_is_told_once_in_their_language(edition, category, program):
    sophie = enrol(program, "Sophie", "Gagnon", email="sophie@example.org", language="en")

    nominate(edition, category, sophie)
    nominate(edition, category, sophie, nominator_email="other@example.org")

    told = OutgoingEmail.objects.filter(to="sophie@example.org")
    assert told.count() == 1
    email = told.get()
    assert email.subject == "You are nominated: Mentor of the year 2026"
    assert "in the category “Mentor of the year”" in email.text
    assert Nominee.objects.get().token in email.text
    assert Nominee.objects.get().told_at is not None


def test_the_nominee_is_never_told_who_nominated_them(edition, category, helene):
    nominate(edition, category, helene, nominator_name="Jean Roy")

    email = OutgoingEmail.objects.get(to="helene@example.org")
    assert "Jean" not in email.text
    assert "Jean" not in email.html
    assert "m'a appris" not in email.text


def test_a_french_speaking_nominee_is_told_in_french(edition, category, helene):
    nominate(edition, category, helene)

    email = OutgoingEmail.objects.get(to="helene@example.org")
    assert "Mentor de l'année 2026" in email.subject
    assert "Mentor of the year 2026" not in email.text


@pytest.mark.parametrize("answer", [PublicConsent.YES, PublicConsent.ASK])
def test_a_nominee_who_did_not_refuse_is_told(edition, category, helene, answer):
    consent(helene, answer)

    nominate(edition, category, helene)

    assert OutgoingEmail.objects.filter(to="helene@example.org").exists()


def test_a_nominee_who_refused_public_recognition_is_not_told(edition, category, helene):
    consent(helene, PublicConsent.NO)

    nominate(edition, category, helene)

    assert not OutgoingEmail.objects.filter(to="helene@example.org").exists()
    assert Nominee.objects.get().told_at is None


def test_the_nominator_is_thanked_in_their_language(edition, category, helene):
    nominate(edition, category, helene, language="en")

    email = OutgoingEmail.objects.get(to="jean.roy@example.org")
    assert email.subject == f"Your nomination of {helene.full_name} is received"
    assert "category “Mentor of the year”" in email.text


def test_the_acknowledgment_repeats_nothing_the_sender_typed(edition, category, helene):
    """Anyone may type any address: the e-mail must not carry a stranger's text to it."""
    nominate(
        edition,
        category,
        helene,
        language="en",
        nominator_name="Buy cheap watches",
        story="Visit example.com for cheap watches.",
    )

    email = OutgoingEmail.objects.get(to="jean.roy@example.org")
    for body in (email.text, email.html):
        assert "cheap watches" not in body
        assert "If you did not nominate anyone, ignore this e-mail." in body
        assert helene.full_name in body


def test_a_known_nominator_is_thanked_in_their_own_language(edition, category, helene, program):
    jean = factories.PersonFactory(
        organisation=program.organisation, email="jean.roy@example.org", language="en"
    )

    nominate(edition, category, helene, nominator_person=jean, language="fr-ca")

    email = OutgoingEmail.objects.get(to="jean.roy@example.org")
    assert email.subject.startswith("Your nomination of")


def test_the_emails_leave_through_the_outbox(edition, category, helene):
    nominate(edition, category, helene)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "helene@example.org",
        "jean.roy@example.org",
    ]


def test_declining_is_recorded_and_audited(edition, category, helene):
    from laurier.organisations.models import AuditEvent

    nomination, _ = nominate(edition, category, helene)

    nominee, changed = services.decline(
        nomination.nominee, reason="Pas cette année.", today=OPEN_DAY
    )

    assert changed
    nominee.refresh_from_db()
    assert nominee.status == Nominee.Status.DECLINED
    assert nominee.status_reason == "Pas cette année."
    assert AuditEvent.objects.filter(
        object_type="contests.nominee", object_id=str(nominee.pk)
    ).exists()


def test_declining_twice_declines_once(edition, category, helene):
    nomination, _ = nominate(edition, category, helene)
    services.decline(nomination.nominee, today=OPEN_DAY)

    _nominee, changed = services.decline(nomination.nominee, today=OPEN_DAY)

    assert not changed


def test_declining_during_scoring_is_still_possible(edition, category, helene):
    nomination, _ = nominate(edition, category, helene)

    _nominee, changed = services.decline(nomination.nominee, today=datetime.date(2026, 4, 20))

    assert changed


def test_declining_after_scoring_closed_is_refused(edition, category, helene):
    nomination, _ = nominate(edition, category, helene)

    with pytest.raises(ValidationError):
        services.decline(nomination.nominee, today=datetime.date(2026, 4, 21))

    assert Nominee.objects.get().status == Nominee.Status.NOMINATED


def test_a_nominee_who_declined_may_change_their_mind_until_scoring_closes(
    edition, category, helene
):
    from laurier.organisations.models import AuditEvent

    nomination, _ = nominate(edition, category, helene)
    services.decline(nomination.nominee, reason="Pas cette année.", today=OPEN_DAY)

    nominee, changed = services.undo_decline(nomination.nominee, today=datetime.date(2026, 4, 20))

    assert changed
    nominee.refresh_from_db()
    assert nominee.status == Nominee.Status.NOMINATED
    assert nominee.status_reason == ""
    assert (
        AuditEvent.objects.filter(object_type="contests.nominee", object_id=str(nominee.pk)).count()
        == 2
    )


def test_a_nominee_back_in_the_running_receives_nominations_again(edition, category, helene):
    nomination, _ = nominate(edition, category, helene)
    services.decline(nomination.nominee, today=OPEN_DAY)
    services.undo_decline(nomination.nominee, today=OPEN_DAY)

    _other, created = nominate(edition, category, helene, nominator_email="s@example.org")

    assert created


def test_undoing_a_decline_after_scoring_closed_is_refused(edition, category, helene):
    nomination, _ = nominate(edition, category, helene)
    services.decline(nomination.nominee, today=OPEN_DAY)

    with pytest.raises(ValidationError) as excinfo:
        services.undo_decline(nomination.nominee, today=datetime.date(2026, 4, 21))

    assert excinfo.value.code == "too_late"
    assert Nominee.objects.get().status == Nominee.Status.DECLINED


def test_undoing_twice_changes_nothing_the_second_time(edition, category, helene):
    nomination, _ = nominate(edition, category, helene)
    services.decline(nomination.nominee, today=OPEN_DAY)
    services.undo_decline(nomination.nominee, today=OPEN_DAY)

    _nominee, changed = services.undo_decline(nomination.nominee, today=OPEN_DAY)

    assert not changed


def test_a_withdrawn_nominee_cannot_put_themselves_back(edition, category, helene):
    nomination, _ = nominate(edition, category, helene)
    Nominee.objects.update(status=Nominee.Status.WITHDRAWN)

    with pytest.raises(ValidationError):
        services.undo_decline(nomination.nominee, today=OPEN_DAY)

    assert Nominee.objects.get().status == Nominee.Status.WITHDRAWN


def test_two_simultaneous_first_nominations_make_one_nominee(
    monkeypatch, edition, category, helene
):
    """The second one looked before the first one wrote: the constraint sends it to the row."""
    nominate(edition, category, helene)
    looked_too_early = services._locked_nominee

    def first_look_finds_nothing(category, person, must_exist=False):
        return looked_too_early(category, person, must_exist) if must_exist else None

    monkeypatch.setattr(services, "_locked_nominee", first_look_finds_nothing)

    nomination, created = nominate(edition, category, helene, nominator_email="s@example.org")

    assert created
    assert Nominee.objects.count() == 1
    assert nomination.nominee.nominations.count() == 2
    assert OutgoingEmail.objects.filter(to="helene@example.org").count() == 1


def test_the_same_nominators_two_simultaneous_submits_make_one_nomination(
    monkeypatch, edition, category, helene
):
    nominate(edition, category, helene)
    looked_too_early = services._own_nomination

    def first_look_finds_nothing(nominee, email, must_exist=False):
        return looked_too_early(nominee, email, must_exist) if must_exist else None

    monkeypatch.setattr(services, "_own_nomination", first_look_finds_nothing)

    nomination, created = nominate(edition, category, helene)

    assert not created
    assert Nomination.objects.count() == 1
    assert OutgoingEmail.objects.filter(to="jean.roy@example.org").count() == 1


def test_the_acknowledgment_carries_the_personal_change_link(edition, category, helene):
    nomination, _ = nominate(edition, category, helene, language="en")

    email = OutgoingEmail.objects.get(to="jean.roy@example.org")
    assert f"/contest/nomination/{nomination.token}/" in email.text
    assert f"/contest/nomination/{nomination.token}/" in email.html
    assert "do not share the link" in email.text


def test_a_member_signed_in_changes_the_nomination_they_made_at_the_link(
    edition, category, helene, mentee_user
):
    nominate(edition, category, helene, nominator_email=mentee_user.email)

    again, created = nominate(
        edition,
        category,
        helene,
        nominator_email=mentee_user.email,
        nominator_user=mentee_user,
        source=Nomination.Source.LAURIER,
        story="Mieux dit.",
    )

    assert not created
    assert Nomination.objects.get().story == "Mieux dit."


def test_a_nomination_made_in_laurier_cannot_be_rewritten_through_the_public_link(
    edition, category, helene, mentee_user
):
    nominate(
        edition,
        category,
        helene,
        nominator_email=mentee_user.email,
        nominator_user=mentee_user,
        source=Nomination.Source.LAURIER,
    )

    with pytest.raises(ValidationError) as excinfo:
        nominate(edition, category, helene, nominator_email=mentee_user.email, story="Faux.")

    assert "nominator_email" in errors_of(excinfo)
    assert Nomination.objects.get().story == "Hélène m'a appris à oser."
