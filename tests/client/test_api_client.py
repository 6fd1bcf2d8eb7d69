"""The API client's connection settings."""

from __future__ import annotations

from sfterm.client.http_client import tls_verify


def test_certificates_are_checked_on_https_and_not_loaded_for_plain_http() -> None:
    assert tls_verify("https://sfterm.example.com") is True
    assert tls_verify("HTTPS://sfterm.example.com") is True
    assert tls_verify("http://127.0.0.1:8765") is False
    assert tls_verify("HTTP://127.0.0.1:8765") is False
