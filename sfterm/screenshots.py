"""SVG screenshots of every screen and modal, from the demo shop at a fixed moment.

A composition root like `sfterm.runner`: it puts the backend, the simulated gateway, the demo
seed and the TUI together in one process. The backend runs in a temporary directory with the
demo seed and its history written for a fixed clock and seed; the gateway is mounted with no
delivery delays; the app talks to both through `httpx.ASGITransport`. Each shot starts the app
headless, presses keys as a person would, and writes what the terminal shows. The same code
gives byte-identical files on every run.

To add a picture, add one `Shot` to `SHOTS`.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import random
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from sfterm.client.api import SftermClient
from sfterm.client.handset import HandsetClient, HandsetText
from sfterm.client.link import Link, LinkState
from sfterm.config import ServerSettings
from sfterm.core.models import (
    AttachmentIn,
    AttachmentKind,
    Channel,
    Event,
    Kind,
    RequestOut,
    RequestSubmission,
)
from sfterm.core.routing import Folder, Source
from sfterm.demo.run import seed_world
from sfterm.demo.seed import ASSOCIATES, DEFAULT_HANDLE
from sfterm.server.app import create_app

NOW = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
"""The moment every picture shows: a Monday, 13:00 in Montréal."""
SEED = 6
SIZE = (120, 36)
BASE = "http://sfterm.demo"
TIMEZONE = "America/Toronto"
"""The demo stores' zone; the phone view shows times in the machine's zone, so it is set."""
ACCOUNT_SID = "AC" + "5c" * 16
AUTH_TOKEN = "screenshots"
MAX_STEPS = 300
"""A `Until` step gives up after this many key presses."""


# ---- what a shot is ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Until:
    """Press `key` until the main list's highlighted row passes `test` (a person scanning)."""

    key: str
    test: Callable[[Any], bool]


@dataclass(frozen=True)
class Type:
    """Type `text` into whatever has the focus."""

    text: str

    @property
    def keys(self) -> tuple[str, ...]:
        names = {" ": "space", "?": "question_mark", "/": "slash", ",": "comma", ".": "full_stop"}
        return tuple(names.get(c, c) for c in self.text)


Step = str | Type | Until
"""A key as Textual names it (`"2"`, `"enter"`, `"alt+a"`), some typing, or an `Until`."""


@dataclass(frozen=True)
class Shot:
    """One picture: `name`.svg, what the README says under it, and the keys that lead there."""

    name: str
    caption: str
    steps: tuple[Step, ...] = ()
    needs: str | None = None
    """A module that must exist for this view (a screen being built); skipped without it."""
    phone: str | None = None
    """Shoot `sfterm phone` for this handset instead of the associate's app."""
    prepare: Callable[[World], Awaitable[None]] | None = None
    """Runs against the backend before the app starts (e.g. a customer texts)."""

    @property
    def available(self) -> bool:
        return self.needs is None or importlib.util.find_spec(self.needs) is not None


def answered_by_text(item: Any) -> bool:
    """A request answered in a thread: opening it shows the thread with its preview card."""
    return isinstance(item, RequestOut) and item.thread_id is not None


def open_text_request(item: Any) -> bool:
    """A text request in Customer Requests that has not been answered yet."""
    return (
        isinstance(item, RequestOut)
        and item.channel is Channel.TEXT
        and item.folder is Folder.CUSTOMER_REQUESTS
        and item.thread_id is None
        and bool(item.phone)
    )


def email_request(item: Any) -> bool:
    """A request in Customer Requests whose customer asked to be answered by email."""
    return (
        isinstance(item, RequestOut)
        and item.channel is Channel.EMAIL
        and item.folder is Folder.CUSTOMER_REQUESTS
    )


def shared_number(item: Any) -> bool:
    """A request whose number is on more than one contact."""
    match = getattr(item, "contact_match", None)
    return isinstance(item, RequestOut) and match is not None and match.state.value == "many"


PHONE_CUSTOMER = "+15145550120"
"""Élodie Lavoie, in Camille's book (`sfterm.demo.personas`)."""
UNREACHABLE_CUSTOMER = ("Renée Tremblay", "renee.t@example.com", "+15145550196")
"""A persona on one of the gateway's failing handsets: texts to her fail at delivery."""


