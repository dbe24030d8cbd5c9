"""Setting up the jury: adding jurors, inviting them, removing one, and the conflicts of
interest a manager sees and records for them."""

import datetime

import pytest
from django.utils import timezone, translation

from laurier.contests.models import DeclaredConflict, Juror, Score
from laurier.outbox.models import OutgoingEmail
from laurier.testing import factories

from .test_editions_support import edition_url, open_edition

pytestmark = pytest.mark.django_db


def juror_data(**changes):
    return {
        "name": "Sophie Gagnon",
        "email": "sophie@example.org",
        "language": "en",
        "kind": "executive",
        **changes,
    }


def test_a_typed_juror_is_linked_to_the_person_with_that_email(
    login, manager_user, program, organisation
):
    edition = open_edition(program)
    person = factories.PersonFactory(organisation=organisation, email="Sophie@Example.org")

    login(manager_user).post(edition_url("jury", edition), juror_data())

    juror = Juror.objects.get(edition=edition)
    assert juror.person == person
    assert (juror.name, juror.kind, juror.language) == ("Sophie Gagnon", "executive", "en")


def test_a_juror_chosen_by_search_takes_their_name_email_and_language(
    login, manager_user, program, organisation
):
    edition = open_edition(program)
    person = factories.PersonFactory(
        organisation=organisation, first_name="Luc", last_name="Côté", language="en"
    )
    client = login(manager_user)

    found = client.get(edition_url("jury", edition), {"find": "cote"})
    client.post(edition_url("jury", edition), {"person": str(person.pk), "kind": "manager"})

    assert person in found.context["found"]
    juror = Juror.objects.get(edition=edition)
    assert (juror.person, juror.email, juror.language) == (person, person.email, "en")


def test_someone_of_another_organisation_cannot_be_chosen(
    login, manager_user, program, other_organisation
):
    edition = open_edition(program)
    stranger = factories.PersonFactory(organisation=other_organisation)

    login(manager_user).post(
        edition_url("jury", edition), {"person": str(stranger.pk), "kind": "manager"}
    )

    assert not Juror.objects.exists()


def test_the_same_person_twice_is_refused(login, manager_user, program):
    edition = open_edition(program)
    factories.JurorFactory(edition=edition, email="sophie@example.org")

    with translation.override("en"):
        response = login(manager_user).post(edition_url("jury", edition), juror_data())

    assert response.context["form"].errors["email"] == ["This person is already on the jury."]
    assert Juror.objects.count() == 1


def test_the_jury_page_counts_what_each_juror_scored(login, manager_user, program):
    edition = open_edition(program)
    category = factories.CategoryFactory(edition=edition)
    criterion = factories.CriterionFactory(edition=edition)
    nominees = factories.NomineeFactory.create_batch(3, category=category)
    juror = factories.JurorFactory(edition=edition)
    Score.objects.create(juror=juror, nominee=nominees[0], criterion=criterion, value=4)
    DeclaredConflict.objects.create(juror=juror, nominee=nominees[2], reason="family")

    with translation.override("en"):
        html = login(manager_user).get(edition_url("jury", edition)).content.decode()

    assert "1 of 2" in html
    assert "1 nominee set aside" in html


def test_inviting_emails_the_personal_link_in_the_jurors_language(login, manager_user, program):
    edition = open_edition(program)
    juror = factories.JurorFactory(edition=edition, language="en", email="j@example.org")

    login(manager_user).post(edition_url("juror_invite", edition, juror.pk))

    email = OutgoingEmail.objects.get()
    juror.refresh_from_db()
    assert email.to == "j@example.org"
    assert email.subject.endswith("you are on the jury of Mentor of the year 2026")
    assert f"/contest/jury/{juror.token}/" in email.text
    assert email.text.count("http") >= 1
    assert juror.invited_at is not None


def test_a_french_juror_is_invited_in_french(login, manager_user, program):
    edition = open_edition(program)
    juror = factories.JurorFactory(edition=edition, language="fr-ca")

    with translation.override("en"):
        login(manager_user).post(edition_url("juror_invite", edition, juror.pk))

    # The edition's name in the juror's language says the e-mail is written in it (the
    # sentences follow as soon as the French catalogue has them).
    assert "Mentor de l'année" in OutgoingEmail.objects.get().subject


def test_a_double_click_on_invite_sends_one_email(login, manager_user, program):
    edition = open_edition(program)
    juror = factories.JurorFactory(edition=edition)
    client = login(manager_user)

    client.post(edition_url("juror_invite", edition, juror.pk))
    client.post(edition_url("juror_invite", edition, juror.pk))

    assert OutgoingEmail.objects.count() == 1


def test_inviting_again_later_resends(login, manager_user, program):
    edition = open_edition(program)
    juror = factories.JurorFactory(
        edition=edition, invited_at=timezone.now() - datetime.timedelta(days=2)
    )

    login(manager_user).post(edition_url("juror_invite", edition, juror.pk))

    assert OutgoingEmail.objects.count() == 1


def test_a_juror_who_has_not_scored_is_removed(login, manager_user, program):
    edition = open_edition(program)
    juror = factories.JurorFactory(edition=edition)

    login(manager_user).post(edition_url("juror_remove", edition, juror.pk))

    assert not Juror.objects.exists()


