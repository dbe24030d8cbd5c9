"""The edition services check every rule again: a crafted request that skips the forms
changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from laurier.contests.models import Category, Edition, Juror, Nominee
from laurier.contests.services import editions as services
from laurier.credentials.models import BadgeRule
from laurier.organisations.models import Membership
from laurier.outbox.models import OutgoingEmail
from laurier.testing import factories

from .test_editions_support import open_edition

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 1)


def fields(**changes):
    opens, closes, scoring, announce = services.default_dates(TODAY)
    return {
        "year": 2026,
        "name_fr": "Mentor de l'année 2026",
        "name_en": "Mentor of the year 2026",
        "nominations_open_on": opens,
        "nominations_close_on": closes,
        "scoring_close_on": scoring,
        "announce_on": announce,
        **changes,
    }


def membership(user):
    return Membership.objects.select_related("organisation").get(user=user)


def test_default_dates_follow_the_issue():
    assert services.default_dates(TODAY) == (
        TODAY,
        datetime.date(2026, 3, 30),
        datetime.date(2026, 4, 20),
        datetime.date(2026, 4, 27),
    )


def test_dates_out_of_order_are_refused_by_the_service(manager_user, program):
    with pytest.raises(ValidationError) as refused:
        services.create_edition(
            membership(manager_user),
            program=program,
            **fields(scoring_close_on=datetime.date(2026, 3, 2)),
        )

    assert "scoring_close_on" in refused.value.error_dict
    assert not Edition.objects.exists()


def test_a_manager_cannot_create_for_a_program_they_do_not_manage(manager_user, organisation):
    elsewhere = factories.ProgramFactory(organisation=organisation, slug="ailleurs")

    with pytest.raises(ValidationError):
        services.create_edition(membership(manager_user), program=elsewhere, **fields())


def test_an_award_of_another_organisation_is_refused(admin_user, other_organisation):
    option = factories.RecognitionOptionFactory(organisation=other_organisation)

    with pytest.raises(ValidationError) as refused:
        services.create_edition(membership(admin_user), program=None, **fields(option=option))

    assert "option" in refused.value.error_dict


def test_the_same_form_token_creates_one_edition(manager_user, program):
    first, created = services.create_edition(
        membership(manager_user), program=program, form_token="abc", **fields()
    )
    second, again = services.create_edition(
        membership(manager_user), program=program, form_token="abc", **fields()
    )

    assert (created, again) == (True, False)
    assert first == second


def test_a_badge_of_another_organisation_is_refused(manager_user, program, other_organisation):
    edition = open_edition(program)
    badge = factories.BadgeClassFactory(organisation=other_organisation, rule=BadgeRule.CONTEST)

    with pytest.raises(ValidationError):
        services.create_category(
            edition, actor=manager_user, name_fr="A", name_en="A", winners=1, badge_class=badge
        )

    assert not Category.objects.exists()


def test_a_person_of_another_organisation_is_not_added_to_the_jury(
    manager_user, program, other_organisation
):
    edition = open_edition(program)
    stranger = factories.PersonFactory(organisation=other_organisation)

    with pytest.raises(ValidationError):
        services.add_juror(edition, actor=manager_user, kind="manager", person=stranger)

    assert not Juror.objects.exists()


def test_nothing_changes_in_an_announced_edition(manager_user, program):
    edition = open_edition(program, announced_at=timezone.now())
    juror = factories.JurorFactory(edition=edition)

    with pytest.raises(ValidationError):
        services.invite_juror(juror, actor=manager_user)
    with pytest.raises(ValidationError):
        services.add_juror(
            edition,
            actor=manager_user,
            kind="other",
            name="X",
            email="x@example.org",
            language="en",
        )

    assert not OutgoingEmail.objects.exists()


def test_withdrawing_without_a_reason_is_refused_by_the_service(manager_user, program):
    edition = open_edition(program)
    nominee = factories.NomineeFactory(category=factories.CategoryFactory(edition=edition))

    with pytest.raises(ValidationError):
        services.withdraw_nominee(nominee, actor=manager_user, reason="  ")


def test_the_service_refuses_withdrawing_or_restoring_once_scoring_closed(manager_user, program):
    edition = factories.EditionFactory(program=program)
    category = factories.CategoryFactory(edition=edition)
    running = factories.NomineeFactory(category=category)
    withdrawn = factories.NomineeFactory(category=category, status=Nominee.Status.WITHDRAWN)
    deliberating = datetime.date(2026, 4, 25)

    with pytest.raises(ValidationError):
        services.withdraw_nominee(running, actor=manager_user, reason="x", today=deliberating)
    with pytest.raises(ValidationError):
        services.restore_nominee(withdrawn, actor=manager_user, today=deliberating)

    assert list(Nominee.objects.order_by("pk").values_list("status", flat=True)) == [
        Nominee.Status.NOMINATED,
        Nominee.Status.WITHDRAWN,
    ]
