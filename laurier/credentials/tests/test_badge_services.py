"""Creating, editing and retiring badges: the rules hold whatever the form sent, and every
change is in the audit trail."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laurier.credentials.models import BadgeClass
from laurier.credentials.services import awarding, badges
from laurier.credentials.services.badges import (
    create_badge_class,
    edit_badge_class,
    reactivate_badge_class,
    retire_badge_class,
)
from laurier.credentials.services.issuers import update_issuer
from laurier.organisations.models import AuditEvent

from .manager_support import BADGE_FIELDS, make_badge, mentor_of


def fields(**changes):
    return {**BADGE_FIELDS, "rule": "manual", "threshold": None, "event_kind": "", **changes}


def refusal(**changes):
    with pytest.raises(ValidationError) as caught:
        create_badge_class(changes.pop("organisation"), actor=None, **fields(**changes))
    return caught.value.message_dict


def test_creating_a_badge_records_it_in_the_audit_trail(organisation, admin_user):
    badge, created = create_badge_class(organisation, actor=admin_user, **fields())

    assert created
    assert badge.created_by == admin_user
    event = AuditEvent.objects.get(object_type="credentials.badgeclass", object_id=str(badge.pk))
    assert event.action == AuditEvent.Action.CREATE
    assert event.changes["name_en"] == "100-hour mentor"


def test_the_same_form_sent_twice_creates_one_badge(organisation, admin_user):
    first, _ = create_badge_class(organisation, actor=admin_user, form_token="abc", **fields())
    second, created = create_badge_class(
        organisation, actor=admin_user, form_token="abc", **fields()
    )

    assert not created
    assert second == first
    assert BadgeClass.objects.count() == 1


def the_first_submit_not_yet_seen(monkeypatch):
    """The second submit looks for the first one's badge before it is committed."""
    lookups = []
    seen = badges._created_with

    def late(*args):
        lookups.append(args)
        return None if len(lookups) == 1 else seen(*args)

    monkeypatch.setattr(badges, "_created_with", late)


def test_a_second_submit_racing_the_first_returns_its_badge(organisation, admin_user, monkeypatch):
    first, _ = create_badge_class(organisation, actor=admin_user, form_token="abc", **fields())
    the_first_submit_not_yet_seen(monkeypatch)

    second, created = create_badge_class(
        organisation, actor=admin_user, form_token="abc", **fields()
    )

    assert (second, created) == (first, False)
    assert BadgeClass.objects.count() == 1


def test_the_database_refuses_a_second_badge_for_the_same_form(
    organisation, admin_user, monkeypatch
):
    first, _ = create_badge_class(organisation, actor=admin_user, form_token="abc", **fields())
    the_first_submit_not_yet_seen(monkeypatch)

    second, created = create_badge_class(
        organisation, actor=admin_user, form_token="abc", **fields(name_en="Other", name_fr="Autre")
    )

    assert (second, created) == (first, False)
    assert BadgeClass.objects.count() == 1


def test_two_forms_for_the_same_name_give_the_second_a_name_error(organisation, admin_user):
    create_badge_class(organisation, actor=admin_user, form_token="abc", **fields())

    with pytest.raises(ValidationError) as caught:
        create_badge_class(organisation, actor=admin_user, form_token="def", **fields())

    assert "name_en" in caught.value.message_dict
    assert BadgeClass.objects.count() == 1


def test_badges_made_without_a_form_need_no_token(organisation, admin_user):
    create_badge_class(organisation, actor=admin_user, **fields())
    create_badge_class(organisation, actor=admin_user, **fields(name_en="Other", name_fr="Autre"))

    assert BadgeClass.objects.count() == 2


@pytest.mark.parametrize("rule", ["hours", "years", "pairings"])
def test_a_rule_with_a_threshold_needs_one(organisation, rule):
    errors = refusal(organisation=organisation, rule=rule)

    assert "threshold" in errors
    assert not BadgeClass.objects.exists()


def test_a_threshold_is_more_than_zero(organisation):
    assert "threshold" in refusal(organisation=organisation, rule="hours", threshold=Decimal(0))


