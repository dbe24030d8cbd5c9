"""The issuer's keys as a JSON Web Key Set: another JOSE library verifies Laurier's JWTs with it."""

import json

from django.urls import reverse
from jwcrypto import jwk, jws

from laurier.credentials.services import awarding
from laurier.credentials.services.issuance import rotate_signing_key
from laurier.testing import factories


def test_a_jwt_verifies_with_the_published_key_set_in_jwcrypto(client, organisation):
    person = factories.PersonFactory(organisation=organisation)
    credential, _ = awarding.award_badge(
        factories.BadgeClassFactory(organisation=organisation), person, actor=None
    )
    rotate_signing_key(organisation, actor=None)
    url = reverse("credentials:issuer_keys", args=[organisation.issuer.public_id])

    response = client.get(url)
    key_set = jwk.JWKSet.from_json(response.content)
    token = jws.JWS()
    token.deserialize(credential.jwt)
    kid = json.loads(token.objects["protected"])["kid"]
    token.verify(key_set.get_key(kid), alg="EdDSA")

    assert response["Content-Type"] == "application/jwk-set+json"
    assert len(key_set["keys"]) == 2
    assert json.loads(token.payload)["id"] == credential.url
