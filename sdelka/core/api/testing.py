"""Helpers for the API tests of every app (imported by ``sdelka/*/tests/test_api_*.py`` only)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def list_ids(response) -> list[int]:
    """The ids of a paginated list response, in order."""
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def queries_of_get(client, url: str) -> int:
    """How many SQL queries one GET costs (the response must be 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)
