import pytest
from django.db import connection
from django.urls import reverse


@pytest.mark.django_db
def test_health_is_ok_when_database_and_broker_answer(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_health_is_503_when_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_health_is_503_when_database_is_down(client, monkeypatch):
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    try:
        response = client.get(reverse("health"))
    finally:
        connection.close()
    assert response.status_code == 503
    assert response.json()["database"] == "OperationalError"
