"""Moving an edition's dates once it runs: a date that has passed stays, no date moves into the
past, the nomination dates stay once the jury scores, and scoring can only be lengthened while
it runs. Otherwise a manager could end scoring early and announce, or reopen nominations
behind the jury's back."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laurier.contests.models import Edition
from laurier.contests.services import editions as services
from laurier.organisations.models import Membership
from laurier.testing import factories

from .test_editions_support import edition_post_data, edition_url, open_edition

pytestmark = pytest.mark.django_db

# The factory's edition: nominations in March 2026, scoring until April 20, announced May 1.
BEFORE = datetime.date(2026, 2, 20)
NOMINATING = datetime.date(2026, 3, 10)
SCORING = datetime.date(2026, 4, 10)
DELIBERATING = datetime.date(2026, 4, 25)


def day(month, number):
    return datetime.date(2026, month, number)


def edit(edition, user, today, **changes):
    membership = Membership.objects.get(user=user, organisation=edition.organisation)
    fields = {name: getattr(edition, name) for name in services.EDITION_FIELDS}
    fields.update(changes)
    return services.edit_edition(
        edition, membership, program=edition.program, today=today, **fields
    )


def refused_fields(edition, user, today, **changes):
    with pytest.raises(ValidationError) as refused:
        edit(edition, user, today, **changes)
    return set(refused.value.error_dict)


@pytest.fixture
def edition(program):
    return factories.EditionFactory(program=program)


def test_scoring_cannot_be_cut_short_to_announce_early(edition, manager_user):
    assert refused_fields(
        edition, manager_user, SCORING, scoring_close_on=day(4, 9), announce_on=day(4, 9)
    ) == {"scoring_close_on", "announce_on"}

    edition.refresh_from_db()
    assert (edition.scoring_close_on, edition.announce_on) == (day(4, 20), day(5, 1))


def test_while_scoring_the_jurys_last_day_cannot_move_earlier(edition, manager_user):
    assert refused_fields(edition, manager_user, SCORING, scoring_close_on=day(4, 15)) == {
        "scoring_close_on"
    }


def test_while_scoring_the_jurys_last_day_can_move_later(edition, manager_user):
    edit(edition, manager_user, SCORING, scoring_close_on=day(4, 25))

    edition.refresh_from_db()
    assert edition.scoring_close_on == day(4, 25)


def test_nominations_cannot_reopen_while_the_jury_scores(edition, manager_user):
    assert refused_fields(edition, manager_user, SCORING, nominations_close_on=day(4, 12)) == {
        "nominations_close_on"
    }


def test_once_nominations_opened_their_first_day_no_longer_changes(edition, manager_user):
    assert refused_fields(edition, manager_user, NOMINATING, nominations_open_on=day(3, 12)) == {
        "nominations_open_on"
    }


def test_while_nominating_the_last_day_to_nominate_can_move_later(edition, manager_user):
    edit(edition, manager_user, NOMINATING, nominations_close_on=day(4, 5))

    edition.refresh_from_db()
    assert edition.nominations_close_on == day(4, 5)


def test_no_date_moves_into_the_past(edition, manager_user):
    assert refused_fields(edition, manager_user, BEFORE, nominations_open_on=day(2, 10)) == {
        "nominations_open_on"
    }


def test_before_nominations_open_every_date_can_move_forward(edition, manager_user):
    edit(edition, manager_user, BEFORE, nominations_open_on=BEFORE)

    edition.refresh_from_db()
    assert edition.nominations_open_on == BEFORE


def test_after_scoring_only_the_announcement_still_to_come_can_move(edition, manager_user):
    edit(edition, manager_user, DELIBERATING, announce_on=day(4, 28))
    assert refused_fields(edition, manager_user, DELIBERATING, scoring_close_on=day(4, 26)) == {
        "scoring_close_on"
    }

    edition.refresh_from_db()
    assert (edition.scoring_close_on, edition.announce_on) == (day(4, 20), day(4, 28))


def test_a_new_edition_still_takes_any_dates_in_order(manager_user, program):
    membership = Membership.objects.get(user=manager_user)

    edition, created = services.create_edition(
        membership,
        program=program,
        year=2020,
        name_fr="Mentor 2020",
        name_en="Mentor 2020",
        nominations_open_on=datetime.date(2020, 3, 1),
        nominations_close_on=datetime.date(2020, 3, 31),
        scoring_close_on=datetime.date(2020, 4, 20),
        announce_on=datetime.date(2020, 5, 1),
    )

    assert created and edition.nominations_open_on == datetime.date(2020, 3, 1)


# --- The form -------------------------------------------------------------------------------


def scoring_edition(program):
    today = datetime.date.today()
    return open_edition(
        program,
        nominations_open_on=today - datetime.timedelta(days=20),
        nominations_close_on=today - datetime.timedelta(days=5),
        scoring_close_on=today + datetime.timedelta(days=5),
        announce_on=today + datetime.timedelta(days=10),
    )


def test_the_form_shows_frozen_dates_read_only_with_why(login, manager_user, program):
    edition = scoring_edition(program)

    with translation.override("en"):
        response = login(manager_user).get(edition_url("edition_edit", edition))

    form = response.context["form"]
    assert form.fields["nominations_open_on"].disabled
    assert form.fields["nominations_close_on"].disabled
    assert not form.fields["scoring_close_on"].disabled
    with translation.override("en"):
        assert "this date can only move later" in str(form.fields["scoring_close_on"].help_text)
    assert "The jury is scoring: the nomination dates no longer change." in (
        response.content.decode()
    )


def test_a_frozen_date_posted_anyway_is_kept(login, manager_user, program):
    edition = scoring_edition(program)
    kept = edition.nominations_close_on
    data = edition_post_data(
        program,
        nominations_open_on=edition.nominations_open_on.isoformat(),
        nominations_close_on=(kept + datetime.timedelta(days=3)).isoformat(),
        scoring_close_on=edition.scoring_close_on.isoformat(),
        announce_on=edition.announce_on.isoformat(),
    )

    login(manager_user).post(edition_url("edition_edit", edition), data)

    assert Edition.objects.get(pk=edition.pk).nominations_close_on == kept


def test_the_form_says_why_scoring_cannot_end_earlier(login, manager_user, program):
    edition = scoring_edition(program)
    data = edition_post_data(
        program,
        scoring_close_on=(edition.scoring_close_on - datetime.timedelta(days=2)).isoformat(),
        announce_on=edition.announce_on.isoformat(),
    )

    with translation.override("en"):
        response = login(manager_user).post(edition_url("edition_edit", edition), data)
        errors = list(response.context["form"].errors["scoring_close_on"])

    assert response.status_code == 200
    assert errors == [
        "The jury is scoring: their last day can only move later, so that no juror loses the "
        "days they counted on."
    ]
    assert Edition.objects.get(pk=edition.pk).scoring_close_on == edition.scoring_close_on
