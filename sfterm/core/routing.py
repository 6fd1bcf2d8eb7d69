"""Which folder a customer's request lands in, by source and retailer mode (DOMAIN.md's table)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Mode(StrEnum):
    REP = "rep"
    TEAM = "team"


class Source(StrEnum):
    CONNECT_WIDGET = "connect_widget"
    STOREFRONT = "storefront"
    FOOTER = "footer"


class Folder(StrEnum):
    NEW_LEADS = "new_leads"
    CUSTOMER_REQUESTS = "customer_requests"


@dataclass(frozen=True)
class Route:
    """Where a request goes: a folder, and whether one associate owns it (else store or team)."""

    folder: Folder
    to_associate: bool


def route_request(source: Source, mode: Mode) -> Route:
    """Apply the routing table.

    | source         | rep mode                         | team mode                    |
    | connect_widget | store's New Leads                | store team's Customer Requests |
    | storefront     | that associate's Customer Req.   | store team's Customer Requests |
    | footer         | that associate's Customer Req.   | store team's Customer Requests |
    """
    if mode is Mode.TEAM:
        return Route(Folder.CUSTOMER_REQUESTS, to_associate=False)
    if source is Source.CONNECT_WIDGET:
        return Route(Folder.NEW_LEADS, to_associate=False)
    return Route(Folder.CUSTOMER_REQUESTS, to_associate=True)


def needs_associate(source: Source) -> bool:
    """Storefront and Footer requests come from one associate's page, so they name the associate."""
    return source is not Source.CONNECT_WIDGET
