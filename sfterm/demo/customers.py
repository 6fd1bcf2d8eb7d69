"""Simulated customers: they post requests as a web page would and answer their texts.

The simulation is a queue of things due at given moments, worked one at a time: a customer
posts a request to the public endpoint; every poll, the handsets are read through the
gateway's handset API and each text that came in may lead to an answer, later, after a
human-looking delay. Random choices come from one `random.Random` per purpose, derived from
the seed, and time from a `SimClock`, so that the same seed (and the same associates' actions)
gives the same customers, requests and texts in the same order. `settle` is awaited after each
step: tests pass the gateway's `wait_idle` so that a step's consequences land before the next.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import random
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import httpx

from sfterm.client.handset import HandsetClient, HandsetError, HandsetText
from sfterm.core.models import Channel, Kind
from sfterm.core.routing import Source
from sfterm.demo import replies
from sfterm.demo.personas import PERSONAS, Persona, associates_of
from sfterm.demo.timing import RealTime, SimClock
from sfterm.gateway.inbound import KEYWORD_REPLIES

log = logging.getLogger(__name__)

RECENT_REQUESTERS = 10
"""A customer does not write again until this many others have."""

CARRIER_REPLIES = frozenset(KEYWORD_REPLIES.values())
"""What the carrier itself answers to STOP, START and HELP: nobody replies to those."""


@dataclass(frozen=True)
class SimSettings:
    """The knobs of the simulation. Durations are seconds at speed 1 (divided by `speed`)."""

    seed: int = 0
    speed: float = 1.0
    """1.0: a new request every 20–40 s; 10: ten times as fast. Must be above 0."""
    first_request: float = 3.0
    request_gap: tuple[float, float] = (20.0, 40.0)
    reply_delay: tuple[float, float] = (6.0, 25.0)
    typing_per_char: float = 0.12
    second_text_delay: tuple[float, float] = (20.0, 60.0)
    click_delay: tuple[float, float] = (3.0, 15.0)
    keyword_gap: tuple[float, float] = (15.0, 45.0)
    poll_every: float = 1.0
    """Seconds of the clock between two looks at the handsets (never divided by speed)."""
    text_share: float = 0.6
    sources: tuple[tuple[Source, float], ...] = (
        (Source.CONNECT_WIDGET, 0.65),
        (Source.STOREFRONT, 0.25),
        (Source.FOOTER, 0.10),
    )
    kinds: tuple[tuple[Kind, float], ...] = (
        (Kind.CONTACT_ME, 0.55),
        (Kind.APPOINTMENT, 0.30),
        (Kind.PERSONAL_SHOPPER, 0.15),
    )
    second_text_chance: float = 0.2
    stop_chance: float = 0.07
    click_chance: float = 0.6
    max_answers: tuple[int, int] = (1, 3)

    def scaled(self, seconds: float) -> float:
        return seconds / self.speed


@dataclass(frozen=True)
class SimEvent:
    """One thing the simulation did or saw, for the log and for tests."""

    at: float
    kind: str
    """`request`, `text` (sent by a handset), `received`, `click` or `error`."""
    phone: str
    detail: str


@dataclass
class Customer:
    """A persona and where their conversation with the store stands."""

    persona: Persona
    topic: replies.Topic | None = None
    awaiting_confirmation: bool = False
    number: str | None = None
    """The store's number that last texted them: the one they text back."""
    answered: bool = False
    answers_left: int = 0
    plans_stop: bool = False
    opted_out: bool = False
    answer_due: bool = False
    seen: int = -1
    """The last index of their handset's log already read."""


@dataclass(order=True)
class _Due:
    at: float
    seq: int
    label: str = field(compare=False)
    action: Callable[[], Awaitable[None]] = field(compare=False)


async def _nothing() -> None:
    return None


T = TypeVar("T")


def _weighted(rng: random.Random, choices: Sequence[tuple[T, float]]) -> T:
    values = [c for c, _ in choices]
    weights = [w for _, w in choices]
    return rng.choices(values, weights=weights, k=1)[0]


