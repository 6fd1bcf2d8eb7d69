"""How fast the associate's app is with a big shop: 100,000 requests and 1,000,000 messages.

    /tmp/venv/bin/python benchmarks/tui_bench.py [--requests 100000] [--messages 1000000]
        [--rounds 3] [--moves 200] [--texts 20] [--cold 7] [--cold-from-source]
        [--data-dir PATH] [--profile PATH]

Builds the database (the server makes its schema and the demo shop, then the rows go in with the
sqlite3 module's `executemany`, one transaction) in a temporary directory or at `--data-dir`
(kept, and reused by the next run with the same sizes: the server upgrades a database of an
older schema as it starts, as it would a shop's). The server runs in a child process
(`sfterm serve --demo --speed 0`: no simulated customers); the app runs headless (120×36) in
this process. Each round starts a fresh app and measures:

- cold start (the issue's measure): `sfterm --server URL --token T` typed into a real terminal
  (tmux, 120×36) until the screen shows the first New Leads row; the capture is polled every
  5 ms, so the figures are up to ~10 ms late. Process start, imports, sign-in, first page and
  paint all count. Also when the chrome (the folder column) first shows. Skipped without tmux.
  sfterm's modules are compiled to bytecode first, as an installed package has them (pip
  compiles a wheel's modules; Python writes `__pycache__` for an editable checkout on its first
  run), unless PYTHONDONTWRITEBYTECODE is set, as on these build machines.
  `--cold-from-source` removes that bytecode instead, so each start compiles sfterm from source;
- start: in this process (modules already imported), from creating the app to the first
  painted frame that shows New Leads rows;
- cursor: from a key (`down`, posted to the app as the terminal driver does) to the painted frame
  that shows the moved cursor; keys come 0–50 ms apart (random, seeded), as typed;
- incoming text, from the webhook: from the benchmark posting the gateway's webhook for a text
  (the form and signature the bundled gateway sends, to the backend's SMS webhook) to the painted
  frame that shows it at the top of Text Messages; each hop is timed. This is the issue's measure;
- incoming text, from the handset: the same from posting a handset's text to the simulated
  gateway (`/sim/handsets/…/messages`), which then calls the webhook (the carrier's own time
  included).

"Painted" is when Textual's compositor has handed the frame to the driver (`App._display`);
Textual paints at most once per frame (60 Hz): a change waits for the screen's update timer,
which fires at once when the last frame is older than 1/60 s and otherwise on the next tick.
The breakdown says how long the handlers took (key → idle), the frame wait (idle → timer) and
the paint (timer → frame written). Other work on the machine moves every figure: the load
average is printed with each round, and the best round (lowest median) is named.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

T_START = time.perf_counter()

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sfterm.core.text_fold import fold  # noqa: E402
from sfterm.server_file import ServerInfo, read_server_file  # noqa: E402

HANDSET = "+15145559876"
"""The customer who texts Camille during the benchmark."""


# ---- the database ---------------------------------------------------------------------------


def start_server(data_dir: Path) -> tuple[subprocess.Popen[bytes], ServerInfo]:
    (data_dir / "server.json").unlink(missing_ok=True)
    child = subprocess.Popen(
        # a new seed at each start: the gateway's message SIDs follow it, and the backend takes
        # a SID it has seen before (in the kept database) for a replay and drops the text
        [
            sys.executable,
            "-m",
            "sfterm",
            "serve",
            "--demo",
            "--speed",
            "0",
            "--port",
            "0",
            "--seed",
            str(time.time_ns() % 2**31),
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        info = read_server_file(data_dir)
        if info is not None and info.pid == child.pid:
            return child, info
        if child.poll() is not None:
            raise SystemExit(f"server exited with {child.returncode}")
        time.sleep(0.05)
    raise SystemExit("server did not start")


def stop_server(child: subprocess.Popen[bytes]) -> None:
    child.terminate()
    child.wait(20)


def _stamp(when: datetime) -> str:
    """A datetime as SQLAlchemy's SQLite `DateTime` keeps it (naive UTC, microseconds)."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _search_text(name: str, email: str | None, message: str) -> str:
    """A request's `search_text`, as `sfterm.server.request_search.request_search_text` makes
    it (not imported from there: `sfterm.server` loads the models, which would take them out of
    the timed import of the app)."""
    return "\n".join(fold(part or "") for part in (name, email, message))


