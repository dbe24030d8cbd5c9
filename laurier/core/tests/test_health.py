"""GET /health/ tells operators that the application server answers."""


def test_health_answers_ok_in_plain_text_without_touching_the_database(client):
    # No django_db mark: a query would fail the test.
    response = client.get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_health_refuses_writes(client):
    assert client.post("/health/").status_code == 405
