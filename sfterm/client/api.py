"""Typed async calls to the backend over httpx, one method per endpoint of the contract."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from sfterm.client.errors import ApiError, Unreachable
from sfterm.client.http_client import HttpClient
from sfterm.core.models import (
    AttachmentIn,
    ContactCreate,
    ContactOut,
    ContactPatch,
    ContactPhoneIn,
    EmailOut,
    EmailReply,
    KpiReport,
    Me,
    MessageOut,
    MessageSend,
    Page,
    Product,
    ReplyResult,
    RequestOut,
    RequestStatus,
    RequestSubmission,
    SubmissionReceipt,
    ThreadOut,
)

M = TypeVar("M", bound=BaseModel)

__all__ = ["ApiError", "SftermClient", "Unreachable"]


def _params(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _iso(value: date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


class SftermClient(HttpClient):
    """One associate's connection to the backend. `transport` lets tests talk to an ASGI app."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        super().__init__(base_url, headers=headers, transport=transport, timeout=timeout)
        self.token = token

    def unreachable(self, message: str) -> Exception:
        return Unreachable(message)

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        response = await self._send(method, path, params=params, json=json, headers=headers)
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {"message": response.text or f"HTTP {response.status_code}"}
            if not isinstance(body, Mapping):
                body = {"message": str(body)}
            raise ApiError(response.status_code, body)
        return response.json() if response.content else None

    async def _get(self, model: type[M], path: str, **params: Any) -> M:
        return model.model_validate(await self._call("GET", path, params=_params(**params)))

    async def _post(self, model: type[M], path: str, body: Any = None, **kw: Any) -> M:
        return model.model_validate(await self._call("POST", path, json=body, **kw))

    # ---- public -------------------------------------------------------------------------------

    async def submit_request(
        self, form: RequestSubmission | Mapping[str, Any]
    ) -> SubmissionReceipt:
        body = form.model_dump(mode="json") if isinstance(form, BaseModel) else dict(form)
        return await self._post(SubmissionReceipt, "/api/v1/public/requests", body)

    # ---- me, leads, requests ------------------------------------------------------------------

    async def me(self) -> Me:
        return await self._get(Me, "/api/v1/me")

    async def leads(
        self, *, before: int | None = None, limit: int = 50, q: str | None = None
    ) -> Page[RequestOut]:
        """The store's New Leads, newest first; with `q`, those matching it."""
        return await self._get(Page[RequestOut], "/api/v1/leads", before=before, limit=limit, q=q)

    async def accept_lead(self, lead_id: int) -> RequestOut:
        return await self._post(RequestOut, f"/api/v1/leads/{lead_id}/accept")

    async def requests(
        self,
        *,
        status: RequestStatus | str | None = None,
        before: int | None = None,
        limit: int = 50,
        q: str | None = None,
    ) -> Page[RequestOut]:
        """The associate's Customer Requests, newest first; with `q`, those matching it."""
        return await self._get(
            Page[RequestOut],
            "/api/v1/requests",
            status=status,
            before=before,
            limit=limit,
            q=q,
        )

    async def request(self, request_id: int) -> RequestOut:
        return await self._get(RequestOut, f"/api/v1/requests/{request_id}")

    async def resolve(self, request_id: int) -> RequestOut:
        return await self._post(RequestOut, f"/api/v1/requests/{request_id}/resolve")

    async def reopen(self, request_id: int) -> RequestOut:
        return await self._post(RequestOut, f"/api/v1/requests/{request_id}/reopen")

    async def reply(self, request_id: int, thread: str) -> ReplyResult:
        return await self._post(
            ReplyResult, f"/api/v1/requests/{request_id}/reply", {"thread": thread}
        )

    # ---- threads and messages -----------------------------------------------------------------

    async def threads(
        self, *, before: int | str | None = None, limit: int = 50, phone: str | None = None
    ) -> Page[ThreadOut]:
        """The associate's threads, most recent activity first; with `phone`, only that number's."""
        return await self._get(
            Page[ThreadOut], "/api/v1/threads", before=before, limit=limit, phone=phone
        )

    async def open_thread(self, phone: str) -> ThreadOut:
        return await self._post(ThreadOut, "/api/v1/threads", {"phone": phone})

    async def thread(self, thread_id: int) -> ThreadOut:
        return await self._get(ThreadOut, f"/api/v1/threads/{thread_id}")

    async def messages(
        self, thread_id: int, *, before: int | None = None, limit: int = 50
    ) -> Page[MessageOut]:
        return await self._get(
            Page[MessageOut], f"/api/v1/threads/{thread_id}/messages", before=before, limit=limit
        )

    async def send_message(
        self,
        thread_id: int,
        body: str,
        attachments: Sequence[AttachmentIn] = (),
        *,
        idempotency_key: str | None = None,
    ) -> MessageOut:
        """Send a text; the same `idempotency_key` twice sends one text (a retry is safe)."""
        payload = MessageSend(body=body, attachments=list(attachments)).model_dump(mode="json")
        key = idempotency_key or uuid.uuid4().hex
        return await self._post(
            MessageOut,
            f"/api/v1/threads/{thread_id}/messages",
            payload,
            headers={"Idempotency-Key": key},
        )

    async def mark_read(self, thread_id: int) -> ThreadOut:
        return await self._post(ThreadOut, f"/api/v1/threads/{thread_id}/read")

    async def products(self, q: str | None = None) -> list[Product]:
        data = await self._call("GET", "/api/v1/products", params=_params(q=q))
        return TypeAdapter(list[Product]).validate_python(data)

    # ---- contacts -----------------------------------------------------------------------------

    async def contacts(
        self,
        *,
        q: str | None = None,
        phone: str | None = None,
        before: int | str | None = None,
        limit: int = 50,
    ) -> Page[ContactOut]:
        return await self._get(
            Page[ContactOut], "/api/v1/contacts", q=q, phone=phone, before=before, limit=limit
        )

    async def contact(self, contact_id: int) -> ContactOut:
        return await self._get(ContactOut, f"/api/v1/contacts/{contact_id}")

    async def create_contact(self, contact: ContactCreate) -> ContactOut:
        return await self._post(ContactOut, "/api/v1/contacts", contact.model_dump(mode="json"))

    async def update_contact(self, contact_id: int, patch: ContactPatch) -> ContactOut:
        data = await self._call(
            "PATCH",
            f"/api/v1/contacts/{contact_id}",
            json=patch.model_dump(mode="json", exclude_unset=True),
        )
        return ContactOut.model_validate(data)

    async def add_contact_phone(self, contact_id: int, phone: ContactPhoneIn) -> ContactOut:
        return await self._post(
            ContactOut, f"/api/v1/contacts/{contact_id}/phones", phone.model_dump(mode="json")
        )

    async def remove_contact_phone(self, contact_id: int, phone_id: int) -> ContactOut:
        """Take a number off a contact; answers the contact as the backend now has it."""
        data = await self._call("DELETE", f"/api/v1/contacts/{contact_id}/phones/{phone_id}")
        return ContactOut.model_validate(data)

    # ---- KPIs ---------------------------------------------------------------------------------

    async def kpis(
        self,
        *,
        period: str | None = None,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
        scope: str | None = None,
        overnight: str | None = None,
    ) -> KpiReport:
        """The KPI report: `period` (today, 7d, 30d) or `from_date`..`to_date` (store-local,
        inclusive); `scope` associate, store or retailer; `overnight` include or exclude."""
        params = _params(
            period=period,
            scope=scope,
            overnight=overnight,
            **{"from": _iso(from_date), "to": _iso(to_date)},
        )
        return KpiReport.model_validate(await self._call("GET", "/api/v1/kpis", params=params))

    # ---- email replies ------------------------------------------------------------------------

    async def send_email(self, request_id: int, subject: str, body: str) -> EmailOut:
        """Answer an email request (the server keeps it in its simulated outbox)."""
        reply = EmailReply(subject=subject, body=body).model_dump(mode="json")
        return await self._post(EmailOut, f"/api/v1/requests/{request_id}/email", reply)

    async def emails(self, request_id: int) -> list[EmailOut]:
        data = await self._call("GET", f"/api/v1/requests/{request_id}/emails")
        return TypeAdapter(list[EmailOut]).validate_python(data)