class Simulation:
    """The customers of one demo backend, reached over HTTP like a browser and a phone would."""

    def __init__(
        self,
        settings: SimSettings,
        *,
        backend_url: str,
        gateway_url: str,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: SimClock | None = None,
        settle: Callable[[], Awaitable[None]] = _nothing,
        personas: Sequence[Persona] = PERSONAS,
    ) -> None:
        if settings.speed <= 0:
            raise ValueError("speed must be above 0 (0 means: no simulation)")
        self.settings = settings
        self.clock: SimClock = clock or RealTime()
        self.settle = settle
        self.web = httpx.AsyncClient(
            base_url=backend_url.rstrip("/"), transport=transport, timeout=15.0
        )
        self.handsets = HandsetClient(gateway_url, transport=transport)
        self.customers = {p.phone: Customer(p) for p in personas}
        self.events: list[SimEvent] = []
        self.errors: list[SimEvent] = []
        seed = settings.seed
        self._rng_arrivals = random.Random(f"{seed}:arrivals")
        self._rng_forms = random.Random(f"{seed}:forms")
        self._rng_words = random.Random(f"{seed}:words")
        self._rng_moods = random.Random(f"{seed}:moods")
        self._rng_delays = random.Random(f"{seed}:delays")
        self._recent: deque[str] = deque(maxlen=RECENT_REQUESTERS)
        self._queue: list[_Due] = []
        self._seq = itertools.count()
        self._started = False
        self._noticed = asyncio.Event()
        self.stopped = False

    # ---- running -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Read where each handset stands, and plan the first request and the first poll."""
        if self._started:
            return
        self._started = True
        counts = await self.handsets.handsets()
        for phone, customer in self.customers.items():
            customer.seen = counts.get(phone, 0) - 1
        self._after(self.settings.scaled(self.settings.first_request), "request", self._arrive)
        self._after(0.0, "poll", self._poll)

    async def step(self) -> None:
        """Do the next thing due (waiting for its moment), then let its consequences settle."""
        due = heapq.heappop(self._queue)
        await self.clock.sleep_until(due.at)
        try:
            await due.action()
        except (httpx.HTTPError, HandsetError) as exc:
            self._error("-", f"{due.label}: {exc.__class__.__name__}: {exc}")
        await self.settle()

    async def run(self) -> None:
        """Run until `stop()`."""
        await self.start()
        while not self.stopped and self._queue:
            await self.step()

    async def run_until(self, at: float) -> None:
        """Do everything due up to the moment `at` of the clock (virtual time, for tests)."""
        await self.start()
        while self._queue and self._queue[0].at <= at and not self.stopped:
            await self.step()
        await self.clock.sleep_until(at)

    def stop(self) -> None:
        self.stopped = True

    async def aclose(self) -> None:
        self.stop()
        await self.web.aclose()
        await self.handsets.aclose()

    def _after(self, delay: float, label: str, action: Callable[[], Awaitable[None]]) -> None:
        due = _Due(self.clock.now() + max(delay, 0.0), next(self._seq), label, action)
        heapq.heappush(self._queue, due)

    def _note(self, kind: str, phone: str, detail: str) -> SimEvent:
        event = SimEvent(round(self.clock.now(), 3), kind, phone, detail)
        self.events.append(event)
        noticed, self._noticed = self._noticed, asyncio.Event()
        noticed.set()
        return event

    async def wait_until(self, ready: Callable[[list[SimEvent]], bool]) -> None:
        """Return once `ready(events)` holds (checked after each new event)."""
        while not ready(self.events):
            await self._noticed.wait()

    def _error(self, phone: str, detail: str) -> None:
        self.errors.append(self._note("error", phone, detail))
        log.warning("simulated customer %s: %s", phone, detail)

    def _delay(self, bounds: tuple[float, float], extra: float = 0.0) -> float:
        return self.settings.scaled(self._rng_delays.uniform(*bounds) + extra)

    # ---- requests ------------------------------------------------------------------------------

    def _pick_customer(self) -> Customer:
        """Someone who is not in a conversation and has not written lately, if there is one."""
        everyone = list(self.customers.values())
        idle = [
            c
            for c in everyone
            if not c.answer_due and c.answers_left == 0 and c.persona.phone not in self._recent
        ]
        chosen = self._rng_arrivals.choice(idle or everyone)
        self._recent.append(chosen.persona.phone)
        return chosen

    def build_form(self, customer: Customer) -> dict[str, object]:
        """The JSON a request form posts for this customer, with a fresh topic."""
        rng = self._rng_forms
        persona = customer.persona
        source = _weighted(rng, self.settings.sources)
        kind = _weighted(rng, self.settings.kinds)
        channel = Channel.TEXT if rng.random() < self.settings.text_share else Channel.EMAIL
        topic = replies.new_topic(rng, kind)
        form: dict[str, object] = {
            "source": source.value,
            "kind": kind.value,
            "name": persona.name,
            "email": persona.email,
            "channel": channel.value,
            "message": replies.request_message(self._rng_words, topic, persona.lang),
        }
        if source is Source.CONNECT_WIDGET:
            form["store"] = persona.store
        else:
            form["associate"] = rng.choice(associates_of(persona.store))
        if channel is Channel.TEXT or rng.random() < 0.5:
            form["phone"] = persona.form_phone
        customer.topic = topic
        return form

    async def _arrive(self) -> None:
        self._after(self._delay(self.settings.request_gap), "request", self._arrive)
        customer = self._pick_customer()
        form = self.build_form(customer)
        phone = customer.persona.phone
        response = await self.web.post("/api/v1/public/requests", json=form)
        if response.status_code != 201:
            self._error(phone, f"request refused: {response.status_code} {response.text[:200]}")
            return
        folder = response.json().get("folder", "?")
        where = form.get("store") or form.get("associate")
        self._note(
            "request",
            phone,
            f"{form['source']}/{form['kind']}/{form['channel']} to {where} → {folder}: "
            f"{form['message']}",
        )
        if form["channel"] == Channel.TEXT.value:
            moods = self._rng_moods
            customer.awaiting_confirmation = True
            customer.answered = False
            customer.opted_out = False
            customer.answers_left = moods.randint(*self.settings.max_answers)
            customer.plans_stop = moods.random() < self.settings.stop_chance

    # ---- handsets ------------------------------------------------------------------------------

    async def _poll(self) -> None:
        self._after(self.settings.poll_every, "poll", self._poll)
        counts = await self.handsets.handsets()
        for phone in sorted(counts):
            customer = self.customers.get(phone)
            if customer is None or counts[phone] - 1 <= customer.seen:
                continue
            for entry in await self.handsets.messages(phone, after=customer.seen):
                customer.seen = max(customer.seen, entry.index)
                if entry.incoming:
                    self._hear(customer, entry)

    def _hear(self, customer: Customer, entry: HandsetText) -> None:
        """A text reached the customer's handset: decide what, if anything, they will do."""
        phone = customer.persona.phone
        self._note("received", phone, f"from {entry.number}: {entry.body}")
        if entry.body in CARRIER_REPLIES:
            return
        customer.number = entry.number
        if customer.awaiting_confirmation:
            customer.awaiting_confirmation = False
            if self._rng_moods.random() < self.settings.second_text_chance:
                delay = self._delay(self.settings.second_text_delay)
                self._after(delay, "second text", lambda: self._second_text(customer))
            return
        customer.answered = True
        paths = replies.tracked_paths(entry.body)
        if paths and self._rng_moods.random() < self.settings.click_chance:
            path = paths[0]
            self._after(
                self._delay(self.settings.click_delay), "click", lambda: self._click(phone, path)
            )
        if customer.topic is None and customer.answers_left == 0:
            customer.answers_left = 1  # a text out of the blue gets one answer
        if customer.answer_due or customer.answers_left <= 0:
            return
        customer.answers_left -= 1
        customer.answer_due = True
        if customer.plans_stop:
            customer.plans_stop = False
            self._after(
                self._delay(self.settings.reply_delay), "stop", lambda: self._stop(customer)
            )
            return
        what = replies.classify(entry.body) if customer.topic else "cold"
        body = replies.answer(self._rng_words, what, customer.topic, customer.persona.lang)
        typing = len(body) * self.settings.typing_per_char
        delay = self._delay(self.settings.reply_delay, typing)
        self._after(delay, "answer", lambda: self._answer(customer, body))

    async def _text(self, customer: Customer, body: str) -> None:
        phone = customer.persona.phone
        if customer.number is None:
            return
        self._note("text", phone, f"to {customer.number}: {body}")
        await self.handsets.send(phone, customer.number, body)

    async def _second_text(self, customer: Customer) -> None:
        if customer.answered:
            return
        await self._text(customer, replies.second_text(self._rng_words, customer.persona.lang))

    async def _answer(self, customer: Customer, body: str) -> None:
        customer.answer_due = False
        await self._text(customer, body)

    async def _stop(self, customer: Customer) -> None:
        """STOP, then HELP, then START, then a word to say it was a mistake."""
        customer.answer_due = False
        customer.opted_out = True
        await self._text(customer, "STOP")
        gap = self.settings.keyword_gap
        self._after(self._delay(gap), "help", lambda: self._text(customer, "HELP"))
        self._after(self._delay(gap, gap[1]), "start", lambda: self._start(customer))

    async def _start(self, customer: Customer) -> None:
        customer.opted_out = False
        await self._text(customer, "START")
        sorry = (
            "Désolée, mauvais bouton!" if customer.persona.lang == "fr" else "Sorry, wrong button!"
        )
        self._after(self._delay((5.0, 15.0)), "sorry", lambda: self._text(customer, sorry))

    async def _click(self, phone: str, path: str) -> None:
        response = await self.web.get(path, follow_redirects=False)
        self._note("click", phone, f"{path} → {response.status_code}")
        if response.status_code >= 400:
            self._error(phone, f"click on {path}: HTTP {response.status_code}")
