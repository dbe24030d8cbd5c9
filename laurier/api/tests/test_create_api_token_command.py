import pytest
from django.core.management import CommandError, call_command

from laurier.testing.api import client_with


def test_the_command_prints_a_working_key(organisation, admin_user, capsys):
    call_command("create_api_token", organisation="hydro", name="curl", scopes=["people:read"])

    key = capsys.readouterr().out.strip()
    client = client_with(key)
    assert client.get("/api/v1/people/").status_code == 200
    assert client.get("/api/v1/programs/").status_code == 403


def test_the_command_needs_an_admin_of_the_organisation(organisation):
    with pytest.raises(CommandError):
        call_command("create_api_token", organisation="hydro", name="curl")