def test_pairings_are_counted_in_whole_numbers(organisation):
    assert "threshold" in refusal(
        organisation=organisation, rule="pairings", threshold=Decimal("2.5")
    )


@pytest.mark.parametrize("rule", ["manual", "event"])
def test_a_rule_without_threshold_refuses_one(organisation, rule):
    with translation.override("en"):
        errors = refusal(organisation=organisation, rule=rule, threshold=Decimal(10))

    assert errors["threshold"] == ["Leave the threshold empty: this way of awarding has none."]


def test_a_kind_of_event_goes_only_with_the_event_rule(organisation):
    assert "event_kind" in refusal(
        organisation=organisation, rule="hours", threshold=Decimal(10), event_kind="gala"
    )


def test_an_event_badge_may_name_its_kind_of_event(organisation):
    badge, _ = create_badge_class(
        organisation, actor=None, **fields(rule="event", event_kind="gala")
    )

    assert badge.event_kind == "gala"


def test_a_crafted_design_is_refused(organisation):
    assert "shape" in refusal(organisation=organisation, shape="pentagram")


def test_two_badges_of_an_organisation_cannot_share_a_name(organisation):
    make_badge(organisation)

    errors = refusal(organisation=organisation, name_en="100-HOUR MENTOR", name_fr="Autre")

    assert "name_en" in errors


def test_another_organisation_may_use_the_same_name(organisation, other_organisation):
    make_badge(other_organisation)

    _badge, created = create_badge_class(organisation, actor=None, **fields())

    assert created


def test_the_label_loses_its_control_characters(organisation):
    badge, _ = create_badge_class(organisation, actor=None, **fields(label="\x07 5 ans "))

    assert badge.label == "5 ans"


def test_editing_records_what_changed(organisation, admin_user):
    badge = make_badge(organisation)

    edit_badge_class(badge, actor=admin_user, name_en="Hundred-hour mentor")

    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_id=str(badge.pk))
    assert event.changes == {"name_en": ["100-hour mentor", "Hundred-hour mentor"]}


def test_editing_keeps_its_own_name_available(organisation):
    badge = make_badge(organisation)

    edited = edit_badge_class(badge, actor=None, name_en="100-hour mentor", palette="gold")

    assert edited.palette == "gold"


def test_editing_a_badge_leaves_credentials_already_issued_unchanged(organisation, program):
    badge = make_badge(organisation)
    credential, _ = awarding.award_badge(badge, mentor_of(program), actor=None)
    signed = credential.document

    edit_badge_class(badge, actor=None, name_fr="Nouveau nom", name_en="New name")

    credential.refresh_from_db()
    assert credential.document == signed


def test_an_edit_cannot_break_the_rule(organisation):
    badge = make_badge(organisation)

    with pytest.raises(ValidationError):
        edit_badge_class(badge, actor=None, rule="hours")

    badge.refresh_from_db()
    assert badge.rule == "manual"


def test_a_retired_badge_is_no_longer_awarded_but_its_holders_keep_it(organisation, program):
    badge = make_badge(organisation)
    holder = mentor_of(program)
    awarding.award_badge(badge, holder, actor=None)

    retire_badge_class(badge, actor=None)

    with pytest.raises(awarding.CredentialRefused):
        awarding.award_badge(badge, mentor_of(program), actor=None)
    assert badge.credentials.get().person == holder


def test_a_retired_badge_can_be_made_active_again(organisation, admin_user):
    badge = make_badge(organisation, active=False)

    reactivate_badge_class(badge, actor=admin_user)

    badge.refresh_from_db()
    assert badge.active
    assert AuditEvent.objects.filter(object_id=str(badge.pk), actor=admin_user).exists()


def test_the_issuer_details_are_saved_with_an_audit_event(organisation, admin_user):
    issuer = update_issuer(
        organisation,
        actor=admin_user,
        website="https://hydro.example",
        email="badges@hydro.example",
        linkedin_organization_id="12345",
    )

    assert issuer.website == "https://hydro.example"
    event = AuditEvent.objects.get(object_type="credentials.issuer")
    assert event.changes["linkedin_organization_id"] == ["", "12345"]
