"""The jury's services: a juror scores only the nominees they may, in the scoring window,
once their conflicts of interest are declared; whatever the request, the rules hold."""

# ruff: noqa: F811

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format

from laurier.contests.models import (
    ConflictReason,
    DeclaredConflict,
    Nominee,
    Phase,
    Score,
)
from laurier.contests.results import edition_result
from laurier.contests.services import jury as services
from laurier.organisations.models import AuditEvent
from laurier.testing import factories

from .test_jury_support import (  # noqa: F401 (fixtures)
    _fresh_rate_limits,
    criteria,
    edition,
    edition_in,
    helene,
    juror,
    nominee,
    rubric,
    set_phase,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def marie(edition):
    return nominee(edition, first_name="Marie", last_name="Gagnon")


def values(criteria, *scores):
    return {criterion.pk: score for criterion, score in zip(criteria, scores, strict=True)}


def close_scoring(edition, phase):
    if phase == "announced":
        edition.announced_at = timezone.now()
        edition.save()
    else:
        set_phase(edition, phase)


def refusal(call):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        call()
    return " ".join(raised.value.messages)


def test_a_confirmed_juror_scores_a_nominee_on_every_criterion(edition, criteria, helene):
    member = juror(edition)

    assert services.record_scores(member, helene, values(criteria, 7, 9)) is True

    assert sorted(
        Score.objects.filter(juror=member, nominee=helene).values_list("criterion_id", "value")
    ) == sorted([(criteria[0].pk, 7), (criteria[1].pk, 9)])


def test_the_same_scores_sent_twice_are_stored_once(edition, criteria, helene):
    member = juror(edition)
    services.record_scores(member, helene, values(criteria, 7, 9))

    assert services.record_scores(member, helene, values(criteria, 7, 9)) is False
    assert Score.objects.filter(juror=member).count() == 2


def test_a_juror_changes_their_scores_until_scoring_closes(edition, criteria, helene):
    member = juror(edition)
    services.record_scores(member, helene, values(criteria, 7, 9))

    services.record_scores(member, helene, values(criteria, 4, 9))

    assert Score.objects.get(juror=member, criterion=criteria[0]).value == 4
    assert Score.objects.filter(juror=member).count() == 2


def test_scores_are_audited_without_naming_a_user(edition, criteria, helene):
    member = juror(edition)

    services.record_scores(member, helene, values(criteria, 7, 9))

    event = AuditEvent.objects.get(object_type="contests.nominee", object_id=str(helene.pk))
    assert event.actor is None
    assert event.changes["juror"] == member.pk


def test_a_crafted_score_for_a_nominee_paired_with_the_juror_is_refused(edition, criteria, helene):
    mentee = factories.PairingFactory(program=edition.program, mentor=helene.person).mentee
    member = juror(edition, person=mentee, email=mentee.email)

    message = refusal(lambda: services.record_scores(member, helene, values(criteria, 10, 10)))

    assert "conflict of interest" in message
    assert not Score.objects.exists()


def test_a_crafted_score_for_a_nominee_the_juror_declared_a_conflict_with_is_refused(
    edition, criteria, helene
):
    member = juror(edition)
    services.declare_conflict(member, helene, ConflictReason.FAMILY)

    message = refusal(lambda: services.record_scores(member, helene, values(criteria, 10, 10)))

    assert "conflict of interest" in message
    assert not Score.objects.exists()


def test_a_pairing_made_after_confirmation_counts_at_once(edition, criteria, helene):
    member_person = factories.PersonFactory(organisation=edition.organisation)
    member = juror(edition, person=member_person, email=member_person.email)
    factories.PairingFactory(program=edition.program, mentor=member_person, mentee=helene.person)

    refusal(lambda: services.record_scores(member, helene, values(criteria, 5, 5)))

    assert not Score.objects.exists()


def test_the_juror_cannot_score_themselves(edition, criteria, helene):
    member = juror(edition, person=helene.person, email="other@example.org")

    refusal(lambda: services.record_scores(member, helene, values(criteria, 10, 10)))

    assert not Score.objects.exists()


@pytest.mark.parametrize("phase", [Phase.NOMINATIONS, Phase.UPCOMING])
def test_scoring_before_the_window_is_refused(edition, criteria, helene, phase):
    member = juror(edition)
    set_phase(edition, phase)

    message = refusal(lambda: services.record_scores(member, helene, values(criteria, 5, 5)))

    assert message == "Scoring has not opened yet."
    assert not Score.objects.exists()


def test_scoring_after_the_window_is_refused(edition, criteria, helene):
    member = juror(edition)
    set_phase(edition, Phase.DELIBERATION)

    message = refusal(lambda: services.record_scores(member, helene, values(criteria, 5, 5)))

    assert message == "Scoring is closed: scores can no longer change."


def test_scoring_once_announced_is_refused(edition, criteria, helene):
    member = juror(edition)
    edition.announced_at = timezone.now()
    edition.save()

    refusal(lambda: services.record_scores(member, helene, values(criteria, 5, 5)))

    assert not Score.objects.exists()


def test_the_date_passed_decides_the_phase(edition, criteria, helene):
    member = juror(edition)

    refusal(
        lambda: services.record_scores(
            member, helene, values(criteria, 5, 5), today=edition.nominations_close_on
        )
    )
    services.record_scores(member, helene, values(criteria, 5, 5), today=edition.scoring_close_on)

    assert Score.objects.count() == 2


def test_a_juror_who_has_not_confirmed_their_conflicts_cannot_score(edition, criteria, helene):
    member = juror(edition, confirmed=False)

    message = refusal(lambda: services.record_scores(member, helene, values(criteria, 5, 5)))

    assert message.startswith("Declare your conflicts of interest first")


def test_a_nominee_nominated_after_the_confirmation_waits_for_a_new_one(edition, criteria):
    member = juror(edition)
    late = nominee(edition, first_name="Luc", last_name="Roy")

    message = refusal(lambda: services.record_scores(member, late, values(criteria, 5, 5)))

    assert "nominated after you confirmed" in message
    services.confirm_conflicts(member)
    services.record_scores(member, late, values(criteria, 5, 5))
    assert Score.objects.count() == 2


@pytest.mark.parametrize("status", [Nominee.Status.DECLINED, Nominee.Status.WITHDRAWN])
def test_a_nominee_no_longer_in_the_running_cannot_be_scored(edition, criteria, helene, status):
    member = juror(edition)
    Nominee.objects.filter(pk=helene.pk).update(status=status)

    message = refusal(lambda: services.record_scores(member, helene, values(criteria, 5, 5)))

    assert message == "This mentor is no longer in the running."


def test_another_editions_nominee_cannot_be_scored(edition, criteria, program):
    member = juror(edition)
    elsewhere = nominee(edition_in(program, Phase.SCORING, year=2025))

    message = refusal(lambda: services.record_scores(member, elsewhere, values(criteria, 5, 5)))

    assert message == "This nominee is not in your contest."


@pytest.mark.parametrize("bad", [11, -1, "7", 7.5, None, True])
def test_a_score_outside_0_to_10_or_not_a_whole_number_is_refused(edition, criteria, helene, bad):
    member = juror(edition)

    message = refusal(lambda: services.record_scores(member, helene, values(criteria, 5, bad)))

    assert "whole number from 0 to 10" in message
    assert not Score.objects.exists()


def test_a_missing_criterion_is_refused_and_nothing_is_written(edition, criteria, helene):
    member = juror(edition)

    message = refusal(lambda: services.record_scores(member, helene, {criteria[0].pk: 5}))

    assert message == "Give a score for each criterion: Impact 1."
    assert not Score.objects.exists()


def test_a_criterion_of_another_edition_is_refused(edition, criteria, helene, program):
    member = juror(edition)
    foreign = rubric(edition_in(program, Phase.SCORING, year=2025), weights=(1,))[0]

    message = refusal(
        lambda: services.record_scores(member, helene, {**values(criteria, 5, 5), foreign.pk: 5})
    )

    assert "not in this contest's rubric" in message
    assert not Score.objects.exists()


def test_scoring_without_a_rubric_is_refused(edition, helene):
    member = juror(edition)

    message = refusal(lambda: services.record_scores(member, helene, {}))

    assert "no criterion" in message


# --- Conflicts -----------------------------------------------------------------------------


def test_declaring_a_conflict_keeps_the_scores_for_the_result_to_set_aside(
    edition, criteria, helene, marie
):
    member = juror(edition)
    services.record_scores(member, helene, values(criteria, 8, 8))
    services.record_scores(member, marie, values(criteria, 6, 6))

    conflict, created = services.declare_conflict(
        member, helene, ConflictReason.CLOSE_WORK, "Same team since 2020"
    )

    assert created
    assert conflict.note == "Same team since 2020"
    assert Score.objects.filter(juror=member, nominee=helene).count() == 2
    set_aside = edition_result(edition).categories[0].set_aside
    assert {(item.juror_id, item.nominee_id) for item in set_aside} == {(member.pk, helene.pk)}
    assert {tuple(item.reasons) for item in set_aside} == {(ConflictReason.CLOSE_WORK,)}


def test_removing_a_conflict_brings_the_kept_scores_back_into_the_count(
    edition, criteria, helene, manager_user
):
    member = juror(edition)
    services.record_scores(member, helene, values(criteria, 8, 8))
    conflict, _created = services.declare_conflict(member, helene, ConflictReason.FAMILY)

    services.remove_conflict(conflict, actor=manager_user)

    assert edition_result(edition).categories[0].set_aside == []
    assert Score.objects.filter(juror=member, nominee=helene).count() == 2


def test_declaring_the_same_conflict_twice_records_it_once(edition, helene):
    member = juror(edition)
    first, _created = services.declare_conflict(member, helene, ConflictReason.FAMILY)

    again, created = services.declare_conflict(member, helene, ConflictReason.OTHER, "x")

    assert again == first
    assert not created
    assert DeclaredConflict.objects.get().reason == ConflictReason.FAMILY


def test_a_declared_conflict_is_audited(edition, helene):
    member = juror(edition)

    conflict, _created = services.declare_conflict(member, helene, ConflictReason.FAMILY)

    event = AuditEvent.objects.get(object_type="contests.declaredconflict")
    assert event.object_id == str(conflict.pk)
    assert event.action == AuditEvent.Action.CREATE


def test_a_manager_records_a_conflict_for_a_juror(edition, helene, manager_user):
    member = juror(edition)

    conflict, _created = services.declare_conflict(
        member, helene, ConflictReason.REPORTING_LINE, actor=manager_user
    )

    assert conflict.recorded_by == manager_user
    assert AuditEvent.objects.get(object_type="contests.declaredconflict").actor == manager_user


def test_someone_who_does_not_run_the_edition_cannot_record_a_conflict(
    edition, helene, mentor_user, other_admin_user
):
    member = juror(edition)

    for user in (mentor_user, other_admin_user):
        refusal(
            lambda user=user: services.declare_conflict(
                member, helene, ConflictReason.FAMILY, actor=user
            )
        )

    assert not DeclaredConflict.objects.exists()


def test_an_admin_records_a_conflict_in_any_edition(edition, helene, admin_user):
    member = juror(edition)

    services.declare_conflict(member, helene, ConflictReason.FAMILY, actor=admin_user)

    assert DeclaredConflict.objects.get().recorded_by == admin_user


@pytest.mark.parametrize("reason", [ConflictReason.PAIRED, ConflictReason.SELF, "nonsense"])
def test_only_the_declarable_reasons_can_be_declared(edition, helene, reason):
    member = juror(edition)

    refusal(lambda: services.declare_conflict(member, helene, reason))

    assert not DeclaredConflict.objects.exists()


def test_other_needs_a_few_words(edition, helene):
    member = juror(edition)

    message = refusal(lambda: services.declare_conflict(member, helene, ConflictReason.OTHER))

    assert message == "Say in a few words what the conflict of interest is."


def test_details_longer_than_300_characters_are_refused(edition, helene):
    member = juror(edition)

    refusal(lambda: services.declare_conflict(member, helene, ConflictReason.FAMILY, "x" * 301))

    assert not DeclaredConflict.objects.exists()


def test_a_juror_cannot_declare_once_scoring_closed(edition, helene):
    member = juror(edition)
    set_phase(edition, Phase.DELIBERATION)

    message = refusal(lambda: services.declare_conflict(member, helene, ConflictReason.FAMILY))

    assert message.startswith("Scoring is closed")


@pytest.mark.parametrize("phase", [Phase.DELIBERATION, "announced"])
def test_a_manager_cannot_record_one_once_scoring_closed(edition, helene, manager_user, phase):
    member = juror(edition)
    close_scoring(edition, phase)

    message = refusal(
        lambda: services.declare_conflict(member, helene, ConflictReason.FAMILY, actor=manager_user)
    )

    assert "can no longer" in message
    assert not DeclaredConflict.objects.exists()


@pytest.mark.parametrize("phase", [Phase.DELIBERATION, "announced"])
def test_a_manager_cannot_remove_one_once_scoring_closed(edition, helene, manager_user, phase):
    member = juror(edition)
    conflict, _created = services.declare_conflict(member, helene, ConflictReason.FAMILY)
    close_scoring(edition, phase)

    message = refusal(lambda: services.remove_conflict(conflict, actor=manager_user))

    assert "can no longer" in message
    assert DeclaredConflict.objects.count() == 1


def test_the_refusal_after_scoring_says_when_it_closed(edition, helene, manager_user):
    member = juror(edition)
    set_phase(edition, Phase.DELIBERATION)

    message = refusal(
        lambda: services.declare_conflict(member, helene, ConflictReason.FAMILY, actor=manager_user)
    )

    with translation.override("en"):
        day = date_format(edition.scoring_close_on, "DATE_FORMAT")
    assert message.startswith(f"Scoring is closed (it ended on {day})")


def test_the_date_passed_decides_whether_conflicts_may_change(edition, helene, manager_user):
    member = juror(edition)

    refusal(
        lambda: services.declare_conflict(
            member,
            helene,
            ConflictReason.FAMILY,
            actor=manager_user,
            today=edition.scoring_close_on + datetime.timedelta(days=1),
        )
    )
    conflict, _created = services.declare_conflict(
        member, helene, ConflictReason.FAMILY, today=edition.scoring_close_on
    )
    services.remove_conflict(conflict, actor=manager_user, today=edition.scoring_close_on)

    assert not DeclaredConflict.objects.exists()


def test_no_one_declares_once_announced(edition, helene, manager_user):
    member = juror(edition)
    edition.announced_at = timezone.now()
    edition.save()

    refusal(
        lambda: services.declare_conflict(member, helene, ConflictReason.FAMILY, actor=manager_user)
    )

    assert not DeclaredConflict.objects.exists()


def test_a_conflict_with_another_editions_nominee_is_refused(edition, program):
    member = juror(edition)
    elsewhere = nominee(edition_in(program, Phase.SCORING, year=2025))

    refusal(lambda: services.declare_conflict(member, elsewhere, ConflictReason.FAMILY))

    assert not DeclaredConflict.objects.exists()


def test_confirming_opens_scoring_and_a_second_click_changes_nothing(edition, helene):
    member = juror(edition, confirmed=False)

    assert services.confirm_conflicts(member) is True
    confirmed_at = member.conflicts_confirmed_at
    assert services.confirm_conflicts(member) is False

    member.refresh_from_db()
    assert member.conflicts_confirmed_at == confirmed_at
    assert AuditEvent.objects.filter(object_type="contests.juror").count() == 1


def test_confirming_after_scoring_closed_is_refused(edition):
    member = juror(edition, confirmed=False)
    set_phase(edition, Phase.DELIBERATION)

    refusal(lambda: services.confirm_conflicts(member))

    member.refresh_from_db()
    assert member.conflicts_confirmed_at is None


def test_a_manager_of_the_edition_removes_a_declared_conflict(edition, helene, manager_user):
    member = juror(edition)
    conflict, _created = services.declare_conflict(member, helene, ConflictReason.FAMILY)

    assert services.remove_conflict(conflict, actor=manager_user) is True
    assert services.remove_conflict(conflict, actor=manager_user) is False

    assert not DeclaredConflict.objects.exists()
    assert AuditEvent.objects.filter(
        object_type="contests.declaredconflict", action=AuditEvent.Action.DELETE, actor=manager_user
    ).exists()


def test_nobody_else_removes_a_conflict(edition, helene, mentor_user, other_admin_user):
    member = juror(edition)
    conflict, _created = services.declare_conflict(member, helene, ConflictReason.FAMILY)

    for user in (None, mentor_user, other_admin_user):
        refusal(lambda user=user: services.remove_conflict(conflict, actor=user))

    assert DeclaredConflict.objects.count() == 1
