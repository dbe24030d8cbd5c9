"""One training-hours total holds at a time; a holder learns when a credential is revoked."""

import datetime

from django.urls import reverse

from laurier.credentials.models import Credential, CredentialKind
from laurier.credentials.services import awarding
from laurier.credentials.verification import Outcome, verify_document
from laurier.hours.tests.helpers import attended, event
from laurier.outbox.models import OutgoingEmail
from laurier.programs.models import Person
from laurier.testing import factories


def my_hours_certificate(year=2025):
    return reverse("hours:my_certificate", args=["hydro", year])


def test_a_new_total_revokes_the_earlier_one_and_points_to_it(login, mentor_user, program):
    holder = Person.objects.get(user=mentor_user)
    attended(
        event(program, starts_at=datetime.datetime(2025, 5, 10, 14, tzinfo=datetime.UTC)), holder
    )
    client = login(mentor_user)
    client.get(my_hours_certificate())
    attended(
        event(program, starts_at=datetime.datetime(2025, 9, 10, 14, tzinfo=datetime.UTC)), holder
    )

    client.get(my_hours_certificate())

    earlier, current = Credential.objects.filter(
        person=holder, kind=CredentialKind.TRAINING
    ).order_by("pk")
    assert verify_document(earlier.document).outcome == Outcome.REVOKED
    assert current.url in earlier.revocation_reason
    assert verify_document(current.document).outcome == Outcome.VALID
    # Replaced by Laurier itself: nothing to tell the holder about.
    assert not OutgoingEmail.objects.filter(reason__startswith="credential-revoked").exists()


def test_the_holder_is_told_of_a_revocation_in_their_language(organisation, manager_user):
    person = factories.PersonFactory(organisation=organisation, language="en")
    credential, _ = awarding.award_badge(
        factories.BadgeClassFactory(organisation=organisation), person, actor=None
    )

    awarding.revoke(credential, reason="Hours entered twice", actor=manager_user)

    email = OutgoingEmail.objects.get(reason=f"credential-revoked:{credential.pk}")
    assert email.to == person.email
    assert "was revoked" in email.subject
    assert "Hours entered twice" in email.text