async def customer_texts_camille(world: World) -> None:
    """Élodie texts Camille's relay number; Camille answers with a product from the catalogue."""
    relay = next(a.relay_number for a in ASSOCIATES if a.handle == DEFAULT_HANDLE)
    async with world.handset() as handset, world.client() as client:
        await handset.send(PHONE_CUSTOMER, relay, "Bonjour Camille! Le manteau vert est-il en M?")
        await world.idle()
        thread = (await client.threads(phone=PHONE_CUSTOMER, limit=1)).items[0]
        product = (await client.products("coat"))[0]
        await client.send_message(
            thread.id,
            "Oui Élodie, il reste un M. Je vous le garde jusqu'à samedi?",
            [AttachmentIn(kind=AttachmentKind.PRODUCT, product_id=product.id, url=None)],
            idempotency_key="screenshots-phone",
        )
        await world.idle()


async def unreachable_customer_asks(world: World) -> None:
    """Renée asks on Camille's storefront to be texted; the confirmation and Camille's text fail."""
    name, email, phone = UNREACHABLE_CUSTOMER
    async with world.client() as client:
        receipt = await client.submit_request(
            RequestSubmission(
                source=Source.STOREFRONT,
                store=None,
                associate=DEFAULT_HANDLE,
                kind=Kind.APPOINTMENT,
                name=name,
                email=email,
                phone=phone,
                channel=Channel.TEXT,
                message="Bonjour, puis-je essayer la robe portefeuille bleue samedi?",
            )
        )
        await world.idle()
        result = await client.reply(receipt.id, "new")
        await client.send_message(
            result.thread.id,
            "Bonjour Renée, c'est Camille. Samedi 11 h vous irait?",
            idempotency_key="screenshots-failed",
        )
        await world.idle()


SHOTS: tuple[Shot, ...] = (
    Shot("main", "The main screen: folders, New Leads waiting, the selected lead's detail."),
    Shot(
        "customer-requests",
        "Customer Requests, with a request's detail: who, how to answer, the contact indicator.",
        ("2", Until("j", shared_number)),
    ),
    Shot("text-messages", "Text Messages: the associate's threads, newest first.", ("3",)),
    Shot(
        "thread",
        "A thread opened from its request: the preview card, texts with their delivery marks, "
        "the composer with its character and segment counter.",
        ("2", Until("j", answered_by_text), "enter", Type("See you Saturday!")),
    ),
    Shot(
        "thread-failed",
        "A text that could not be delivered: the carrier's reason, and R to retry.",
        ("2", "enter"),
        prepare=unreachable_customer_asks,
    ),
    Shot(
        "reply-choice",
        "Replying to a text request: open the existing thread with that number, or a new one.",
        ("2", Until("j", open_text_request), "r"),
    ),
    Shot(
        "email-reply",
        "Answering an email request from the app: subject, body, and the replies already sent.",
        ("2", Until("j", email_request), "r", Type("Bonjour, the coat is waiting for you.")),
    ),
    Shot(
        "attachments",
        "The attachment picker: the catalogue searched, a product and the storefront link chosen.",
        ("3", "enter", "alt+a", Type("coat"), "enter", "alt+l"),
    ),
    Shot("help", "Help (? or F1): every key, grouped.", ("question_mark",)),
    Shot("command-palette", "The command palette (Ctrl+P): the same actions by name.", ("ctrl+p",)),
    Shot(
        "add-contact",
        "Add to Contacts for a request's number.",
        ("2", Until("j", open_text_request), "c"),
        needs="sfterm.tui.modals.add_contact",
    ),
    Shot(
        "contacts",
        "Contacts: the associate's book.",
        ("4",),
        needs="sfterm.tui.screens.contacts",
    ),
    Shot(
        "reports",
        "Reports: how fast and through which channel customers were answered.",
        ("5",),
        needs="sfterm.tui.screens.reports",
    ),
    Shot(
        "report-period",
        "Reports for days of one's own (`p`): From and To, prefilled with the days shown.",
        ("5", "p", Type("2026-10-01"), "tab", Type("10-31")),
        needs="sfterm.tui.modals.report_period",
    ),
    Shot(
        "phone",
        "`sfterm phone 514 555 0120`: the customer's handset, its texts, and a line to answer.",
        phone=PHONE_CUSTOMER,
        prepare=customer_texts_camille,
    ),
)
"""Every picture, in the README's order."""


