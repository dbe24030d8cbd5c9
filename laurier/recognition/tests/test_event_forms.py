"""Planning and editing an event through its pages: the times typed in the organisation's zone,
the training hours proposed from the duration, and bad input refused with nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from laurier.organisations.models import AuditEvent
from laurier.recognition.models import Event, EventKind
from laurier.recognition.services import events as services
from laurier.testing import factories

from .test_event_support import (
    TORONTO,
    event_url,
    invite_quietly,
    list_url,
    mentor,
    next_week_at,
    plan,
    reload,
)

pytestmark = pytest.mark.django_db


def form_data(**changes):
    day = next_week_at().date()
    return {
        "kind": "workshop",
        "name_fr": "Atelier d'écoute active",
        "name_en": "Active listening workshop",
        "description_fr": "Trois heures pour mieux écouter.",
        "description_en": "Three hours to listen better.",
        "start_date": day.isoformat(),
        "start_time": "09:00",
        "end_date": "",
        "end_time": "12:30",
        "place": "Salle 204, 75 boul. René-Lévesque",
        "online_url": "",
        "capacity": "12",
        "training_hours": "",
        "remind_days_before": "2",
        "option": "",
        "form_token": "token-1",
        **changes,
    }


def create(client, program, **changes):
    return client.post(list_url(program, "event_create"), form_data(**changes))


def test_planning_an_event_saves_its_times_in_the_organisations_zone(login, manager_user, program):
    response = create(login(manager_user), program)

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == event_url("event_detail", event)
    day = next_week_at().date()
    assert event.starts_at == datetime.datetime.combine(day, datetime.time(9), tzinfo=TORONTO)
    assert event.ends_at == datetime.datetime.combine(day, datetime.time(12, 30), tzinfo=TORONTO)
    assert (event.kind, event.capacity, event.remind_days_before) == ("workshop", 12, 2)
    assert event.created_by == manager_user


def test_professional_development_gets_its_duration_as_training_hours(login, manager_user, program):
    create(login(manager_user), program)

    assert Event.objects.get().training_hours == Decimal("3.50")


def test_training_hours_typed_by_hand_are_kept(login, manager_user, program):
    create(login(manager_user), program, training_hours="3")

    assert Event.objects.get().training_hours == Decimal("3.00")


def test_training_hours_read_a_french_decimal_comma(login, program, organisation):
    user = factories.UserFactory(language="fr-ca")
    factories.MembershipFactory(organisation=organisation, user=user, role="admin")
    client = login(user)

    create(client, program, training_hours="2,5")

    assert Event.objects.get().training_hours == Decimal("2.50")


def test_a_gala_counts_no_training_hours(login, manager_user, program):
    create(login(manager_user), program, kind="gala")

    assert Event.objects.get().training_hours == Decimal("0.00")


def test_a_gala_with_training_hours_is_refused(login, manager_user, program):
    response = create(login(manager_user), program, kind="gala", training_hours="3")

    assert response.status_code == 200
    assert response.context["form"].errors["training_hours"]
    assert not Event.objects.exists()


def test_an_event_over_several_days_ends_on_its_last_day(login, manager_user, program):
    day = next_week_at().date()
    last = day + datetime.timedelta(days=1)

    create(login(manager_user), program, kind="conference", end_date=last.isoformat())

    event = Event.objects.get()
    assert event.ends_at == datetime.datetime.combine(last, datetime.time(12, 30), tzinfo=TORONTO)
    # Nights are no training: the manager says how many hours count.
    assert event.training_hours == Decimal("0.00")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_time": "08:00"}, "end_time"),
        ({"end_time": "09:00"}, "end_time"),
        ({"capacity": "0"}, "capacity"),
        ({"name_fr": "", "name_en": "  "}, "name_fr"),
        ({"start_date": ""}, "start_date"),
        ({"online_url": "not a link"}, "online_url"),
        ({"remind_days_before": "31"}, "remind_days_before"),
        ({"kind": "picnic"}, "kind"),
        ({"training_hours": "-1"}, "training_hours"),
        ({"capacity": "100000000000000000000"}, "capacity"),
        ({"capacity": "2147483648"}, "capacity"),
        ({"capacity": "100001"}, "capacity"),
        ({"start_date": "9999-12-31", "start_time": "23:00", "end_time": "23:30"}, "start_date"),
        ({"end_date": "9999-12-31"}, "end_date"),
        ({"start_date": "2101-01-01"}, "start_date"),
        ({"start_date": "1999-12-31"}, "start_date"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(login, manager_user, program, changes, field):
    response = create(login(manager_user), program, **changes)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Event.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).exists()


def test_an_end_before_the_start_says_so_in_english(login, manager_user, program):
    with translation.override("en"):
        response = create(login(manager_user), program, end_time="08:00")

    assert "The event must end after it starts." in response.content.decode()


def test_one_name_is_enough(login, manager_user, program):
    create(login(manager_user), program, name_en="")

    event = Event.objects.get()
    assert event.name_en == event.name_fr == "Atelier d'écoute active"


def test_a_second_submit_of_the_same_form_plans_one_event(login, manager_user, program):
    client = login(manager_user)

    first = create(client, program)
    second = create(client, program)

    assert Event.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_option_must_be_of_the_organisations_catalog(
    login, manager_user, program, other_organisation
):
    theirs = factories.RecognitionOptionFactory(organisation=other_organisation)

    response = create(login(manager_user), program, option=str(theirs.pk))

    assert "option" in response.context["form"].errors
    assert not Event.objects.exists()


def test_an_option_of_the_catalog_is_kept(login, manager_user, program, organisation):
    option = factories.RecognitionOptionFactory(organisation=organisation)

    create(login(manager_user), program, option=str(option.pk))

    assert Event.objects.get().option == option


def test_the_edit_form_shows_the_times_in_the_organisations_zone(login, manager_user, program):
    event = plan(program, manager_user, starts_at=next_week_at(hour=18))

    response = login(manager_user).get(event_url("event_edit", event))

    form = response.context["form"]
    assert form.initial["start_time"] == datetime.time(18)
    assert form.initial["end_time"] == datetime.time(21)
    assert form.initial["end_date"] is None


def test_editing_an_event_saves_it(login, manager_user, program):
    event = plan(program, manager_user)
    initial = {key: value for key, value in form_data(kind="gala", capacity="80").items() if value}

    response = login(manager_user).post(event_url("event_edit", event), initial)

    event = reload(event)
    assert response.status_code == 302
    assert (event.kind, event.capacity, event.name_en) == (
        EventKind.GALA,
        80,
        "Active listening workshop",
    )


def test_fewer_places_than_people_coming_is_refused(login, manager_user, program):
    event = plan(program, manager_user)
    people = [mentor(program, f"Mentor{index}", "Nom") for index in range(3)]
    for invitation in invite_quietly(event, people):
        services.respond(invitation, going=True)

    response = login(manager_user).post(
        event_url("event_edit", event), form_data(kind="gala", capacity="2")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["capacity"]
    assert reload(event).capacity is None


def test_a_cancelled_event_no_longer_changes(login, manager_user, program):
    event = plan(program, manager_user)
    services.cancel_event(event, actor=manager_user, reason="Tempête")

    response = login(manager_user).post(event_url("event_edit", event), form_data())

    assert response.status_code == 302
    assert reload(event).name_en == "Mentors' gala"


def test_another_like_it_starts_from_the_event_but_not_its_day(login, manager_user, program):
    event = plan(program, manager_user, kind="community", capacity=25, place="Salle 12")

    response = login(manager_user).get(list_url(program, "event_create"), {"like": event.pk})

    initial = response.context["form"].initial
    assert (initial["kind"], initial["capacity"], initial["place"]) == ("community", 25, "Salle 12")
    assert initial["name_fr"] == "Gala des mentors"
    assert initial["start_time"] == datetime.time(18)
    assert initial["start_date"] is None
    assert initial["form_token"]


def test_a_hundred_thousand_places_are_accepted(login, manager_user, program):
    create(login(manager_user), program, capacity="100000")

    assert Event.objects.get().capacity == 100_000


def test_too_many_places_says_the_most_in_english(login, manager_user, program):
    with translation.override("en"):
        response = create(login(manager_user), program, capacity="100001")

    assert "Give at most 100,000 places." in response.content.decode()


def test_a_date_out_of_range_says_the_years_in_english(login, manager_user, program):
    with translation.override("en"):
        response = create(login(manager_user), program, start_date="9999-12-31")

    assert "Choose a date between the years 2000 and 2100." in response.content.decode()


def test_a_reminder_on_the_day_of_the_event_is_accepted(login, manager_user, program):
    response = create(login(manager_user), program, remind_days_before="0")

    assert response.status_code == 302
    assert Event.objects.get().remind_days_before == 0


def test_the_reminder_help_says_0_is_the_morning_of_the_event(login, manager_user, program):
    with translation.override("en"):
        page = login(manager_user).get(list_url(program, "event_create")).content.decode()

    assert "0 sends it on the morning of the event." in page
