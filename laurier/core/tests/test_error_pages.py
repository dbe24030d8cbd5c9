from django.urls import reverse


def test_unknown_page_is_a_laurier_page_in_the_persons_language(login, manager_user):
    manager_user.language = "fr-ca"
    manager_user.save()
    response = login(manager_user).get("/o/hydro/nowhere/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert 'lang="fr-ca"' in html


def test_a_role_without_access_gets_a_friendly_403(login, mentee_user):
    response = login(mentee_user).get(reverse("organisations:members", args=["hydro"]))
    assert response.status_code == 403
    assert "Back to my home page" in response.content.decode() or "Retour" in (
        response.content.decode()
    )
