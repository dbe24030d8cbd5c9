"""Badges that award themselves: each rule issues its badge to the people who earned it, once,
in their language, and tells them by e-mail; nobody of another organisation, never twice."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from laurier.credentials.models import BadgeRule, Credential
from laurier.credentials.services import awarding
from laurier.credentials.services.rules import apply_rule, apply_rules
from laurier.credentials.tasks import apply_badge_rules
from laurier.credentials.verification import Outcome, verify_text
from laurier.hours.models import LoggedBy
from laurier.outbox.models import OutgoingEmail
from laurier.programs.models import MentorEnrolment, Pairing
from laurier.recognition.models import Event, EventInvitation, EventKind
from laurier.testing import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


def rule_badge(organisation, rule, threshold=None, **fields):
    values = {"name_fr": "Badge automatique", "name_en": "Automatic badge", **fields}
    return factories.BadgeClassFactory(
        organisation=organisation, rule=rule, threshold=threshold, **values
    )


def mentor(program, **fields):
    return factories.PersonFactory(organisation=program.organisation, **fields)


def sessions(program, person, minutes, **fields):
    """Sessions of `person` as mentor, one per duration in `minutes`."""
    pairing = factories.PairingFactory(program=program, mentor=person)
    for duration in minutes:
        factories.MentoringSessionFactory(pairing=pairing, duration_minutes=duration, **fields)


def holders(badge):
    return set(Credential.objects.filter(badge_class=badge).values_list("person_id", flat=True))


def event(program, kind=EventKind.GALA, name="Gala"):
    starts = timezone.make_aware(datetime.datetime(2026, 6, 1, 18))
    return Event.objects.create(
        organisation=program.organisation,
        program=program,
        kind=kind,
        name_fr=name,
        name_en=name,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
    )


def attended(event, person, attended=True):
    return EventInvitation.objects.create(event=event, person=person, attended=attended)


# Hours


def test_hours_rule_counts_confirmed_and_manager_logged_sessions(program):
    badge = rule_badge(program.organisation, BadgeRule.HOURS, threshold=4)
    by_manager = mentor(program)
    confirmed = mentor(program)
    unconfirmed = mentor(program)
    sessions(program, by_manager, [120, 120], logged_by=LoggedBy.MANAGER)
    sessions(program, confirmed, [240], logged_by=LoggedBy.MENTOR, confirmed_at=timezone.now())
    sessions(program, unconfirmed, [240, 240], logged_by=LoggedBy.MENTOR, confirmed_at=None)

    assert apply_rule(badge, TODAY) == 2

    assert holders(badge) == {by_manager.pk, confirmed.pk}


def test_hours_rule_awards_at_the_threshold_exactly(program):
    badge = rule_badge(program.organisation, BadgeRule.HOURS, threshold="2.5")
    exactly = mentor(program)
    a_minute_short = mentor(program)
    sessions(program, exactly, [90, 60])
    sessions(program, a_minute_short, [90, 59])

    apply_rule(badge, TODAY)

    assert holders(badge) == {exactly.pk}


def test_hours_mentored_count_not_hours_as_a_mentee(program):
    badge = rule_badge(program.organisation, BadgeRule.HOURS, threshold=1)
    mentee = mentor(program)
    pairing = factories.PairingFactory(program=program, mentee=mentee)
    factories.MentoringSessionFactory(pairing=pairing, duration_minutes=120)

    apply_rule(badge, TODAY)

    assert holders(badge) == {pairing.mentor_id}


# Years


def test_years_rule_counts_from_the_first_enrolment(program, organisation):
    badge = rule_badge(organisation, BadgeRule.YEARS, threshold=3)
    other_program = factories.ProgramFactory(organisation=organisation)
    veteran = mentor(program)
    factories.MentorEnrolmentFactory(
        program=program, person=veteran, since=datetime.date(2025, 1, 1)
    )
    factories.MentorEnrolmentFactory(
        program=other_program, person=veteran, since=datetime.date(2023, 11, 24)
    )
    a_day_short = mentor(program)
    factories.MentorEnrolmentFactory(
        program=program, person=a_day_short, since=datetime.date(2023, 11, 25)
    )

    apply_rule(badge, TODAY)

    assert holders(badge) == {veteran.pk}


def test_years_rule_with_half_a_year_waits_for_the_half(program, organisation):
    badge = rule_badge(organisation, BadgeRule.YEARS, threshold="2.5")
    two_and_a_half = mentor(program)
    factories.MentorEnrolmentFactory(
        program=program, person=two_and_a_half, since=datetime.date(2024, 5, 24)
    )
    two_years_and_a_day = mentor(program)
    factories.MentorEnrolmentFactory(
        program=program, person=two_years_and_a_day, since=datetime.date(2024, 11, 23)
    )

    apply_rule(badge, TODAY)

    assert holders(badge) == {two_and_a_half.pk}


def test_years_rule_counts_only_people_still_mentoring(program, organisation):
    badge = rule_badge(organisation, BadgeRule.YEARS, threshold=5)
    left_early = mentor(program)
    factories.MentorEnrolmentFactory(
        program=program, person=left_early, since=datetime.date(2019, 1, 1), status="left"
    )

    assert apply_rule(badge, TODAY) == 0


def test_a_failing_rule_leaves_the_other_badges_issued(program, organisation, monkeypatch):
    from laurier.credentials.services import rules

    broken = rule_badge(organisation, BadgeRule.HOURS, threshold=1)
    working = rule_badge(organisation, BadgeRule.YEARS, threshold=1)
    veteran = mentor(program)
    factories.MentorEnrolmentFactory(
        program=program, person=veteran, since=datetime.date(2020, 1, 1)
    )
    original = rules.apply_rule

    def apply_or_fail(badge_class, today=None):
        if badge_class == broken:
            raise RuntimeError("a rule that breaks")
        return original(badge_class, TODAY)

    monkeypatch.setattr(rules, "apply_rule", apply_or_fail)

    assert rules.apply_rules(organisation) == 1
    assert holders(working) == {veteran.pk}


def test_years_as_a_mentee_do_not_count(program, organisation):
    badge = rule_badge(organisation, BadgeRule.YEARS, threshold=1)
    factories.MenteeEnrolmentFactory(program=program, since=datetime.date(2020, 1, 1))

    assert apply_rule(badge, TODAY) == 0


def test_years_rule_on_the_29th_of_february(program, organisation):
    badge = rule_badge(organisation, BadgeRule.YEARS, threshold=1)
    factories.MentorEnrolmentFactory(program=program, since=datetime.date(2027, 2, 28))

    assert apply_rule(badge, datetime.date(2028, 2, 29)) == 1


# Pairings


def test_pairings_rule_counts_completed_pairings_only(program):
    badge = rule_badge(program.organisation, BadgeRule.PAIRINGS, threshold=2)
    two_completed = mentor(program)
    one_completed = mentor(program)
    for status in (Pairing.Status.COMPLETED, Pairing.Status.COMPLETED, Pairing.Status.ACTIVE):
        factories.PairingFactory(program=program, mentor=two_completed, status=status)
    for status in (Pairing.Status.COMPLETED, Pairing.Status.ACTIVE, Pairing.Status.ACTIVE):
        factories.PairingFactory(program=program, mentor=one_completed, status=status)

    apply_rule(badge, TODAY)

    assert holders(badge) == {two_completed.pk}


# Events


def test_event_rule_awards_one_badge_per_event_attended(program):
    badge = rule_badge(program.organisation, BadgeRule.EVENT)
    person, absent, unknown = mentor(program), mentor(program), mentor(program)
    gala, dinner = event(program, name="Gala"), event(program, EventKind.DINNER, "Dîner")
    attended(gala, person)
    attended(dinner, person)
    attended(gala, absent, attended=False)
    attended(gala, unknown, attended=None)

    assert apply_rule(badge, TODAY) == 2

    keys = set(Credential.objects.filter(badge_class=badge).values_list("issue_key", flat=True))
    assert keys == {f"badge:{badge.pk}:event:{gala.pk}", f"badge:{badge.pk}:event:{dinner.pk}"}
    assert holders(badge) == {person.pk}


def test_event_rule_of_a_kind_counts_events_of_that_kind(program):
    badge = rule_badge(program.organisation, BadgeRule.EVENT, event_kind=EventKind.WORKSHOP)
    at_workshop, at_gala = mentor(program), mentor(program)
    attended(event(program, EventKind.WORKSHOP, "Atelier"), at_workshop)
    attended(event(program, EventKind.GALA, "Gala"), at_gala)

    apply_rule(badge, TODAY)

    assert holders(badge) == {at_workshop.pk}


def test_event_rule_issues_for_a_new_event_only_once_run_again(program):
    badge = rule_badge(program.organisation, BadgeRule.EVENT)
    person = mentor(program)
    attended(event(program, name="Gala 1"), person)
    apply_rule(badge, TODAY)

    attended(event(program, name="Gala 2"), person)

    assert apply_rule(badge, TODAY) == 1
    assert apply_rule(badge, TODAY) == 0


# What rules never do


def test_a_manual_badge_or_a_retired_rule_issues_nothing(program):
    person = mentor(program)
    sessions(program, person, [600])
    manual = rule_badge(program.organisation, BadgeRule.MANUAL)
    retired = rule_badge(program.organisation, BadgeRule.HOURS, threshold=1, active=False)

    assert apply_rule(manual, TODAY) == 0
    assert apply_rule(retired, TODAY) == 0
    assert apply_rules(program.organisation, TODAY) == 0
    assert not Credential.objects.exists()


def test_running_the_rules_twice_issues_nothing_new(program):
    badge = rule_badge(program.organisation, BadgeRule.HOURS, threshold=1)
    sessions(program, mentor(program), [60])
    sessions(program, mentor(program), [120])

    assert apply_rule(badge, TODAY) == 2
    assert apply_rule(badge, TODAY) == 0
    assert Credential.objects.count() == 2


def test_more_hours_later_do_not_issue_the_badge_again(program):
    badge = rule_badge(program.organisation, BadgeRule.HOURS, threshold=1)
    person = mentor(program)
    sessions(program, person, [60])
    apply_rule(badge, TODAY)

    sessions(program, person, [120])

    assert apply_rule(badge, TODAY) == 0


def test_a_revoked_rule_badge_is_not_issued_again(program):
    badge = rule_badge(program.organisation, BadgeRule.HOURS, threshold=1)
    sessions(program, mentor(program), [60])
    apply_rule(badge, TODAY)
    awarding.revoke(Credential.objects.get(), reason="Hours logged by mistake", actor=None)

    assert apply_rule(badge, TODAY) == 0
    assert Credential.objects.count() == 1


def test_a_person_holding_the_badge_by_hand_does_not_hold_it_by_rule(program):
    """The rule's reason differs from a manual award: both may exist, never the rule twice."""
    badge = rule_badge(program.organisation, BadgeRule.HOURS, threshold=1)
    person = mentor(program)
    sessions(program, person, [60])
    awarding.award_badge(badge, person, actor=None)

    apply_rule(badge, TODAY)
    apply_rule(badge, TODAY)

    assert Credential.objects.filter(person=person).count() <= 2


