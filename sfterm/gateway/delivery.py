"""The life of an outbound message: queued → sending → sent → delivered, with status callbacks.

Each step after ``queued`` waits its configured delay, updates the message and, when the message
has a ``StatusCallback``, posts a signed status callback before the next step. A failing handset
(see :mod:`sfterm.gateway.carrier`) ends in ``failed`` or ``undelivered`` right after
``sending``. A delivered text is written into the receiving handset's log.
"""

from __future__ import annotations

import asyncio

from sfterm.core.sms import segment_info
from sfterm.gateway.carrier import delivery_failure
from sfterm.gateway.records import Direction, MessageRecord, MessageStatus
from sfterm.gateway.store import GatewayState
from sfterm.gateway.webhooks import WebhookSender
from sfterm.gateway.wire import API_VERSION

PRICE_PER_SEGMENT = 0.0079
"""What the simulated carrier bills per segment, in USD (Twilio writes it negative)."""


class OutboundDelivery:
    """Creates outbound messages and walks them through their statuses in the background."""

    def __init__(self, state: GatewayState, webhooks: WebhookSender) -> None:
        self._state = state
        self._webhooks = webhooks

    def new_message(
        self,
        *,
        to: str,
        from_: str,
        body: str,
        media_urls: list[str],
        status_callback: str | None,
        direction: Direction = "outbound-api",
        status: MessageStatus = "queued",
    ) -> MessageRecord:
        """Record a new outbound message (not yet on its way)."""
        state = self._state
        now = state.now()
        record = MessageRecord(
            sid=state.new_sid("MM" if media_urls else "SM"),
            account_sid=state.config.account_sid,
            to=to,
            from_=from_,
            body=body,
            direction=direction,
            status=status,
            num_segments=segment_info(body).segments,
            date_created=now,
            date_updated=now,
            media_urls=list(media_urls),
            status_callback=status_callback,
        )
        state.messages[record.sid] = record
        return record

    def send(self, record: MessageRecord) -> None:
        """Start walking a queued message through its statuses."""
        self._state.spawn(self._deliver(record), message_sid=record.sid)

    def deliver_now(self, record: MessageRecord) -> None:
        """Mark a message delivered at once (the carrier's own replies) and log it."""
        now = self._state.now()
        record.status = "delivered"
        record.date_sent = record.date_updated = now
        record.price = self._price(record)
        self._state.append_to_handset(record.to, record)

    def cancel(self, record: MessageRecord) -> None:
        """Cancel a queued message: its delivery stops and its callback says ``canceled``."""
        self._state.cancel_delivery(record.sid)
        self._set_status(record, "canceled")
        self._state.spawn(self._status_callback(record))

    def _set_status(self, record: MessageRecord, status: MessageStatus) -> None:
        record.status = status
        record.date_updated = self._state.now()

    @staticmethod
    def _price(record: MessageRecord) -> str:
        return f"{-PRICE_PER_SEGMENT * record.num_segments:.5f}"

    async def _deliver(self, record: MessageRecord) -> None:
        delays = self._state.config.delays
        await asyncio.sleep(delays.sending)
        self._set_status(record, "sending")
        await self._status_callback(record)

        await asyncio.sleep(delays.sent)
        failure = delivery_failure(record.to)
        if failure is not None:
            self._set_status(record, failure.status)
            record.error_code = failure.error_code
            record.error_message = failure.error_message
            await self._status_callback(record)
            return
        self._set_status(record, "sent")
        record.date_sent = record.date_updated
        record.price = self._price(record)
        await self._status_callback(record)

        await asyncio.sleep(delays.delivered)
        self._set_status(record, "delivered")
        self._state.append_to_handset(record.to, record)
        await self._status_callback(record)

    async def _status_callback(self, record: MessageRecord) -> None:
        if not record.status_callback:
            return
        params = {
            "AccountSid": record.account_sid,
            "ApiVersion": API_VERSION,
            "From": record.from_,
            "MessageSid": record.sid,
            "MessageStatus": record.status,
            "SmsSid": record.sid,
            "SmsStatus": record.status,
            "To": record.to,
        }
        if record.error_code is not None:
            params["ErrorCode"] = str(record.error_code)
        await self._webhooks.send(record.status_callback, "POST", params, record.webhook_attempts)
