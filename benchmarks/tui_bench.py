"""How fast the associate's app is with a big shop: 100,000 requests and 1,000,000 messages.

    python benchmarks/tui_bench.py [--requests 100000] [--messages 1000000]

Builds the database in a temporary data directory (the server makes its schema and demo shop,
then rows are bulk-inserted through SQLAlchemy Core with the server's own tables), starts the
server in a child process, and measures, headless, in this process:

- start: from creating the app to the first frame that shows the New Leads rows;
- cursor: from a cursor move to the frame that shows it (median of 200);
- incoming text: from a handset's text posted to the gateway to the frame that shows it in
  Text Messages (median of 20).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sfterm.server.db import associates, messages, requests, stores, threads
from sfterm.server_file import ServerInfo, read_server_file


def start_server(data_dir: Path) -> tuple[subprocess.Popen[bytes], ServerInfo]:
    (data_dir / "server.json").unlink(missing_ok=True)
    child = subprocess.Popen(
        [sys.executable, "-m", "sfterm", "serve", "--demo", "--port", "0", "--data-dir",
         str(data_dir)],
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


def fill(data_dir: Path, n_requests: int, n_messages: int) -> dict[str, float]:
    """Bulk-insert the big shop; returns seconds taken per table."""
    engine = create_engine(f"sqlite:///{data_dir / 'sfterm.db'}")
    now = datetime.now(UTC)
    timings: dict[str, float] = {}
    with engine.begin() as conn:
        store_id = conn.execute(select(stores.c.id).where(stores.c.handle == "montreal")).scalar()
        me = conn.execute(
            select(associates.c.id, associates.c.relay_number).where(
                associates.c.handle == "camille"
            )
        ).one()
        t = time.perf_counter()
        rows = []
        for n in range(n_requests):
            lead = n % 2 == 0
            rows.append({
                "store_id": store_id,
                "associate_id": None if lead else me.id,
                "folder": "new_leads" if lead else "customer_requests",
                "status": "open",
                "source": "connect_widget" if lead else "storefront",
                "kind": "contact_me",
                "channel": "text",
                "name": f"Customer {n:06d}",
                "email": None,
                "phone": f"+1514{5550000 + n % 10000:07d}",
                "message": f"Request number {n}: do you have the wool coat in size M?",
                "created_at": now - timedelta(minutes=n_requests - n),
            })
        conn.execute(requests.insert(), rows)
        timings["requests"] = time.perf_counter() - t
        t = time.perf_counter()
        n_threads = max(n_messages // 500, 1)
        thread_rows = [
            {
                "store_id": store_id,
                "associate_id": me.id,
                "phone": f"+1438{5550000 + n:07d}",
                "relay_number": me.relay_number,
                "created_at": now - timedelta(days=30),
                "last_message_at": now - timedelta(minutes=n_threads - n),
                "activity_at": now - timedelta(minutes=n_threads - n),
                "unread_count": 0,
                "message_count": 500,
            }
            for n in range(n_threads)
        ]
        conn.execute(threads.insert(), thread_rows)
        first_thread = conn.execute(select(threads.c.id).order_by(threads.c.id)).scalar() or 1
        batch: list[dict[str, Any]] = []
        for n in range(n_messages):
            at = now - timedelta(seconds=n_messages - n)
            batch.append({
                "thread_id": first_thread + n % n_threads,
                "kind": "text",
                "direction": "inbound" if n % 2 else "outbound",
                "body": f"Message {n}",
                "status": "received" if n % 2 else "delivered",
                "automatic": False,
                "created_at": at,
                "updated_at": at,
            })
            if len(batch) == 100_000:
                conn.execute(messages.insert(), batch)
                batch = []
        if batch:
            conn.execute(messages.insert(), batch)
        timings["threads+messages"] = time.perf_counter() - t
    engine.dispose()
    return timings


async def measure(info: ServerInfo) -> dict[str, Any]:
    t_import = time.perf_counter()
    from sfterm.client.api import SftermClient
    from sfterm.tui.app import SftermApp
    from sfterm.tui.screens.main import MainScreen
    from sfterm.tui.session import Session

    results: dict[str, Any] = {"import app (s)": time.perf_counter() - t_import}
    client = SftermClient(info.url, info.associates["camille"])
    t = time.perf_counter()
    me = await client.me()
    results["GET /me (s)"] = time.perf_counter() - t

    async def next_frame(app: Any) -> None:
        done = asyncio.get_running_loop().create_future()
        app.call_after_refresh(lambda: done.done() or done.set_result(None))
        await done

    start = time.perf_counter()
    app = SftermApp(Session(client=client, me=me))
    async with app.run_test(size=(120, 36)) as pilot:
        while not (isinstance(app.screen, MainScreen) and app.screen.feeds["new_leads"].items):
            await asyncio.sleep(0.001)
        await next_frame(app)
        results["start → first frame with rows (s)"] = time.perf_counter() - start
        screen: Any = app.screen
        rows = screen.rows
        moves = []
        for _ in range(200):
            t = time.perf_counter()
            rows.action_cursor_down()
            await next_frame(app)
            moves.append(time.perf_counter() - t)
        results["cursor move → frame, median (ms)"] = statistics.median(moves) * 1000
        results["cursor move → frame, p95 (ms)"] = sorted(moves)[int(len(moves) * 0.95)] * 1000
        await pilot.press("3")
        latencies = []
        async with httpx.AsyncClient(timeout=10) as http:
            handset = "+15145559876"
            for n in range(21):
                body = f"bench text {n} {time.time_ns()}"
                t = time.perf_counter()
                response = await http.post(
                    f"{info.gateway_url}/sim/handsets/{handset}/messages",
                    json={"to": me.associate.relay_number, "body": body},
                )
                response.raise_for_status()
                feed = screen.feeds["threads"]
                deadline = time.perf_counter() + 10
                while time.perf_counter() < deadline:
                    top = feed.items[0] if feed.items else None
                    if top is not None and top.last_message and top.last_message.body == body:
                        break
                    await asyncio.sleep(0.0005)
                await next_frame(app)
                if n:  # the first one also opens the thread
                    latencies.append(time.perf_counter() - t)
        results["incoming text → frame, median (ms)"] = statistics.median(latencies) * 1000
        results["incoming text → frame, p95 (ms)"] = max(latencies) * 1000
        results["rows loaded in New Leads"] = len(screen.feeds["new_leads"].items)
    await client.aclose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sfterm-bench-") as tmp:
        data_dir = Path(tmp)
        child, _ = start_server(data_dir)
        stop_server(child)
        timings = fill(data_dir, args.requests, args.messages)
        for table, seconds in timings.items():
            print(f"bulk insert {table}: {seconds:.1f} s")
        child, info = start_server(data_dir)
        try:
            results = asyncio.run(measure(info))
        finally:
            stop_server(child)
    print(f"database: {args.requests:,} requests, {args.messages:,} messages")
    for name, value in results.items():
        print(f"{name:40} {value:.3f}" if isinstance(value, float) else f"{name:40} {value}")


if __name__ == "__main__":
    main()