def fill(db_path: Path, n_requests: int, n_messages: int) -> dict[str, float]:
    """Bulk-insert the big shop in one transaction; returns the seconds per table."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA cache_size = -400000")  # 400 MB: the indexes grow in memory
    now = datetime.now(UTC)
    timings: dict[str, float] = {}
    store_id = conn.execute("SELECT id FROM stores WHERE handle = 'montreal'").fetchone()[0]
    me, relay = conn.execute(
        "SELECT id, relay_number FROM associates WHERE handle = 'camille'"
    ).fetchone()
    conn.execute("BEGIN")
    t = time.perf_counter()
    conn.executemany(
        "INSERT INTO requests (store_id, associate_id, folder, status, source, kind, channel, "
        "name, email, phone, message, search_text, created_at) VALUES (?, ?, ?, 'open', ?, "
        "'contact_me', 'text', ?, NULL, ?, ?, ?, ?)",
        (
            (
                store_id,
                None if n % 2 == 0 else me,
                "new_leads" if n % 2 == 0 else "customer_requests",
                "connect_widget" if n % 2 == 0 else "storefront",
                name,
                f"+1514{5550000 + n % 10000:07d}",
                message,
                _search_text(name, None, message),
                _stamp(now - timedelta(minutes=n_requests - n)),
            )
            for n in range(n_requests)
            for name, message in (
                (f"Customer {n:06d}", f"Request number {n}: do you have the wool coat in size M?"),
            )
        ),
    )
    timings["requests"] = time.perf_counter() - t
    t = time.perf_counter()
    n_threads = max(n_messages // 500, 1)
    first_thread = (conn.execute("SELECT max(id) FROM threads").fetchone()[0] or 0) + 1
    conn.executemany(
        "INSERT INTO threads (id, store_id, associate_id, phone, relay_number, created_at, "
        "unread_count, message_count, activity_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
        (
            (
                first_thread + n,
                store_id,
                me,
                f"+1438{5550000 + n:07d}",
                relay,
                _stamp(now - timedelta(days=30)),
                n_messages // n_threads,
                _stamp(now - timedelta(days=30)),
            )
            for n in range(n_threads)
        ),
    )
    conn.executemany(
        "INSERT INTO messages (thread_id, kind, direction, body, status, automatic, created_at, "
        "updated_at) VALUES (?, 'text', ?, ?, ?, 0, ?, ?)",
        (
            (
                first_thread + n % n_threads,
                "inbound" if n % 2 else "outbound",
                f"Message {n}",
                "received" if n % 2 else "delivered",
                at,
                at,
            )
            for n in range(n_messages)
            for at in (_stamp(now - timedelta(days=1, seconds=n_messages - n)),)
        ),
    )
    # each thread's last message (the list's preview and order)
    conn.execute(
        "UPDATE threads SET last_message_id = (SELECT max(m.id) FROM messages m "
        "WHERE m.thread_id = threads.id) WHERE id >= ?",
        (first_thread,),
    )
    conn.execute(
        "UPDATE threads SET last_message_at = (SELECT m.created_at FROM messages m "
        "WHERE m.id = threads.last_message_id), activity_at = (SELECT m.created_at FROM messages m "
        "WHERE m.id = threads.last_message_id) WHERE id >= ?",
        (first_thread,),
    )
    timings["threads+messages"] = time.perf_counter() - t
    t = time.perf_counter()
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    timings["commit"] = time.perf_counter() - t
    conn.close()
    return timings


def prepare(data_dir: Path, n_requests: int, n_messages: int) -> None:
    """A database of these sizes in `data_dir`: the one kept there, or a new one."""
    marker = data_dir / "tui_bench.json"
    sizes = {"requests": n_requests, "messages": n_messages}
    if marker.exists() and json.loads(marker.read_text()) == sizes:
        print(f"database: kept in {data_dir}")
        return
    for name in ("sfterm.db", "sfterm.db-wal", "sfterm.db-shm"):
        (data_dir / name).unlink(missing_ok=True)
    child, _ = start_server(data_dir)  # the schema and the demo shop
    stop_server(child)
    t = time.perf_counter()
    timings = fill(data_dir / "sfterm.db", n_requests, n_messages)
    parts = ", ".join(f"{table} {seconds:.1f} s" for table, seconds in timings.items())
    print(f"database: built in {time.perf_counter() - t:.1f} s ({parts})")
    marker.write_text(json.dumps(sizes))


# ---- measuring ------------------------------------------------------------------------------


@dataclass
class Probe:
    """Timestamps of the app's frames: when the update timer fired and when a frame was written.

    Installed on Textual's `Screen` class (timer, idle) and on the app (`_display`).
    """

    idle: list[float] = field(default_factory=list)
    ticks: list[float] = field(default_factory=list)
    frames: list[float] = field(default_factory=list)
    watch: Any = None
    """Called after each frame is written (the incoming-text measure looks at the screen)."""

    def install(self, app: Any) -> None:
        from textual import screen as screen_module

        Screen: Any = screen_module.Screen
        probe = self
        if not getattr(Screen, "_bench_probe", None):
            on_timer, on_idle = Screen._on_timer_update, Screen._on_idle

            def timed_update(screen: Any) -> None:
                Screen._bench_probe.ticks.append(time.perf_counter())
                on_timer(screen)

            async def timed_idle(screen: Any, event: Any) -> None:
                if screen._dirty_widgets or screen._repaint_required or screen._layout_required:
                    Screen._bench_probe.idle.append(time.perf_counter())
                await on_idle(screen, event)

            Screen._on_timer_update = timed_update
            Screen._on_idle = timed_idle
        Screen._bench_probe = probe
        display = app._display

        def timed_display(screen: Any, update: Any) -> None:
            display(screen, update)
            probe.frames.append(time.perf_counter())
            if probe.watch is not None:
                probe.watch()

        app._display = timed_display

    async def frame_after(self, t: float) -> float:
        """Wait for the first frame written after `t`; its time."""
        while True:
            done = [f for f in self.frames if f > t]
            if done:
                return done[0]
            await asyncio.sleep(0.001)

    def first_after(self, times: list[float], t: float, end: float) -> float | None:
        return next((x for x in times if t < x <= end), None)


@dataclass
class Series:
    """One measure's samples in one round, in ms, and the load average when it ran."""

    samples: list[float]
    load: tuple[float, float, float]
    parts: dict[str, list[float]] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def next_frame(app: Any) -> None:
    done = asyncio.get_running_loop().create_future()

    def resolve() -> None:
        if not done.done():
            done.set_result(None)

    app.call_after_refresh(resolve)
    await done


