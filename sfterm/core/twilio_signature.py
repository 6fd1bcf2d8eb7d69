"""Twilio's ``X-Twilio-Signature``: computing and checking the HMAC that signs a webhook.

The signed text is the full URL as called, followed by every POST parameter sorted by name, each
written as its name then its value with nothing between. A parameter given several times (such as
``MediaUrl``) contributes each of its distinct values in sorted order, as Twilio's own helper
libraries do. The text is signed with HMAC-SHA1 keyed with the account's AuthToken and encoded in
base64.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

Params = Mapping[str, str | Sequence[str]]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _values(value: str | Sequence[str]) -> list[str]:
    if isinstance(value, str):
        return [value]
    return sorted(set(value))


def signed_text(url: str, params: Params) -> str:
    """The text that Twilio signs for a request to ``url`` with ``params``."""
    parts = [url]
    for name in sorted(params):
        for value in _values(params[name]):
            parts.append(name + value)
    return "".join(parts)


def compute_signature(auth_token: str, url: str, params: Params) -> str:
    """The ``X-Twilio-Signature`` value for a request to ``url`` with POST ``params``."""
    text = signed_text(url, params)
    digest = hmac.new(auth_token.encode(), text.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _port_variants(url: str) -> list[str]:
    """``url`` as given, plus the same URL with its default port added or removed.

    Proxies and frameworks often report the URL with or without an explicit default port;
    Twilio's helper libraries accept either spelling.
    """
    variants = [url]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return variants
    default = _DEFAULT_PORTS.get(parts.scheme)
    if default is None or parts.hostname is None:
        return variants
    userinfo = parts.netloc.rpartition("@")[0]
    host = parts.netloc.rpartition("@")[2]
    if port is None:
        netloc = f"{host}:{default}"
    elif port == default:
        netloc = host.rsplit(":", 1)[0]
    else:
        return variants
    if userinfo:
        netloc = f"{userinfo}@{netloc}"
    variants.append(urlunsplit(parts._replace(netloc=netloc)))
    return variants


def validate_signature(auth_token: str, url: str, params: Params, signature: str | None) -> bool:
    """Whether ``signature`` signs a request to ``url`` with ``params``; constant-time compare."""
    if not signature:
        return False
    expected = signature.encode()
    valid = False
    for candidate in _port_variants(url):
        computed = compute_signature(auth_token, candidate, params).encode()
        valid |= hmac.compare_digest(computed, expected)
    return valid
