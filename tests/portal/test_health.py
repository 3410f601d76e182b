import pytest
from django.db import connection
from django.urls import reverse


@pytest.mark.django_db
def test_health_is_ok_when_database_and_broker_answer(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up", "broker": "up"}


@pytest.mark.django_db
def test_health_is_503_when_broker_is_down_and_names_no_exception(client, settings, caplog):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "up", "broker": "down"}
    assert "Error" not in response.content.decode()
    # The detail is for the operators, in the log.
    assert "broker does not answer" in caplog.text
    assert "Error" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_health_is_503_when_database_is_down_and_names_no_exception(client, monkeypatch):
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    try:
        response = client.get(reverse("health"))
    finally:
        connection.close()
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert "OperationalError" not in response.content.decode()


@pytest.mark.django_db
def test_liveness_answers_without_asking_the_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert client.get(reverse("health")).status_code == 503
    response = client.get(reverse("health"), {"live": ""})
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
