"""An admin makes an API token in a real Chromium, then another system uses it over HTTP."""

import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser


def _call(live_server, path, key):
    request = urllib.request.Request(
        f"{live_server.url}{path}",
        headers={"Authorization": f"Bearer {key}", "Accept-Language": "fr-CA"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_an_admin_makes_a_read_only_token_for_the_hr_system_then_revokes_it(
    live_server, page, log_in_as, admin_user, program
):
    admin_user.language = "fr-ca"
    admin_user.save(update_fields=["language"])
    log_in_as(admin_user)
    page.goto("/o/hydro/settings/")
    page.get_by_role("link", name="Jetons d’API").click()

    page.get_by_label("Nom").fill("Système RH")
    programs = page.get_by_role("group", name="Programmes et cycles")
    programs.get_by_label("Lecture", exact=True).check()
    page.get_by_role("button", name="Créer le jeton").click()

    key = page.get_by_label("Jeton", exact=True).input_value()
    assert key.startswith("lau_")
    status, body = _call(live_server, "/api/v1/programs/", key)
    assert status == 200
    assert [row["name"] for row in body["results"]] == ["Relève"]
    status, body = _call(live_server, "/api/v1/people/", key)
    assert status == 403
    assert "people:read" in body["error"]["message"]

    page.reload()
    assert page.get_by_label("Jeton", exact=True).count() == 0
    page.get_by_role("button", name="Révoquer Système RH").click()
    assert page.get_by_text("ne fonctionne plus").is_visible()
    status, body = _call(live_server, "/api/v1/programs/", key)
    assert status == 401
