"""GET /health/ tells operators that the application server answers."""

import pytest


@pytest.mark.django_db
def test_health_answers_ok_in_plain_text_without_touching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_health_refuses_writes(client):
    assert client.post("/health/").status_code == 405
