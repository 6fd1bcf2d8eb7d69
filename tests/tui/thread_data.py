"""The fixed thread that the thread-side pilot and snapshot tests show."""

from __future__ import annotations

from datetime import timedelta

from sfterm.core.models import AttachmentKind, AttachmentOut, DeliveryStatus, Direction
from tests.support.clock import START, FakeClock
from tests.tui.fakes import FakeClient, request

THREAD_ID = 1


def seeded_client(clock: FakeClock | None = None) -> FakeClient:
    """A thread with a customer: a card, a conversation, an attachment clicked, a failure."""
    clock = clock or FakeClock()
    client = FakeClient(clock)
    client.add_thread(THREAD_ID)
    at = START - timedelta(days=1, hours=3)
    client.add_message(THREAD_ID, "Hi! Do you still have the green coat in size M?", at=at)
    client.add_card(THREAD_ID, request(), at=at + timedelta(minutes=5))
    client.add_message(
        THREAD_ID,
        "Yes, we have two left in M. Would you like me to hold one for you?",
        direction=Direction.OUTBOUND,
        status=DeliveryStatus.DELIVERED,
        at=at + timedelta(minutes=7),
        attachments=[
            AttachmentOut(
                kind=AttachmentKind.PRODUCT,
                title="Green wool coat",
                url="https://s.example/a1",
                target_url="https://shop.example/p/green-wool-coat",
                price="$189.00",
                clicks=2,
            )
        ],
    )
    client.add_message(
        THREAD_ID,
        "Please! [bold]Saturday[/] works \x1b[2J for me.\nI'll come around 10.",
        at=START - timedelta(minutes=50),
    )
    client.add_message(
        THREAD_ID,
        "Perfect, it's on hold under your name until Saturday evening.",
        direction=Direction.OUTBOUND,
        status=DeliveryStatus.FAILED,
        error_code=30003,
        error_message="Unreachable destination handset",
        at=START - timedelta(minutes=20),
    )
    client.add_message(
        THREAD_ID,
        "See you then!",
        direction=Direction.OUTBOUND,
        status=DeliveryStatus.SENT,
        at=START - timedelta(minutes=5),
    )
    return client