async def one_round(info: ServerInfo, moves: int, texts: int, seed: int) -> dict[str, Series]:
    from sfterm.client.api import SftermClient
    from sfterm.tui.app import SftermApp, default_stream
    from sfterm.tui.screens import main_live
    from sfterm.tui.screens.main import MainScreen
    from sfterm.tui.session import Session

    client = SftermClient(info.url, info.associates["camille"])
    me = await client.me()
    received: dict[str, float] = {}
    applied: dict[str, float] = {}
    created: dict[str, float] = {}

    def body_of(event: Any) -> str | None:
        message = event.data.get("message") if isinstance(event.data, dict) else None
        return message.get("body") if isinstance(message, dict) else None

    async def timed_stream(session: Session, last_id: int) -> AsyncIterator[Any]:
        item: Any
        async for item in default_stream(session, last_id):
            body = body_of(item) if hasattr(item, "data") else None
            if body is not None and getattr(item, "type", "") == "message.created":
                received.setdefault(body, time.perf_counter())
                created.setdefault(body, item.created_at.timestamp())
            yield item

    apply_event = main_live.apply_event

    def timed_apply(screen: Any, event: Any) -> None:
        apply_event(screen, event)
        thread = event.data.get("thread") if isinstance(event.data, dict) else None
        last = thread.get("last_message") if isinstance(thread, dict) else None
        if isinstance(last, dict) and last.get("body"):
            applied.setdefault(last["body"], time.perf_counter())

    main_live.apply_event = timed_apply
    probe = Probe()
    start = time.perf_counter()
    app = SftermApp(Session(client=client, me=me), stream=timed_stream)
    result: dict[str, Series] = {}
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            probe.install(app)
            while not (isinstance(app.screen, MainScreen) and app.screen.feeds["new_leads"].items):
                await asyncio.sleep(0.001)
            shown = await probe.frame_after(start)
            while "Customer" not in app.screen.rows.render_line(0).text:
                shown = await probe.frame_after(shown)
            result["start"] = Series([(shown - start) * 1000], os.getloadavg())
            await next_frame(app)
            result["cursor"] = await cursor_moves(app, probe, moves, random.Random(seed))
            await pilot.press("3")
            await next_frame(app)
            relay = me.associate.relay_number or ""
            for key, sender in (("webhook", WebhookSender(info)), ("text", HandsetSender(info))):
                result[key] = await incoming_texts(
                    app, probe, sender, relay, texts, received, applied, created
                )
    finally:
        main_live.apply_event = apply_event
        await client.aclose()
    return result