def test_people_of_another_organisation_never_receive_our_badges(
    program, organisation, other_organisation
):
    ours = rule_badge(organisation, BadgeRule.HOURS, threshold=1)
    other_program = factories.ProgramFactory(organisation=other_organisation)
    outsider = mentor(other_program)
    sessions(other_program, outsider, [600])
    MentorEnrolment.objects.filter(person=outsider).update(since=datetime.date(2000, 1, 1))
    attended(event(other_program), outsider)
    years = rule_badge(organisation, BadgeRule.YEARS, threshold=1)
    gala = rule_badge(organisation, BadgeRule.EVENT)

    assert apply_rules(organisation, TODAY) == 0
    assert apply_rules(None, TODAY) == 0
    assert holders(ours) == holders(years) == holders(gala) == set()


def test_each_organisation_issues_its_own_rule_badges(organisation, other_organisation, program):
    ours = rule_badge(organisation, BadgeRule.HOURS, threshold=1)
    theirs = rule_badge(other_organisation, BadgeRule.HOURS, threshold=1)
    other_program = factories.ProgramFactory(organisation=other_organisation)
    member, outsider = mentor(program), mentor(other_program)
    sessions(program, member, [60])
    sessions(other_program, outsider, [60])

    assert apply_rules(None, TODAY) == 2

    assert holders(ours) == {member.pk}
    assert holders(theirs) == {outsider.pk}
    credential = Credential.objects.get(badge_class=theirs)
    assert credential.organisation == other_organisation
    assert verify_text(credential.jwt).issuer.organisation == other_organisation


