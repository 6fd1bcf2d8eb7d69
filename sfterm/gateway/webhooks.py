"""Calling a customer's webhook as Twilio does: form-encoded, signed, retried once on failure."""

from __future__ import annotations

import logging

import httpx

from sfterm.core.twilio_signature import compute_signature
from sfterm.gateway.records import WebhookAttempt
from sfterm.gateway.store import GatewayState

log = logging.getLogger(__name__)

USER_AGENT = "TwilioProxy/1.1"
ATTEMPTS = 2
"""The first call and one retry after a connection error, a timeout or a 5xx answer."""


class WebhookSender:
    """Makes signed webhook requests and records each attempt on the caller's list."""

    def __init__(self, state: GatewayState) -> None:
        self._state = state
        self._http: httpx.AsyncClient | None = None

    def _client(self) -> httpx.AsyncClient:
        if self._http is None or self._http.is_closed:
            self._http = httpx.AsyncClient(
                transport=self._state.config.webhook_transport,
                timeout=self._state.config.webhook_timeout,
                follow_redirects=False,
                headers={"User-Agent": USER_AGENT},
            )
        return self._http

    async def aclose(self) -> None:
        """Close the connection pool (the next webhook opens a new one)."""
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def _prepare(self, url: str, method: str, params: dict[str, str]) -> tuple[str, str]:
        """The URL to call and its signature (GET carries the parameters in the query)."""
        token = self._state.config.auth_token
        if method == "GET":
            full = str(httpx.URL(url).copy_merge_params(params))
            return full, compute_signature(token, full, {})
        return url, compute_signature(token, url, params)

    async def send(
        self, url: str, method: str, params: dict[str, str], attempts: list[WebhookAttempt]
    ) -> httpx.Response | None:
        """Call ``url``; the successful (or last non-retryable) response, or None if none came."""
        method = method.upper()
        call_url, signature = self._prepare(url, method, params)
        headers = {"X-Twilio-Signature": signature}
        for number in range(1, ATTEMPTS + 1):
            attempt = WebhookAttempt(
                url=call_url,
                method=method,
                params=dict(params),
                signature=signature,
                attempt=number,
                at=self._state.now(),
            )
            attempts.append(attempt)
            try:
                if method == "GET":
                    response = await self._client().get(call_url, headers=headers)
                else:
                    response = await self._client().post(call_url, data=params, headers=headers)
            except Exception as error:  # any failure to get an answer counts as unreachable
                attempt.error = f"{type(error).__name__}: {error}" if str(error) else repr(error)
                log.info("webhook %s %s failed: %s", method, call_url, attempt.error)
                continue
            attempt.status_code = response.status_code
            if response.status_code < 500:
                return response
            log.info("webhook %s %s answered %s", method, call_url, response.status_code)
        return None
