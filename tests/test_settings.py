"""Configuration from the environment: safe defaults, and nothing an operator mistypes gets in."""

from __future__ import annotations

from pathlib import Path

import pytest

from webapp.settings import DEFAULT_EXIT_URLS, Settings


def test_defaults_are_safe() -> None:
    settings = Settings.from_env({})
    assert settings.exit_urls == DEFAULT_EXIT_URLS
    assert not settings.access_log and not settings.hsts
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.reach_db is None


def test_values_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "TRYGG_BASE_URL": "https://trygg.vanersborg.se/",
            "TRYGG_EXIT_URLS": "https://a.example/, https://b.example/x",
            "TRYGG_ALLOWED_HOSTS": "trygg.vanersborg.se",
            "TRYGG_HSTS": "1",
            "TRYGG_ACCESS_LOG": "yes",
            "TRYGG_CONTACT_EMAIL": "webb@example.se",
            "TRYGG_LOCALES_DIR": "/tmp/x",
            "TRYGG_REACH_DB": "/var/lib/trygg-sida/reach.db",
        }
    )
    assert settings.base_url == "https://trygg.vanersborg.se"
    assert settings.exit_urls == ("https://a.example/", "https://b.example/x")
    assert settings.allowed_hosts == ("trygg.vanersborg.se",)
    assert settings.hsts and settings.access_log
    assert settings.contact_email == "webb@example.se"
    assert settings.locales_dir == Path("/tmp/x")
    assert settings.reach_db == Path("/var/lib/trygg-sida/reach.db")


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "data:text/html,x", "www.example.se", "ftp://x", '"><x'])
def test_exit_urls_must_be_web_addresses(bad: str, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings.from_env({"TRYGG_EXIT_URLS": f"{bad} https://ok.example/"})
    assert settings.exit_urls == ("https://ok.example/",)
    assert "left out" in caplog.text
    assert Settings.from_env({"TRYGG_EXIT_URLS": bad}).exit_urls == DEFAULT_EXIT_URLS