def test_a_badge_issued_by_rule_verifies_and_is_written_in_the_holders_language(program):
    badge = rule_badge(program.organisation, BadgeRule.HOURS, threshold=1, valid_years=3)
    english = mentor(program, language="en")
    sessions(program, english, [60])

    apply_rule(badge, TODAY)

    credential = Credential.objects.get()
    assert credential.language == "en"
    assert credential.document["credentialSubject"]["achievement"]["name"] == "Automatic badge"
    assert credential.issued_by is None
    assert credential.valid_until is not None
    assert verify_text(credential.jwt).outcome == Outcome.VALID


# Running them


def test_recognition_daily_applies_every_rule(program, organisation):
    rule_badge(organisation, BadgeRule.HOURS, threshold=1)
    sessions(program, mentor(program), [60])
    out = io.StringIO()

    call_command("recognition_daily", stdout=out)

    assert Credential.objects.count() == 1
    assert "1 badge(s) issued" in out.getvalue()


def test_the_task_applies_the_rules_of_one_organisation(program, organisation):
    rule_badge(organisation, BadgeRule.HOURS, threshold=1)
    sessions(program, mentor(program), [60])

    apply_badge_rules.enqueue(organisation.pk)
    apply_badge_rules.enqueue(organisation.pk)

    assert Credential.objects.count() == 1