async def cursor_moves(app: Any, probe: Probe, moves: int, rng: random.Random) -> Series:
    from textual import events

    rows = app.screen.rows
    samples: list[float] = []
    parts: dict[str, list[float]] = {"handlers": [], "frame wait": [], "paint": []}
    for _ in range(moves):
        await asyncio.sleep(rng.uniform(0, 0.05))
        before = rows.cursor
        t = time.perf_counter()
        app.post_message(events.Key("down", None))
        painted = await probe.frame_after(t)
        while rows.cursor == before:  # a frame painted for something else (a timer) came first
            painted = await probe.frame_after(painted)
        samples.append((painted - t) * 1000)
        idle = probe.first_after(probe.idle, t, painted) or t
        tick = probe.first_after(probe.ticks, idle, painted) or idle
        parts["handlers"].append((idle - t) * 1000)
        parts["frame wait"].append((tick - idle) * 1000)
        parts["paint"].append((painted - tick) * 1000)
    return Series(samples, os.getloadavg(), parts)


class HandsetSender:
    """A customer's handset texts the relay number through the simulated gateway."""

    first_part = "gateway post"

    def __init__(self, info: ServerInfo) -> None:
        self.url = f"{info.gateway_url}/sim/handsets/{HANDSET}/messages"

    async def send(self, http: Any, relay: str, body: str) -> Any:
        return await http.post(self.url, json={"to": relay, "body": body})


class WebhookSender:
    """What the gateway does for an incoming text: the signed, form-encoded webhook."""

    first_part = "webhook answered"

    def __init__(self, info: ServerInfo) -> None:
        from sfterm.server.messaging import SMS_WEBHOOK_PATH

        self.url = info.url.rstrip("/") + SMS_WEBHOOK_PATH
        self.account_sid = info.account_sid
        self.auth_token = info.auth_token

    async def send(self, http: Any, relay: str, body: str) -> Any:
        import secrets

        from sfterm.core.sms import segment_info
        from sfterm.core.twilio_signature import compute_signature
        from sfterm.gateway.inbound import webhook_params
        from sfterm.gateway.records import MessageRecord

        now = datetime.now(UTC)
        text = MessageRecord(
            sid="SM" + secrets.token_hex(16),
            account_sid=self.account_sid,
            to=relay,
            from_=HANDSET,
            body=body,
            direction="inbound",
            status="received",
            num_segments=segment_info(body).segments,
            date_created=now,
            date_updated=now,
        )
        params = webhook_params(text)  # the gateway's own form
        signature = compute_signature(self.auth_token, self.url, params)
        return await http.post(self.url, data=params, headers={"X-Twilio-Signature": signature})