# ---- the world: backend, gateway, demo data ---------------------------------------------------


def fixed_clock() -> datetime:
    return NOW


@dataclass
class World:
    """A seeded demo backend with its gateway, all in this process, at `NOW`."""

    app: FastAPI
    gateway: FastAPI
    tokens: dict[str, str]
    transport: httpx.ASGITransport = field(init=False)

    def __post_init__(self) -> None:
        self.transport = httpx.ASGITransport(app=self.app)

    def client(self, handle: str = DEFAULT_HANDLE) -> SftermClient:
        return SftermClient(BASE, self.tokens[handle], transport=self.transport)

    def handset(self) -> HandsetClient:
        return HandsetClient(f"{BASE}/gateway", transport=self.transport)

    async def idle(self) -> None:
        """Wait until the gateway has delivered everything and its webhooks were handled."""
        from sfterm.gateway.app import gateway_state

        await gateway_state(self.gateway).wait_idle()


@contextmanager
def fixed_link_codes(seed: int, stream: str) -> Iterator[None]:
    """Tracked links get codes from a generator seeded with `seed` and `stream` instead of
    `secrets` (customers' texts show them); each stream gives codes of its own."""
    from sfterm.server import attachments

    rng = random.Random(f"{seed}:links:{stream}")
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    original = attachments.new_code
    attachments.new_code = lambda: "".join(rng.choice(alphabet) for _ in range(8))
    try:
        yield
    finally:
        attachments.new_code = original


@contextmanager
def local_timezone(zone: str) -> Iterator[None]:
    """Run with the process's local time zone set to `zone` (restored after)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


@asynccontextmanager
async def demo_world(data_dir: Path, *, seed: int = SEED) -> AsyncIterator[World]:
    """The demo shop and its thirty days of history at `NOW`, with a gateway that never waits."""
    from sfterm.gateway.app import create_gateway_app
    from sfterm.gateway.config import DeliveryDelays, GatewayConfig

    settings = ServerSettings(
        data_dir=data_dir,
        bundled_gateway=False,
        public_url=BASE,
        gateway_url=f"{BASE}/gateway",
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        clock=fixed_clock,
        seed=seed,
    )
    app = create_app(settings)
    gateway = create_gateway_app(
        GatewayConfig(
            account_sid=ACCOUNT_SID,
            auth_token=AUTH_TOKEN,
            delays=DeliveryDelays.none(),
            seed=seed,
            clock=fixed_clock,
            webhook_transport=httpx.ASGITransport(app=app),
        )
    )
    app.mount("/gateway", gateway)
    app.state.gateway_transport = httpx.ASGITransport(app=app)
    tokens: dict[str, str] = {}

    async def seed_shop(app: FastAPI) -> None:
        tokens.update(await seed_world(app, seed=seed))

    app.state.on_startup.insert(0, seed_shop)  # before the relay numbers are registered
    async with app.router.lifespan_context(app):
        await app.state.registration
        world = World(app=app, gateway=gateway, tokens=tokens)
        try:
            yield world
        finally:
            await world.idle()


# ---- driving the apps -------------------------------------------------------------------------

QUIET_GROUPS = {"events", "follow"}
"""Workers that run for the app's whole life (the event stream, the handset stream)."""


async def settle(pilot: Any) -> None:
    """Wait until every short worker is done and the screen has caught up."""
    app = pilot.app

    def busy() -> list[Any]:
        return [w for w in app.workers if w.group not in QUIET_GROUPS and not w.is_finished]

    for _ in range(10):  # a worker's result may start another worker
        if working := busy():
            await app.workers.wait_for_complete(working)
        await pilot.pause()
        if not busy():
            break


def no_blinking(message: Any) -> None:
    """The message hook of a shot: a text field stops blinking as it mounts, before it can take
    the focus, so that its cursor shows exactly when it has the focus (never half a blink)."""
    if type(message).__name__ == "Mount":
        widget = getattr(message, "_sender", None)
        if hasattr(widget, "cursor_blink"):
            widget.cursor_blink = False  # type: ignore[union-attr]


