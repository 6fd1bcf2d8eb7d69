"""`sfterm phone`: a handset's texts shown literally and live, and a line that texts the store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from sfterm.client.handset import HandsetClient, HandsetText
from sfterm.gateway.app import create_gateway_app, gateway_state
from sfterm.gateway.config import DeliveryDelays, GatewayConfig
from sfterm.tui.phone.app import PhoneApp

ACCOUNT = "AC" + "7" * 32
TOKEN = "phone-token"
GATEWAY = "http://gateway.test"
STORE = "+15145550100"
RELAY = "+15145550111"
HANDSET = "+15145550120"


class QueueFollower:
    """The handset stream, fed by the test."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[HandsetText] = asyncio.Queue()

    async def __call__(self, phone: str, after: int) -> AsyncIterator[HandsetText]:
        while True:
            yield await self.queue.get()


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.ASGITransport]:
    hooks = httpx.MockTransport(lambda request: httpx.Response(200))
    app = create_gateway_app(
        GatewayConfig(
            account_sid=ACCOUNT,
            auth_token=TOKEN,
            delays=DeliveryDelays.none(),
            seed=1,
            webhook_transport=hooks,
        )
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=GATEWAY, auth=(ACCOUNT, TOKEN)
    ) as api:
        for number in (STORE, RELAY):
            answer = await api.post(
                f"/2010-04-01/Accounts/{ACCOUNT}/IncomingPhoneNumbers.json",
                data={"PhoneNumber": number, "SmsUrl": "http://backend.test/sms"},
            )
            assert answer.status_code == 201, answer.text
    transport.app_state = app  # type: ignore[attr-defined]
    yield transport
    await gateway_state(app).wait_idle()


def _shown(app: PhoneApp) -> str:
    log = app.query_one("#texts")
    return "\n".join("".join(seg.text for seg in strip) for strip in log.lines)  # type: ignore[attr-defined]


def _incoming(index: int, number: str, body: str) -> HandsetText:
    from datetime import UTC, datetime

    return HandsetText(
        index=index,
        sid=f"SM{index:032x}",
        direction="incoming",
        number=number,
        body=body,
        media_urls=(),
        status="delivered",
        date=datetime(2026, 11, 2, 15, 0, tzinfo=UTC),
    )


async def test_typing_a_line_texts_the_chosen_number(gateway: httpx.ASGITransport) -> None:
    follower = QueueFollower()
    client = HandsetClient(GATEWAY, transport=gateway)
    app = PhoneApp(client, HANDSET, follow=follower)
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.numbers:
            await pilot.pause()
        assert app.target == STORE
        await pilot.press(*"Bonjour [bold]!")
        await pilot.press("enter")
        state = gateway_state(gateway.app_state)  # type: ignore[attr-defined]
        while not state.handset_log(HANDSET):
            await pilot.pause()
        for entry in await client.messages(HANDSET):
            follower.queue.put_nowait(entry)
        while not app.entries:
            await pilot.pause()
        await pilot.pause()
        sent = state.handset_log(HANDSET)[0]
        assert (sent.direction, sent.number, sent.body) == ("outgoing", STORE, "Bonjour [bold]!")
        assert "→ to (514) 555-0100" in _shown(app)
        assert "Bonjour [bold]!" in _shown(app)
    await client.aclose()


async def test_a_text_that_arrives_is_shown_literally_and_becomes_the_one_to_answer(
    gateway: httpx.ASGITransport,
) -> None:
    follower = QueueFollower()
    client = HandsetClient(GATEWAY, transport=gateway)
    app = PhoneApp(client, HANDSET, follow=follower)
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.numbers:
            await pilot.pause()
        follower.queue.put_nowait(_incoming(0, RELAY, "Hi [red]Zoé[/red] \x1b[2J, when?"))
        while not app.entries:
            await pilot.pause()
        await pilot.pause()
        shown = _shown(app)
        assert "← from (514) 555-0111" in shown
        assert "Hi [red]Zoé[/red] ␛[2J, when?" in shown
        assert app.target == RELAY
    await client.aclose()


async def test_a_key_picks_another_number(gateway: httpx.ASGITransport) -> None:
    follower = QueueFollower()
    client = HandsetClient(GATEWAY, transport=gateway)
    app = PhoneApp(client, HANDSET, follow=follower)
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.numbers:
            await pilot.pause()
        assert app.target == STORE
        await pilot.press("f2")
        assert app.target == RELAY
        await pilot.press("alt+n")
        assert app.target == STORE
        await pilot.press("alt+p")
        assert app.target == RELAY
        follower.queue.put_nowait(_incoming(0, STORE, "Store here"))
        while not app.entries:
            await pilot.pause()
        assert app.target == RELAY  # chosen by hand: an incoming text does not move it
    await client.aclose()


async def test_a_refused_text_is_reported(gateway: httpx.ASGITransport) -> None:
    client = HandsetClient(GATEWAY, transport=gateway)
    app = PhoneApp(client, HANDSET, follow=QueueFollower())
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.numbers:
            await pilot.pause()
        app.target = "+15145550177"  # not registered on the gateway
        await pilot.press(*"hello", "enter")
        while not app._notifications:  # type: ignore[attr-defined]
            await pilot.pause()
        notes = [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]
        assert any("not a registered number" in n for n in notes), notes
    await client.aclose()