async def incoming_texts(
    app: Any,
    probe: Probe,
    sender: HandsetSender | WebhookSender,
    relay: str,
    texts: int,
    received: dict[str, float],
    applied: dict[str, float],
    created: dict[str, float],
) -> Series:
    import httpx

    screen = app.screen
    samples: list[float] = []
    parts: dict[str, list[float]] = {
        sender.first_part: [],
        "→ backend event": [],
        "→ client has event": [],
        "→ list updated": [],
        "→ frame starts": [],
        "→ painted": [],
    }
    async with httpx.AsyncClient(timeout=10) as http:
        for n in range(texts + 1):
            body = f"bench {n:03d} {time.time_ns() % 10**6:06d}"
            seen = asyncio.get_running_loop().create_future()

            def watch(body: str = body, seen: asyncio.Future[float] = seen) -> None:
                # the frame just written shows the thread on top with this text as its preview
                # (the preview column is narrow: the text itself is cut)
                feed = screen.feeds["threads"]
                top = feed.view[0] if feed.view else None
                if seen.done() or top is None or top.last_message is None:
                    return
                if top.last_message.body == body and top.phone_display in (
                    screen.rows.render_line(0).text
                ):
                    seen.set_result(time.perf_counter())

            probe.watch = watch
            await asyncio.sleep(0.05)
            wall, t = time.time(), time.perf_counter()
            response = await sender.send(http, relay, body)
            posted = time.perf_counter()
            response.raise_for_status()
            painted = await asyncio.wait_for(seen, 10)
            probe.watch = None
            if n == 0:  # the first one opens the thread
                continue
            samples.append((painted - t) * 1000)
            backend = t + (created.get(body, wall) - wall)
            parts[sender.first_part].append((posted - t) * 1000)
            parts["→ backend event"].append((backend - t) * 1000)
            parts["→ client has event"].append((received.get(body, t) - backend) * 1000)
            parts["→ list updated"].append((applied.get(body, t) - received.get(body, t)) * 1000)
            updated = applied.get(body, t)
            tick = probe.first_after(probe.ticks, updated, painted) or updated
            parts["→ frame starts"].append((tick - updated) * 1000)
            parts["→ painted"].append((painted - tick) * 1000)
    return Series(samples, os.getloadavg(), parts)


def sfterm_bytecode(compiled: bool) -> None:
    """Compile sfterm's modules to `__pycache__` (as an installed package has them), or remove
    that bytecode so that each start compiles them from source."""
    import compileall
    import shutil

    package = Path(__file__).resolve().parents[1] / "sfterm"
    if compiled:
        compileall.compile_dir(package, quiet=1)
    else:
        for cache in package.rglob("__pycache__"):
            shutil.rmtree(cache)


def cold_starts(info: ServerInfo, runs: int, *, compiled: bool = True) -> Series | None:
    """`sfterm` started in tmux `runs` times: ms from the command to rows on screen."""
    import shutil

    if shutil.which("tmux") is None or runs <= 0:
        return None
    sfterm_bytecode(compiled)
    tmux = ["tmux", "-L", f"sfterm-bench-{os.getpid()}"]
    token = info.associates["camille"]
    script = Path(sys.executable).with_name("sfterm")  # what the README runs
    program = str(script) if script.exists() else f"{sys.executable} -m sfterm"
    command = f"{program} --server {info.url} --token {token}"
    samples: list[float] = []
    chrome: list[float] = []

    def screen(name: str) -> str:
        pane = subprocess.run(
            [*tmux, "capture-pane", "-p", "-t", name], capture_output=True, text=True
        )
        return pane.stdout

    try:
        for number in range(runs):
            name = f"cold{number}"
            subprocess.run(
                [*tmux, "new-session", "-d", "-s", name, "-x", "120", "-y", "36", "sh"], check=True
            )
            while not screen(name).strip():  # the shell's prompt
                time.sleep(0.01)
            t = time.perf_counter()
            subprocess.run([*tmux, "send-keys", "-t", name, command, "Enter"], check=True)
            seen_chrome = None
            while True:
                shown = screen(name)
                if seen_chrome is None and "Customer Requests" in shown:
                    seen_chrome = time.perf_counter()
                if "Customer 0" in shown:  # a row of the benchmark's New Leads
                    break
                if time.perf_counter() - t > 30:
                    raise SystemExit(f"sfterm did not show its rows:\n{shown}")
                time.sleep(0.005)  # leave the CPU to the app: each capture is a process
            samples.append((time.perf_counter() - t) * 1000)
            chrome.append(((seen_chrome or time.perf_counter()) - t) * 1000)
            subprocess.run([*tmux, "send-keys", "-t", name, "q"], check=True)
            time.sleep(0.5)
            subprocess.run([*tmux, "kill-session", "-t", name], stderr=subprocess.DEVNULL)
    finally:
        subprocess.run([*tmux, "kill-server"], stderr=subprocess.DEVNULL)
    return Series(samples, os.getloadavg(), {"chrome shown": chrome})


