"""The API tests check that every answer they meet is documented in /openapi.json."""

from tests.documented import answers_are_documented  # noqa: F401 - an autouse fixture