def test_a_juror_who_scored_stays_and_the_manager_is_told_why(login, manager_user, program):
    edition = open_edition(program)
    juror = factories.JurorFactory(edition=edition)
    nominee = factories.NomineeFactory(category=factories.CategoryFactory(edition=edition))
    criterion = factories.CriterionFactory(edition=edition)
    Score.objects.create(juror=juror, nominee=nominee, criterion=criterion, value=6)

    with translation.override("en"):
        response = login(manager_user).post(
            edition_url("juror_remove", edition, juror.pk), follow=True
        )

    assert Juror.objects.filter(pk=juror.pk).exists()
    assert "their scores are part of the result" in response.content.decode()


def test_the_juror_page_shows_the_conflicts_laurier_finds(
    login, manager_user, program, organisation
):
    edition = open_edition(program)
    juror_person = factories.PersonFactory(organisation=organisation)
    juror = factories.JurorFactory(edition=edition, person=juror_person, email=juror_person.email)
    nominee = factories.NomineeFactory(category=factories.CategoryFactory(edition=edition))
    factories.PairingFactory(program=program, mentor=nominee.person, mentee=juror_person)

    with translation.override("en"):
        html = (
            login(manager_user).get(edition_url("juror_detail", edition, juror.pk)).content.decode()
        )

    assert nominee.person.full_name in html
    assert "Mentor and mentee of each other" in html


def test_a_conflict_recorded_by_a_manager_sets_that_jurors_scores_for_the_nominee_aside(
    login, manager_user, program
):
    edition = open_edition(program)
    category = factories.CategoryFactory(edition=edition)
    criterion = factories.CriterionFactory(edition=edition)
    conflicted, other = factories.NomineeFactory.create_batch(2, category=category)
    juror = factories.JurorFactory(edition=edition)
    colleague = factories.JurorFactory(edition=edition)
    for scorer in (juror, colleague):
        for nominee in (conflicted, other):
            Score.objects.create(juror=scorer, nominee=nominee, criterion=criterion, value=5)

    login(manager_user).post(
        edition_url("juror_conflicts", edition, juror.pk),
        {"nominee": str(conflicted.pk), "reason": "reporting_line", "note": "Same team"},
    )

    declared = DeclaredConflict.objects.get()
    assert (declared.juror, declared.nominee, declared.recorded_by) == (
        juror,
        conflicted,
        manager_user,
    )
    # Kept, so that the result lists them as set aside with the reason.
    assert Score.objects.filter(juror=juror, nominee=conflicted).exists()


def test_a_nominee_of_another_edition_cannot_be_declared(login, manager_user, program):
    edition = open_edition(program)
    juror = factories.JurorFactory(edition=edition)
    elsewhere = factories.NomineeFactory(
        category=factories.CategoryFactory(edition=open_edition(program))
    )

    login(manager_user).post(
        edition_url("juror_conflicts", edition, juror.pk),
        {"nominee": str(elsewhere.pk), "reason": "family"},
    )

    assert not DeclaredConflict.objects.exists()


def test_a_manager_removes_a_declared_conflict(login, manager_user, program):
    edition = open_edition(program)
    juror = factories.JurorFactory(edition=edition)
    nominee = factories.NomineeFactory(category=factories.CategoryFactory(edition=edition))
    conflict = DeclaredConflict.objects.create(juror=juror, nominee=nominee, reason="family")

    login(manager_user).post(
        edition_url("juror_conflicts", edition, juror.pk), {"remove": str(conflict.pk)}
    )

    assert not DeclaredConflict.objects.exists()


def closed_edition(program):
    """An edition whose scoring closed yesterday, not yet announced."""
    today = datetime.date.today()
    return open_edition(
        program,
        nominations_open_on=today - datetime.timedelta(days=40),
        nominations_close_on=today - datetime.timedelta(days=20),
        scoring_close_on=today - datetime.timedelta(days=1),
        announce_on=today + datetime.timedelta(days=5),
    )


def test_once_scoring_closed_a_manager_records_no_conflict(login, manager_user, program):
    edition = closed_edition(program)
    juror = factories.JurorFactory(edition=edition)
    nominee = factories.NomineeFactory(category=factories.CategoryFactory(edition=edition))

    with translation.override("en"):
        response = login(manager_user).post(
            edition_url("juror_conflicts", edition, juror.pk),
            {"nominee": str(nominee.pk), "reason": "family"},
            follow=True,
        )

    assert not DeclaredConflict.objects.exists()
    assert "Scoring is closed" in response.content.decode()


def test_once_scoring_closed_a_declared_conflict_stays(login, manager_user, program):
    edition = closed_edition(program)
    juror = factories.JurorFactory(edition=edition)
    nominee = factories.NomineeFactory(category=factories.CategoryFactory(edition=edition))
    conflict = DeclaredConflict.objects.create(juror=juror, nominee=nominee, reason="family")

    login(manager_user).post(
        edition_url("juror_conflicts", edition, juror.pk), {"remove": str(conflict.pk)}
    )

    assert DeclaredConflict.objects.filter(pk=conflict.pk).exists()


def test_once_scoring_closed_the_juror_page_says_why_without_buttons(login, manager_user, program):
    edition = closed_edition(program)
    juror = factories.JurorFactory(edition=edition)
    nominee = factories.NomineeFactory(category=factories.CategoryFactory(edition=edition))
    DeclaredConflict.objects.create(juror=juror, nominee=nominee, reason="family")

    with translation.override("en"):
        html = (
            login(manager_user).get(edition_url("juror_detail", edition, juror.pk)).content.decode()
        )

    assert "Scoring is closed: who is in the running" in html
    assert 'name="remove"' not in html
    assert "Record the conflict" not in html
