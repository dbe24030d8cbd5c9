from django.urls import reverse


def test_admin_of_another_organisation_gets_404_on_the_members_page(
    login, other_admin_user, organisation
):
    url = reverse("organisations:members", args=[organisation.slug])
    assert login(other_admin_user).get(url).status_code == 404