def test_rule_runs_cost_queries_that_do_not_grow_with_the_people(
    settings, django_assert_max_num_queries
):
    # The e-mails go out in their own task; only the issuing is measured here.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def run(count):
        program = factories.ProgramFactory()
        badge = rule_badge(program.organisation, BadgeRule.HOURS, threshold=1)
        for _ in range(count):
            sessions(program, mentor(program), [60])
        with django_assert_max_num_queries(1000) as queries:
            assert apply_rule(badge, TODAY) == count
        return len(queries.captured_queries)

    small, large = run(10), run(30)

    assert large - small < 5, (small, large)


# E-mails


def test_each_new_holder_gets_an_email_in_their_language(program):
    badge = rule_badge(program.organisation, BadgeRule.HOURS, threshold=1)
    french = mentor(program, language="fr-ca", email="helene@example.org")
    english = mentor(program, language="en", email="john@example.org")
    without_email = mentor(program, email="")
    for person in (french, english, without_email):
        sessions(program, person, [60])

    assert apply_rule(badge, TODAY) == 3

    emails = {email.to: email for email in OutgoingEmail.objects.all()}
    assert set(emails) == {"helene@example.org", "john@example.org"}
    assert emails["john@example.org"].subject == (
        "Hydro Laurentides: you earned the badge “Automatic badge”"
    )
    assert "Badge automatique" in emails["helene@example.org"].subject
    assert "Badge automatique" in emails["helene@example.org"].text
    assert 'lang="fr-ca"' in emails["helene@example.org"].html
    credential = Credential.objects.get(person=english)
    assert emails["john@example.org"].reason == f"badge-earned:{credential.pk}"
    assert f"/c/{credential.public_id}/" in emails["john@example.org"].text


def test_the_badge_email_goes_out_once_through_smtp(program, smtp_server, settings):
    settings.SITE_URL = "http://testserver"
    badge = rule_badge(program.organisation, BadgeRule.HOURS, threshold=1)
    sessions(program, mentor(program, language="en", email="john@example.org"), [60])

    apply_rule(badge, TODAY)
    apply_rule(badge, TODAY)

    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "john@example.org"
    assert message["Subject"].strip() == "Hydro Laurentides: you earned the badge “Automatic badge”"
    text = message.get_body(preferencelist=("plain",)).get_content()
    credential = Credential.objects.get()
    assert f"http://testserver/c/{credential.public_id}/" in text


def test_an_outsider_invited_to_our_event_does_not_receive_our_badge(program, other_organisation):
    badge = rule_badge(program.organisation, BadgeRule.EVENT)
    outsider = factories.PersonFactory(organisation=other_organisation)
    attended(event(program), outsider)

    assert apply_rule(badge, TODAY) == 0
    assert not Credential.objects.exists()
