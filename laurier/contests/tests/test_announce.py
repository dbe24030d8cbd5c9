"""Announcing the winners: the whole flow, once only, at the right time, with the managers'
choice where nominees are ex aequo at the cut."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from laurier.contests.models import Nominee, Score, Winner
from laurier.contests.results import edition_result
from laurier.contests.scoring import Result
from laurier.contests.services.announcement import announce, winner_credential
from laurier.credentials.models import BadgeRule, Credential
from laurier.credentials.verification import Outcome, verify_document
from laurier.organisations.models import AuditEvent, Role
from laurier.outbox.models import OutgoingEmail
from laurier.profiles.models import MentorProfile, ProfileSource
from laurier.recognition.categories import PublicConsent, Visibility
from laurier.recognition.models import Award, Spotlight
from laurier.testing import factories

from .test_results import mentor, scored_edition


def consent(person, answer):
    return MentorProfile.objects.create(
        organisation=person.organisation,
        person=person,
        public_consent=answer,
        source=ProfileSource.SELF,
        updated_at=timezone.now(),
    )


def url(edition):
    return reverse("contests:announce", args=[edition.organisation.slug, edition.pk])


def contest_emails(reason):
    return OutgoingEmail.objects.filter(reason__startswith=reason)


@pytest.fixture
def contest(program):
    """The hand-checked edition (Cy wins), with an award and a badge for the winner."""
    edition, category, nominees, jurors = scored_edition(program)
    edition.option = factories.RecognitionOptionFactory(organisation=program.organisation)
    edition.save()
    category.badge_class = factories.BadgeClassFactory(
        organisation=program.organisation,
        rule=BadgeRule.CONTEST,
        name_fr="Mentor de l'année",
        name_en="Mentor of the year",
    )
    category.save()
    return edition, category, nominees


def tie_scores(edition, values):
    """Every juror gives nominee i the value values[i] on every criterion."""
    for nominee, value in zip(
        Nominee.objects.filter(category__edition=edition).order_by("pk"), values, strict=True
    ):
        Score.objects.filter(nominee=nominee).update(value=value)


# --- The whole flow --------------------------------------------------------------------------


def test_the_whole_flow(contest, manager_user, login):
    edition, category, (ada, bo, cy) = contest
    consent(cy.person, PublicConsent.YES)
    expected = edition_result(edition).as_dict()

    response = login(manager_user).post(url(edition))

    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.announced_at is not None
    assert edition.announced_by == manager_user
    assert edition.result == expected
    winner = Winner.objects.get()
    assert (winner.nominee, winner.person, winner.rank) == (cy, cy.person, 1)
    # The award, planned for the managers to approve and give.
    assert winner.award.option == edition.option
    assert winner.award.status == Award.Status.PLANNED
    assert winner.award.mentor == cy.person
    # The badge, whose credential verifies.
    credential = winner_credential(winner)
    assert credential.person == cy.person
    assert verify_document(credential.document).outcome == Outcome.VALID
    # The spotlight draft.
    assert winner.spotlight.mentor == cy.person
    # The e-mails.
    assert list(contest_emails("contest-winner").values_list("to", flat=True)) == [cy.person.email]
    assert set(contest_emails("contest-thanks").values_list("to", flat=True)) == {
        ada.person.email,
        bo.person.email,
    }
    event = AuditEvent.objects.get(object_type="contests.edition", object_id=str(edition.pk))
    assert event.actor == manager_user
    assert event.changes["winners"] == [None, [str(cy.person)]]
    assert AuditEvent.objects.filter(object_type="contests.winner").count() == 1


def test_the_page_after_shows_the_winner_with_award_badge_and_spotlight(
    contest, manager_user, login
):
    edition, _category, (_ada, _bo, cy) = contest
    consent(cy.person, PublicConsent.YES)
    client = login(manager_user)

    with translation.override("en"):
        response = client.post(url(edition), follow=True)
    html = response.content.decode()

    winner = Winner.objects.get()
    credential = winner_credential(winner)
    assert "Winners of" in html
    assert html.count("<h1") == 1
    assert cy.person.full_name in html
    assert f"/awards/{winner.award.pk}/" in html
    assert f"/c/{credential.public_id}/certificate.pdf" in html
    assert f"/spotlights/{winner.spotlight.pk}/" in html


def test_the_winner_email_says_what_they_won_and_what_comes_next(contest):
    edition, _category, (_ada, _bo, cy) = contest
    cy.person.language = "en"
    cy.person.save()

    announce(edition, actor=None)

    email = contest_emails("contest-winner").get()
    assert email.subject == f"Congratulations, {cy.person.first_name}: Mentor of the year"
    assert "chose you in the category" in email.text
    assert edition.option.name_en in email.text
    assert "digital badge" in email.text


def test_the_announced_result_is_shown_again_as_it_was(contest, manager_user, login):
    edition, _category, (ada, _bo, _cy) = contest
    announce(edition, actor=manager_user)
    edition.refresh_from_db()
    frozen = Result.from_dict(edition.result)

    Score.objects.filter(nominee=ada).update(value=10)

    assert Result.from_dict(edition.result) == frozen
    assert frozen != edition_result(edition)


# --- Once only, at the right time ------------------------------------------------------------


def test_a_double_submit_announces_nothing_more(contest, manager_user, login):
    edition, *_rest = contest
    client = login(manager_user)

    client.post(url(edition))
    emails = OutgoingEmail.objects.count()
    response = client.post(url(edition))

    assert response.status_code == 200
    assert Winner.objects.count() == 1
    assert Award.objects.count() == 1
    assert Credential.objects.count() == 1
    assert OutgoingEmail.objects.count() == emails


def test_the_service_called_twice_returns_the_first_announcement(contest):
    edition, *_rest = contest

    first = announce(edition, actor=None)
    second = announce(edition, actor=None)

    assert first.created and not second.created
    assert [w.pk for w in second.winners] == [w.pk for w in first.winners]


def test_refused_while_the_jury_may_still_score(program, manager_user, login):
    edition, *_rest = scored_edition(program, phase="scoring")

    with translation.override("en"):
        response = login(manager_user).post(url(edition))

    assert "The jury may score until" in response.content.decode()
    assert "<form" not in response.content.decode().split("<main")[1]
    edition.refresh_from_db()
    assert edition.announced_at is None
    assert not Winner.objects.exists()


def test_the_service_refuses_before_scoring_closes(program):
    edition, *_rest = scored_edition(program)

    with pytest.raises(ValidationError):
        announce(edition, actor=None, today=edition.scoring_close_on)

    assert not Winner.objects.exists()


def test_the_page_before_shows_the_proposal_and_what_will_happen(contest, manager_user, login):
    edition, _category, (_ada, _bo, cy) = contest

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()

    assert cy.person.full_name in html
    assert "What will happen" in html
    assert "2 other nominees receive a thank-you note" in html
    assert html.count("<h1") == 1


def test_the_page_before_warns_when_the_jury_did_not_score_everything(contest, manager_user, login):
    edition, _category, (ada, _bo, _cy) = contest
    Score.objects.filter(nominee=ada, juror__name="Sévère").delete()

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()

    assert "the jury did not score everything" in html
    assert "Sévère scored 2 of the 3 nominees" in html


# --- Ties at the cut -------------------------------------------------------------------------


def test_a_tie_at_the_cut_requires_a_choice(contest, manager_user, login):
    edition, category, (ada, bo, _cy) = contest
    tie_scores(edition, [8, 8, 2])

    with translation.override("en"):
        page = login(manager_user).get(url(edition)).content.decode()
        refused = login(manager_user).post(url(edition))

    assert 'type="radio"' in page
    assert "ex aequo at the cut" in refused.content.decode()
    assert not Winner.objects.exists()


def test_the_managers_choice_among_the_tied_is_the_winner(contest, manager_user, login):
    edition, category, (ada, bo, _cy) = contest
    tie_scores(edition, [8, 8, 2])

    login(manager_user).post(url(edition), {f"category-{category.pk}": bo.pk})

    assert Winner.objects.get().nominee == bo


def test_a_crafted_choice_of_a_nominee_not_tied_is_refused(contest, manager_user, login):
    edition, category, (_ada, _bo, cy) = contest
    tie_scores(edition, [8, 8, 2])

    login(manager_user).post(url(edition), {f"category-{category.pk}": cy.pk})

    assert not Winner.objects.exists()
    edition.refresh_from_db()
    assert edition.announced_at is None


def test_a_crafted_choice_that_is_not_a_number_is_refused(contest, manager_user, login):
    edition, category, *_rest = contest
    tie_scores(edition, [8, 8, 2])

    response = login(manager_user).post(url(edition), {f"category-{category.pk}": "1 OR 1=1"})

    assert response.status_code == 200
    assert not Winner.objects.exists()


def test_a_choice_where_no_tie_needs_one_is_refused(contest):
    edition, category, (ada, _bo, _cy) = contest

    with pytest.raises(ValidationError):
        announce(edition, actor=None, chosen={category.pk: [ada.pk]})


def test_two_winners_with_a_tie_for_the_second_place(contest, manager_user, login):
    edition, category, (ada, bo, cy) = contest
    category.winners = 2
    category.save()
    tie_scores(edition, [5, 5, 9])

    login(manager_user).post(url(edition), {f"category-{category.pk}": ada.pk})

    assert [(w.nominee, w.rank) for w in Winner.objects.order_by("rank")] == [(cy, 1), (ada, 2)]


def test_the_choice_among_the_tied_is_audited_with_the_tied_set(contest, manager_user, login):
    edition, category, (ada, bo, _cy) = contest
    tie_scores(edition, [8, 8, 2])

    login(manager_user).post(url(edition), {f"category-{category.pk}": bo.pk})

    event = AuditEvent.objects.get(object_type="contests.edition", object_id=str(edition.pk))
    assert event.changes["ex_aequo_choice"] == [
        None,
        [{"category": category.pk, "tied": [ada.pk, bo.pk], "chosen": [bo.pk]}],
    ]


def test_without_a_tie_no_choice_is_audited(contest):
    edition, *_rest = contest

    announce(edition, actor=None)

    event = AuditEvent.objects.get(object_type="contests.edition", object_id=str(edition.pk))
    assert "ex_aequo_choice" not in event.changes


# --- Nominees nobody could score -------------------------------------------------------------


def unscored_nominee(program, category, first_name="Di"):
    """A nominee in the running whom no juror scored."""
    nominee = factories.NomineeFactory(
        category=category,
        person=mentor(program, first_name=first_name, last_name="Mentor"),
        told_at=timezone.now(),
    )
    factories.NominationFactory(nominee=nominee)
    return nominee


def test_an_unscored_nominee_is_never_proposed_nor_announced(program, contest):
    """Both jurors put Ada last: with a 0 ("average"), unscored Di would take the 2nd place."""
    edition, category, (ada, bo, cy) = contest
    category.winners = 3
    category.save()
    di = unscored_nominee(program, category)

    summary = announce(edition, actor=None)

    assert {w.nominee for w in summary.winners} == {ada, bo, cy}
    assert not Winner.objects.filter(nominee=di).exists()


def test_a_category_with_fewer_scored_nominees_than_winners_names_fewer(
    program, contest, manager_user, login
):
    edition, category, (ada, bo, cy) = contest
    category.winners = 4
    category.save()
    di = unscored_nominee(program, category)

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()
    announce(edition, actor=None)

    assert "Fewer winners than planned." in html
    assert "1 place stays empty" in html
    assert "Not scored, so not proposed:" in html and di.person.full_name in html
    assert Winner.objects.count() == 3


def test_nobody_scored_means_nothing_to_announce(program):
    edition, category, nominees, _jurors = scored_edition(program)
    Score.objects.all().delete()

    with pytest.raises(ValidationError):
        announce(edition, actor=None)

    assert not Winner.objects.exists()


# --- Consent, refusals, e-mails ---------------------------------------------------------------


def test_a_winner_who_asks_to_be_asked_gets_no_spotlight_but_the_managers_are_told(
    contest, manager_user, login
):
    edition, _category, (_ada, _bo, cy) = contest
    consent(cy.person, PublicConsent.ASK)

    with translation.override("en"):
        html = login(manager_user).post(url(edition), follow=True).content.decode()

    assert not Spotlight.objects.exists()
    assert f"Ask {cy.person.first_name} first" in html
    assert f"?mentor={cy.person.pk}" in html


def test_a_winner_who_said_no_gets_no_spotlight_and_no_prompt(contest, manager_user, login):
    edition, _category, (_ada, _bo, cy) = contest
    consent(cy.person, PublicConsent.NO)

    with translation.override("en"):
        html = login(manager_user).post(url(edition), follow=True).content.decode()

    assert not Spotlight.objects.exists()
    assert "Asked to stay private" in html


def test_an_award_the_catalog_refuses_is_reported_not_fatal(contest, manager_user, login):
    edition, _category, (_ada, _bo, cy) = contest
    edition.option.visibility = Visibility.PUBLIC
    edition.option.save()
    consent(cy.person, PublicConsent.NO)

    with translation.override("en"):
        html = login(manager_user).post(url(edition), follow=True).content.decode()

    winner = Winner.objects.get()
    assert winner.award is None
    assert "No award could be planned for" in html
    assert winner_credential(winner) is not None


def test_a_nominee_who_said_no_and_was_never_told_is_not_thanked_either(contest):
    edition, _category, (ada, bo, _cy) = contest
    consent(ada.person, PublicConsent.NO)
    Nominee.objects.filter(pk=ada.pk).update(told_at=None)

    summary = announce(edition, actor=None)

    assert set(contest_emails("contest-thanks").values_list("to", flat=True)) == {bo.person.email}
    assert summary.thanked == 1


def test_a_nominee_who_said_no_after_being_told_is_not_thanked(contest):
    edition, _category, (ada, bo, _cy) = contest
    consent(ada.person, PublicConsent.NO)

    announce(edition, actor=None)

    assert set(contest_emails("contest-thanks").values_list("to", flat=True)) == {bo.person.email}


def test_the_page_counts_only_the_nominees_to_be_thanked(contest, manager_user, login):
    edition, _category, (ada, bo, _cy) = contest
    Nominee.objects.filter(pk=ada.pk).update(told_at=None)
    consent(bo.person, PublicConsent.NO)

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()

    assert "0 other nominees receive a thank-you note" in html
    assert "2 nominees who said no to being told of their nomination receive no" in html


def test_a_proposed_winner_never_told_is_named_for_the_managers_to_contact_first(
    contest, manager_user, login
):
    edition, _category, (_ada, _bo, cy) = contest
    Nominee.objects.filter(pk=cy.pk).update(told_at=None)

    with translation.override("en"):
        html = login(manager_user).get(url(edition)).content.decode()

    contact = html.split("Contact them first.")[1].split("</div>")[0]
    assert cy.person.full_name in contact


def test_thank_you_notes_go_to_the_others_only_in_their_language(contest):
    edition, category, (ada, bo, cy) = contest
    bo.person.language = "en"
    bo.person.save()
    declined = factories.NomineeFactory(category=category, status=Nominee.Status.DECLINED)
    withdrawn = factories.NomineeFactory(category=category, status=Nominee.Status.WITHDRAWN)
    factories.NominationFactory(nominee=bo)

    announce(edition, actor=None)

    thanks = {email.to: email for email in contest_emails("contest-thanks")}
    assert set(thanks) == {ada.person.email, bo.person.email}
    assert declined.person.email not in thanks and withdrawn.person.email not in thanks
    assert thanks[bo.person.email].subject.startswith("Thank you")
    assert "2 people took the time" in thanks[bo.person.email].text
    assert "Mentor of the year" in thanks[bo.person.email].text
    # Ada reads French: her category's name is the French one.
    assert "Mentor de l'année" in thanks[ada.person.email].text
    # Never the scores.
    assert "0.408" not in thanks[bo.person.email].text
    assert "score" not in thanks[bo.person.email].text.lower()


def test_a_second_edition_issues_a_second_badge(program):
    """The badge is issued per win (issue key per winner), not once per person."""
    first, category, _nominees, _jurors = scored_edition(program)
    badge = factories.BadgeClassFactory(organisation=program.organisation, rule=BadgeRule.CONTEST)
    category.badge_class = badge
    category.save()

    announce(first, actor=None)

    assert Credential.objects.filter(badge_class=badge).count() == 1


# --- Who may announce ------------------------------------------------------------------------


def test_an_admin_of_another_organisation_gets_not_found(contest, other_admin_user, login):
    edition, *_rest = contest
    client = login(other_admin_user)

    assert client.get(url(edition)).status_code == 404
    assert client.post(url(edition)).status_code == 404
    assert not Winner.objects.exists()


def test_a_manager_of_another_program_gets_not_found(contest, organisation, login):
    edition, *_rest = contest
    user = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=user, role=Role.MANAGER)
    factories.ProgramFactory(organisation=organisation).managers.add(user)

    assert login(user).post(url(edition)).status_code == 404
    assert not Winner.objects.exists()


def test_a_mentor_is_refused(contest, mentor_user, login):
    edition, *_rest = contest

    assert login(mentor_user).post(url(edition)).status_code == 403
    assert not Winner.objects.exists()


def test_an_organisation_wide_edition_is_announced_by_an_admin_only(
    program, admin_user, manager_user, login
):
    edition, *_rest = scored_edition(program)
    edition.program = None
    edition.save()

    assert login(manager_user).post(url(edition)).status_code == 404
    response = login(admin_user).post(url(edition))

    assert response.status_code == 302
    assert Winner.objects.get().nominee.program == program


# --- Queries ---------------------------------------------------------------------------------


def test_the_proposal_page_takes_a_constant_number_of_queries(
    program, manager_user, login, django_assert_max_num_queries
):
    small, *_rest = scored_edition(program)
    large, *_rest = scored_edition(program, names=("Ada", "Bo", "Cy", "Di", "Ed", "Flo"))
    client = login(manager_user)

    with django_assert_max_num_queries(30) as small_queries:
        client.get(url(small))
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        client.get(url(large))


def test_the_winners_page_takes_a_constant_number_of_queries(
    program, manager_user, login, django_assert_max_num_queries
):
    small, small_category, *_rest = scored_edition(program)
    large, large_category, *_rest = scored_edition(
        program, names=("Ada", "Bo", "Cy", "Di", "Ed", "Flo"), winners=2
    )
    for category in (small_category, large_category):
        category.badge_class = factories.BadgeClassFactory(
            organisation=program.organisation, rule=BadgeRule.CONTEST
        )
        category.save()
    announce(small, actor=None)
    announce(large, actor=None)
    client = login(manager_user)

    with django_assert_max_num_queries(30) as small_queries:
        client.get(url(small))
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        client.get(url(large))
    assert Winner.objects.filter(category=large_category).count() == 2


def test_dates_are_those_of_the_organisation(contest):
    edition, *_rest = contest

    summary = announce(edition, actor=None, today=edition.scoring_close_on + datetime.timedelta(1))

    assert summary.created
