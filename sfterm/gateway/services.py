"""The parts of one running gateway, bundled so routes can reach them from the request."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from sfterm.gateway.config import GatewayConfig
from sfterm.gateway.delivery import OutboundDelivery
from sfterm.gateway.inbound import InboundMessages
from sfterm.gateway.store import GatewayState
from sfterm.gateway.webhooks import WebhookSender


@dataclass
class GatewayServices:
    """State, webhook sender, outbound delivery and inbound handling of one gateway."""

    state: GatewayState
    webhooks: WebhookSender
    outbound: OutboundDelivery
    inbound: InboundMessages

    @classmethod
    def build(cls, config: GatewayConfig) -> GatewayServices:
        state = GatewayState(config)
        webhooks = WebhookSender(state)
        outbound = OutboundDelivery(state, webhooks)
        return cls(state, webhooks, outbound, InboundMessages(state, webhooks, outbound))


def services(request: Request) -> GatewayServices:
    """FastAPI dependency: the gateway serving this request."""
    found: GatewayServices = request.app.state.services
    return found
