"""Interoperability: what Laurier issues verifies with Digital Bazaar's verifier (another
codebase), which reads only what Laurier serves at the addresses the credentials name."""

import copy
import datetime
import json

import pytest
from django.urls import reverse

from laurier.credentials.documents import schema_errors
from laurier.credentials.services import awarding
from laurier.credentials.services.issuance import rotate_signing_key
from laurier.hours.selectors import training_certificate
from laurier.recognition.categories import Giver
from laurier.recognition.models import Award
from laurier.testing import factories


def badge_class(organisation, **fields):
    values = {
        "description_fr": "A mentoré 100 heures « avec cœur ».",
        "criteria_fr": "100 heures\tconfirmées.\nBravo!",
        "criteria_en": "100 confirmed hours.",
        **fields,
    }
    return factories.BadgeClassFactory(organisation=organisation, **values)


def served(client, url):
    """A document as any verifier gets it: from its public address, asking for JSON."""
    response = client.get(url, HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200, url
    return json.loads(response.content)


def documents_for(client, organisation, credentials):
    issuer = served(client, reverse("credentials:issuer", args=[organisation.issuer.public_id]))
    lists = {c.document["credentialStatus"]["statusListCredential"] for c in credentials}
    return [issuer, *(served(client, url) for url in lists)]


def changed(document):
    document = copy.deepcopy(document)
    document["credentialSubject"]["achievement"]["name"] += "!"
    return document


def changed_jwt(token):
    header, payload, signature = token.split(".")
    return f"{header}.{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


@pytest.fixture
def issued(organisation, program):
    """Credentials of every kind, some signed before a key rotation, one revoked after it."""
    # A person's name may hold characters RDF canonicalisation escapes: Laurier strips them.
    person = factories.PersonFactory(organisation=organisation, first_name="Hé\x07lène")
    badge, _ = awarding.award_badge(badge_class(organisation), person, actor=None)
    revoked, _ = awarding.award_badge(
        badge_class(organisation, name_en="Gala 2026", name_fr="Gala 2026", valid_years=2),
        person,
        actor=None,
    )
    rotate_signing_key(organisation, actor=None)
    # Revoked after the rotation: its list is signed by the new key, the credential by the old.
    awarding.revoke(revoked, reason="Awarded by mistake", actor=None)
    factories.MentoringSessionFactory(
        pairing=factories.PairingFactory(program=program, mentor=person),
        held_on=datetime.date(2026, 2, 3),
        duration_minutes=95,
    )
    training, _ = awarding.certify_training(training_certificate(person, 2026), actor=None)
    option = factories.RecognitionOptionFactory(organisation=organisation, name_fr="Dîner")
    award = Award.objects.create(
        organisation=organisation,
        program=program,
        mentor=person,
        option=option,
        planned_on=datetime.date(2026, 3, 1),
        given_on=datetime.date(2026, 3, 1),
        status=Award.Status.GIVEN,
        givers=[Giver.MANAGER],
        moment_fr="Fin de l'année",
        moment_en="End of the year",
    )
    certificate, _ = awarding.certify_award(award, actor=None)
    return {"badge": badge, "revoked": revoked, "training": training, "award": certificate}


def test_every_credential_kind_matches_the_official_schema(issued):
    for credential in issued.values():
        assert schema_errors(credential.document) == [], credential.kind


def test_issued_credentials_verify_independently_and_changed_ones_do_not(
    client, organisation, issued, independent_verifier
):
    items = []
    for name, credential in issued.items():
        items += [
            {"name": f"{name} di", "credential": credential.document},
            {"name": f"{name} jwt", "jwt": credential.jwt},
            {"name": f"{name} di changed", "credential": changed(credential.document)},
            {"name": f"{name} jwt changed", "jwt": changed_jwt(credential.jwt)},
        ]
    documents = documents_for(client, organisation, issued.values())

    verdicts = {v["name"]: v for v in independent_verifier(items, documents)}

    for name in issued:
        for proof in ("di", "jwt"):
            assert verdicts[f"{name} {proof}"]["verified"], verdicts[f"{name} {proof}"]
            assert not verdicts[f"{name} {proof} changed"]["verified"]
    assert verdicts["revoked di"]["revoked"] is True
    assert verdicts["revoked jwt"]["revoked"] is True
    assert verdicts["badge di"]["revoked"] is False
    assert verdicts["training jwt"]["revoked"] is False


def test_a_badge_past_its_validity_fails_independently(client, organisation, independent_verifier):
    person = factories.PersonFactory(organisation=organisation)
    credential, _ = awarding.award_badge(
        badge_class(organisation, valid_years=1), person, actor=None
    )
    items = [
        {"name": "di", "credential": credential.document},
        {"name": "jwt", "jwt": credential.jwt},
    ]
    later = (credential.valid_until + datetime.timedelta(days=1)).isoformat()

    verdicts = independent_verifier(
        items, documents_for(client, organisation, [credential]), now=later
    )

    assert [v["verified"] for v in verdicts] == [False, False]
