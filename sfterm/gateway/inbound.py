"""A handset texts a registered number: record it, forward it to the SmsUrl, answer keywords.

The text is kept as an ``inbound`` message with status ``received`` and forwarded, signed, to
the number's SmsUrl whatever it says. Opt-out keywords (see :mod:`sfterm.core.sms`) then change
the handset's subscription to that number and get Twilio's default reply, which the carrier
sends itself (it shows in the handset's log and never goes through the customer's webhook). A
webhook that answers with TwiML ``<Message>`` elements has those replies sent back.
"""

from __future__ import annotations

import mimetypes

from sfterm.core.sms import Keyword, classify_keyword
from sfterm.gateway.delivery import OutboundDelivery
from sfterm.gateway.phones import region_of
from sfterm.gateway.records import MessageRecord, NumberRecord
from sfterm.gateway.store import GatewayState
from sfterm.gateway.twiml import reply_messages
from sfterm.gateway.webhooks import WebhookSender
from sfterm.gateway.wire import API_VERSION

STOP_REPLY = (
    "You have successfully been unsubscribed. You will not receive any more messages from this "
    "number. Reply START to resubscribe."
)
START_REPLY = (
    "You have successfully been re-subscribed to messages from this number. Reply HELP for "
    "help. Reply STOP to unsubscribe. Msg&Data Rates May Apply."
)
HELP_REPLY = "Reply STOP to unsubscribe. Msg&Data Rates May Apply."

KEYWORD_REPLIES: dict[Keyword, str] = {
    "stop": STOP_REPLY,
    "start": START_REPLY,
    "help": HELP_REPLY,
}


def media_content_type(url: str) -> str:
    """The content type a media URL most likely has (by its extension)."""
    guessed, _ = mimetypes.guess_type(url.split("?", 1)[0])
    return guessed or "application/octet-stream"


def webhook_params(record: MessageRecord) -> dict[str, str]:
    """The form Twilio posts to a number's SmsUrl for an incoming text."""
    params = {
        "AccountSid": record.account_sid,
        "ApiVersion": API_VERSION,
        "Body": record.body,
        "From": record.from_,
        "FromCountry": region_of(record.from_) or "",
        "MessageSid": record.sid,
        "NumMedia": str(len(record.media_urls)),
        "NumSegments": str(record.num_segments),
        "SmsMessageSid": record.sid,
        "SmsSid": record.sid,
        "SmsStatus": "received",
        "To": record.to,
        "ToCountry": region_of(record.to) or "",
    }
    for index, url in enumerate(record.media_urls):
        params[f"MediaUrl{index}"] = url
        params[f"MediaContentType{index}"] = media_content_type(url)
    return params


class InboundMessages:
    """Takes texts from handsets and hands them to the numbers' webhooks."""

    def __init__(
        self, state: GatewayState, webhooks: WebhookSender, outbound: OutboundDelivery
    ) -> None:
        self._state = state
        self._webhooks = webhooks
        self._outbound = outbound

    def receive(
        self, handset: str, number: NumberRecord, body: str, media_urls: list[str]
    ) -> MessageRecord:
        """Record a text from ``handset`` to ``number`` and start forwarding it."""
        state = self._state
        record = self._outbound.new_message(
            to=number.phone_number,
            from_=handset,
            body=body,
            media_urls=media_urls,
            status_callback=None,
            direction="inbound",
            status="received",
        )
        record.date_sent = record.date_created
        state.append_to_handset(handset, record)
        keyword = classify_keyword(body)
        pair = (handset, number.phone_number)
        if keyword == "stop":
            state.opt_outs.add(pair)
        elif keyword == "start":
            state.opt_outs.discard(pair)
        state.spawn(self._forward(record, number))
        if keyword is not None:
            reply = self._outbound.new_message(
                to=handset,
                from_=number.phone_number,
                body=KEYWORD_REPLIES[keyword],
                media_urls=[],
                status_callback=None,
                direction="outbound-reply",
            )
            self._outbound.deliver_now(reply)
        return record

    async def _forward(self, record: MessageRecord, number: NumberRecord) -> None:
        if not number.sms_url:
            return
        response = await self._webhooks.send(
            number.sms_url, number.sms_method, webhook_params(record), record.webhook_attempts
        )
        if response is None or not response.is_success:
            return
        replies = reply_messages(response.headers.get("content-type", ""), response.text)
        for reply in replies:
            if self._state.is_opted_out(record.from_, number.phone_number):
                break
            message = self._outbound.new_message(
                to=record.from_,
                from_=number.phone_number,
                body=reply.body,
                media_urls=list(reply.media_urls),
                status_callback=None,
                direction="outbound-reply",
            )
            self._outbound.send(message)