async def export(pilot: Any, title: str) -> str:
    """What the terminal shows once every animation has finished, as SVG."""
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    svg: str = pilot.app.export_screenshot(title=title)
    return svg


async def press(pilot: Any, steps: Sequence[Step], shot: str) -> None:
    for step in steps:
        if isinstance(step, str | Type):
            await pilot.press(*(step.keys if isinstance(step, Type) else (step,)))
            await settle(pilot)
            continue
        for _ in range(MAX_STEPS):
            row = getattr(pilot.app.screen.query_one("#list"), "highlighted", None)
            if step.test(row):
                break
            await pilot.press(step.key)
            await settle(pilot)
        else:
            raise LookupError(f"{shot}: no row found with {step.test.__name__}")


async def live_forever(session: Any, last_event_id: int) -> AsyncIterator[Event | LinkState]:
    """The event stream of a picture: live, and nothing happens."""
    yield LinkState(Link.LIVE, NOW)
    await asyncio.Event().wait()


async def shoot_app(world: World, shot: Shot, size: tuple[int, int]) -> str:
    from sfterm.tui.app import SftermApp
    from sfterm.tui.session import Session

    async with world.client() as client:
        me = await client.me()
        session = Session(client=client, me=me, clock=fixed_clock, link=LinkState(Link.LIVE, NOW))
        app = SftermApp(session, config={}, stream=live_forever)
        app.animation_level = "none"
        async with app.run_test(size=size, message_hook=no_blinking) as pilot:
            await settle(pilot)
            await press(pilot, shot.steps, shot.name)
            return await export(pilot, f"sfterm — {shot.name}")


async def shoot_phone(world: World, shot: Shot, size: tuple[int, int]) -> str:
    from sfterm.tui.phone.app import PhoneApp

    assert shot.phone is not None
    handset = world.handset()
    log = await handset.messages(shot.phone)

    async def follow(phone: str, after: int) -> AsyncIterator[HandsetText]:
        for entry in log:
            yield entry
        await asyncio.Event().wait()

    app = PhoneApp(handset, shot.phone, follow=follow)
    app.animation_level = "none"
    try:
        with local_timezone(TIMEZONE):
            async with app.run_test(size=size, message_hook=no_blinking) as pilot:
                await settle(pilot)
                await press(pilot, shot.steps, shot.name)
                return await export(pilot, f"sfterm phone — {shot.name}")
    finally:
        await handset.aclose()


async def take(shot: Shot, template: Path, size: tuple[int, int], *, seed: int = SEED) -> str:
    """One picture as SVG text, from its own copy of the seeded `template` data directory (so
    each shot stands alone, whatever the others did)."""
    with (
        tempfile.TemporaryDirectory(prefix="sfterm-shot-") as tmp,
        fixed_link_codes(seed, shot.name),
    ):
        data_dir = Path(tmp) / "data"
        shutil.copytree(template, data_dir)
        async with demo_world(data_dir, seed=seed) as world:
            if shot.prepare is not None:
                await shot.prepare(world)
            if shot.phone is not None:
                return await shoot_phone(world, shot, size)
            return await shoot_app(world, shot, size)


async def write_screenshots(
    out: Path,
    *,
    size: tuple[int, int] = SIZE,
    only: Sequence[str] = (),
    seed: int = SEED,
    report: Callable[[str], None] = lambda line: None,
) -> list[Path]:
    """Write `name.svg` into `out` for every available shot (or those named in `only`)."""
    unknown = set(only) - {s.name for s in SHOTS}
    if unknown:
        raise ValueError(f"no such screenshot: {', '.join(sorted(unknown))}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="sfterm-shots-") as tmp:
        template = Path(tmp) / "template"
        with fixed_link_codes(seed, "history"):
            async with demo_world(template, seed=seed):
                pass  # the demo shop and its history, written once
        for shot in SHOTS:
            if only and shot.name not in only:
                continue
            if not shot.available:
                report(f"skipped {shot.name}: {shot.needs} does not exist yet")
                continue
            svg = await take(shot, template, size, seed=seed)
            path = out / f"{shot.name}.svg"
            path.write_text(svg, encoding="utf-8")
            written.append(path)
            report(f"wrote {path}")
    return written