# ---- the report ------------------------------------------------------------------------------

NAMES = {
    "cold": "cold start: `sfterm` typed in a terminal → first row on screen",
    "start": "start in-process (modules loaded) → first frame with rows",
    "cursor": "cursor move → painted frame",
    "webhook": "incoming text: gateway's webhook sent → row painted",
    "text": "incoming text: handset → gateway → webhook → row painted",
}
TARGETS = {
    "cold": "≤ 500 ms",
    "start": "≤ 500 ms",
    "cursor": "≤ 16.7 ms + paint",
    "webhook": "median ≤ 25 ms",
    "text": "none: the simulated carrier's own time included",
}


def _load(load: tuple[float, float, float]) -> str:
    return f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"


def report(rounds: list[dict[str, Series]]) -> None:
    print(f"\nmachine: {os.cpu_count()} cores; ms; load average 1/5/15 min at the end of each")
    every_round = rounds
    for key, name in NAMES.items():
        rounds = [result for result in every_round if key in result]
        if not rounds:
            continue
        print(f"\n{name} (target {TARGETS[key]})")
        for number, result in enumerate(rounds, 1):
            s = result[key]
            print(
                f"  round {number}: median {s.median:7.1f}  p95 {s.p95:7.1f}  "
                f"min {min(s.samples):6.1f}  n {len(s.samples):4}  {_load(s.load)}"
            )
        best = min(range(len(rounds)), key=lambda i: rounds[i][key].median)
        s = rounds[best][key]
        print(f"  best: round {best + 1}, median {s.median:.1f}, p95 {s.p95:.1f}")
        for part, values in s.parts.items():
            print(
                f"    {part:22} median {statistics.median(values):6.1f}  "
                f"p95 {sorted(values)[round(0.95 * (len(values) - 1))]:6.1f}"
            )
        every = [x for result in rounds for x in result[key].samples]
        if len(rounds) > 1:
            ordered = sorted(every)
            print(
                f"  all rounds: median {statistics.median(every):.1f}, "
                f"p95 {ordered[round(0.95 * (len(ordered) - 1))]:.1f}, n {len(every)}"
            )


async def measure(info: ServerInfo, args: argparse.Namespace) -> list[dict[str, Series]]:
    t = time.perf_counter()
    import sfterm.tui.app
    import sfterm.tui.screens.main  # noqa: F401

    print(
        f"import of the app: {(time.perf_counter() - t) * 1000:.0f} ms "
        f"(process start to here: {(time.perf_counter() - T_START) * 1000:.0f} ms)"
    )
    rounds = []
    for number in range(args.rounds):
        rounds.append(await one_round(info, args.moves, args.texts, seed=number))
        print(f"round {number + 1} done, {_load(os.getloadavg())}")
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--texts", type=int, default=20)
    parser.add_argument("--cold", type=int, default=7, help="cold starts in tmux (0: none)")
    parser.add_argument(
        "--cold-from-source",
        action="store_true",
        help="cold starts without sfterm's bytecode (each start compiles it)",
    )
    parser.add_argument("--data-dir", help="keep the database here (reused if the sizes match)")
    parser.add_argument("--profile", help="write a cProfile of the measurements to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sfterm-bench-") as tmp:
        data_dir = Path(args.data_dir or tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        prepare(data_dir, args.requests, args.messages)
        child, info = start_server(data_dir)
        try:
            # first, while this process is still small
            cold = cold_starts(info, args.cold, compiled=not args.cold_from_source)
            if args.profile:
                import cProfile

                with cProfile.Profile() as profile:
                    rounds = asyncio.run(measure(info, args))
                profile.dump_stats(args.profile)
            else:
                rounds = asyncio.run(measure(info, args))
            if cold is not None:
                rounds[0]["cold"] = cold
        finally:
            stop_server(child)
    print(f"database: {args.requests:,} requests, {args.messages:,} messages")
    if cold is not None:
        bytecode = "compiled from source at each start" if args.cold_from_source else "bytecode"
        print(f"cold starts: sfterm's modules as {bytecode}")
    report(rounds)


if __name__ == "__main__":
    main()
