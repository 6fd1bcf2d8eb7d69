"""Contact search on a book of 100,000 contacts: median and p95 per query shape, in ms.

    /tmp/venv/bin/python benchmarks/contacts_bench.py [--contacts 100000] [--runs 300]
        [--rounds 3] [--db PATH]

Builds a SQLite database with the demo shop and bulk-inserts the book (one associate's, rep
mode; 1 to 3 numbers per contact), in a temporary directory or at `--db` (kept, and reused by
the next run with the same path). Then, for each query shape, times a page of 50:
- `search`: `contact_search.find`, everything the database does (which contacts, in order, and
  their rows and numbers: one call into the database thread);
- `page`: `contacts.list_contacts`, the search plus the `ContactOut` objects;
- `http`: `GET /api/v1/contacts` through httpx's ASGITransport: the page plus taking a pooled
  connection, signing in (the token's associate), FastAPI's checks and the JSON.
(`search` and `page` run on one connection held open, as the route does within a request.)
Other work on the machine moves the figures: the measurement is done `--rounds` times and each
shape keeps its best round (lowest median, with that round's p95); the load average is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from sfterm.config import ServerSettings
from sfterm.core.phones import phone_digits
from sfterm.core.text_fold import fold
from sfterm.demo.seed import seed_demo
from sfterm.server import contact_search
from sfterm.server.app import create_app
from sfterm.server.auth import Viewer, hash_token, load_viewer
from sfterm.server.contacts import list_contacts
from sfterm.server.db import Database, associates, contact_phones, contacts

TOKEN = "contacts-bench"
"""Camille's token in the benchmark's database (set at each run: a kept database is reused)."""

FIRST = (  # noqa: SIM905 (names read better as text)
    "Élodie Camille Mathieu Amélie Gabriel Léa Olivier Chloé Félix Zoé Étienne Béatrice Noah "
    "Maëlle Thomas Jérôme Anaïs Louis Émile Florence Hélène Raphaël Juliette Antoine Rosalie "
    "Nathan Océane Samuel Clémence William Laurence Jacob Justine Alexis Mégane Benjamin Sophie "
    "Marie Anne Pierre Jean Luc Priya Arjun Wei Mei Hiroshi Yuki Fatima Omar Aïcha Youssef "
    "Ioana Mihai Sven Ingrid Łukasz Zofia Dmitri Olga Kwame Ama Santiago Lucía José María "
    "Siobhan Seán Niamh Connor Ava Liam Emma Olivia Ethan Mia Lucas Isabella Logan Charlotte"
).split()
LAST = (  # noqa: SIM905
    "Gagnon Tremblay Roy Côté Bouchard Gauthier Morin Lavoie Fortin Gagné Ouellet Pelletier "
    "Bélanger Lévesque Bergeron Leblanc Paquette Girard Simard Boucher Caron Beaulieu Cloutier "
    "Dubé Poirier Fournier Lapointe Leclerc Lefebvre Poulin Thibault St-Pierre Nadeau Martin "
    "Landry Martel Bédard Grenier Lessard Mercier Sharma Patel Singh Chen Wang Li Nguyen Tran "
    "Kim Park Sato Suzuki Haddad Khalil Mansour Popescu Ionescu Nowak Kowalski Ivanov Petrov "
    "Mensah Owusu García Rodríguez Fernández López O'Brien Murphy Kelly Smith Johnson Brown "
    "Williams Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson White Harris"
).split()
AREAS = ("514", "438", "450", "579", "819", "418", "613", "416", "647", "905")
LABELS = ("mobile", "home", "work")

NAME_SHAPES = {
    "name prefix 3 (elo)": "elo",
    "name prefix, accents (ÉLOD)": "ÉLOD",
    "name substring 3 (lod)": "lod",
    "name substring 4 (agno)": "agno",
    "name surname (gagnon)": "gagnon",
    "name full (marie tremblay)": "marie tremblay",
    "name common 3 (ann)": "ann",
    "name 1 char (m)": "m",
    "name 2 chars (ga)": "ga",
    "name no match (qzx)": "qzx",
}
PHONE_SHAPES = {
    "phone 514 555": "514 555",
    "phone (514) 555-01": "(514) 555-01",
    "phone +1514555": "+1514555",
    "phone 5550123": "5550123",
    "phone full +1 514 555 0123": "+1 514 555 0123",
    "phone 3 digits (514)": "514",
    "phone 4 digits (0123)": "0123",
    "phone no match (99999999)": "99999999",
}


def make_book(n: int, store_id: int, associate_id: int) -> tuple[list[dict[str, Any]], list[Any]]:
    rng = random.Random(20261102)
    now = datetime(2026, 11, 2, tzinfo=UTC)
    people: list[dict[str, Any]] = []
    numbers: list[tuple[int, str, str]] = []
    for i in range(1, n + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        people.append(
            {
                "store_id": store_id,
                "associate_id": associate_id,
                "name": name,
                "name_key": fold(name),
                "email": None,
                "notes": "",
                "origin": "import",
                "created_at": now,
                "updated_at": now,
            }
        )
        for k in range(rng.choice((1, 1, 1, 2, 2, 3))):
            exchange = "555" if rng.random() < 0.01 else str(rng.randint(200, 999))
            e164 = f"+1{rng.choice(AREAS)}{exchange}{rng.randint(0, 9999):04d}"
            numbers.append((i, e164, LABELS[k]))
    return people, numbers


async def build(db: Database, n: int) -> int:
    """The demo shop and Camille's book of `n` contacts; the number of their numbers."""
    tokens = await seed_demo(db)
    viewer = await load_viewer(db, tokens["camille"])
    assert viewer is not None
    people, numbers = make_book(n, viewer.store_id, viewer.id)
    async with db.write() as conn:
        first = (await conn.execute(select(contacts.c.id).order_by(contacts.c.id.desc()))).scalar()
        base = int(first or 0)
        await conn.execute(contacts.insert(), people)
        await conn.execute(
            contact_phones.insert(),
            [
                {"contact_id": base + i, "phone": p, "digits": phone_digits(p), "label": label}
                for i, p, label in numbers
            ],
        )
    async with db.write() as conn:
        await conn.exec_driver_sql("ANALYZE")
    return len(numbers)


Shape = tuple[str, dict[str, str]]
Figures = dict[str, tuple[float, float]]
"""Per measured step: the median and p95, in ms."""


async def timed(fn: Callable[[], Awaitable[Any]], runs: int) -> tuple[float, float]:
    await fn()  # warm up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return statistics.median(samples), p95


def shapes() -> list[Shape]:
    found: list[Shape] = [("book, first page", {})]
    found += [(label, {"q": q}) for label, q in NAME_SHAPES.items()]
    found += [(label, {"phone": p}) for label, p in PHONE_SHAPES.items()]
    return found


async def measure(
    conn: Any, http: httpx.AsyncClient, viewer: Viewer, shape: Shape, runs: int
) -> tuple[int, Figures]:
    """How many contacts the first page has, and the figures of each step."""
    _, params = shape
    search = _search(conn, viewer, params)
    found = await search()

    async def page() -> Any:
        return await list_contacts(
            conn, viewer, q=params.get("q"), phone=params.get("phone"), before=None, limit=50
        )

    async def over_http() -> Any:
        response = await http.get("/api/v1/contacts", params={**params, "limit": "50"})
        assert response.status_code == 200, response.text
        return response

    figures = {
        "search": await timed(search, runs),
        "page": await timed(page, runs),
        "http": await timed(over_http, runs),
    }
    return len(found.contacts), figures


def _search(conn: Any, viewer: Viewer, params: dict[str, str]) -> Callable[[], Awaitable[Any]]:
    key = fold(params["q"]) if "q" in params else None
    digits = phone_digits(params["phone"]) if "phone" in params else None

    async def search() -> contact_search.Found:
        return await contact_search.find(conn, viewer, key=key, digits=digits, limit=50)

    return search


async def open_book(path: Path, n: int) -> tuple[Database, str]:
    """The database at `path` with its book (built if the file is new), and how it came."""
    fresh = not path.exists()
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.start()
    if fresh:
        started = time.perf_counter()
        numbers = await build(db, n)
        how = f"built in {time.perf_counter() - started:.1f} s"
    else:
        async with db.read() as conn:
            numbers = await _count(conn, contact_phones)
        how = f"reused from {path}"
    async with db.write() as conn:
        await conn.execute(
            associates.update()
            .where(associates.c.handle == "camille")
            .values(token_hash=hash_token(TOKEN))
        )
    async with db.read() as conn:
        book = await _count(conn, contacts)
    return db, f"book: {book:,} contacts, {numbers:,} numbers, {how}"


async def _count(conn: Any, table: Any) -> int:
    return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


async def main(n: int, runs: int, rounds: int, path: Path) -> None:
    db, built = await open_book(path, n)
    print(f"{built}; {runs} runs per shape and step, page of 50, best of {rounds} rounds")
    settings = ServerSettings(data_dir=path.parent, bundled_gateway=False)
    app = create_app(settings, db)
    async with app.router.lifespan_context(app):
        viewer = await load_viewer(db, TOKEN)
        assert viewer is not None
        best: dict[str, tuple[int, Figures]] = {}
        async with (
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://bench.test",
                headers={"Authorization": f"Bearer {TOKEN}"},
            ) as http,
            db.read() as conn,
        ):
            for r in range(1, rounds + 1):
                print(f"round {r}: {_load()}", flush=True)
                for shape in shapes():
                    hits, figures = await measure(conn, http, viewer, shape, runs)
                    kept = best.setdefault(shape[0], (hits, figures))[1]
                    for step, (median, p95) in figures.items():
                        if median < kept[step][0]:
                            kept[step] = (median, p95)
            print(f"after: {_load()}\n")
    header = "".join(f"{step + ' med':>12} {'p95':>7}" for step in ("search", "page", "http"))
    print(f"{'shape':30} {'hits':>5}{header}")
    for label, (hits, figures) in best.items():
        row = "".join(f"{med:>10.3f}ms {p95:>5.2f}ms" for med, p95 in figures.values())
        print(f"{label:30} {hits:>5}{row}")


def run(args: argparse.Namespace) -> None:
    if args.db is not None:
        asyncio.run(main(args.contacts, args.runs, args.rounds, Path(args.db)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(main(args.contacts, args.runs, args.rounds, Path(tmp) / "bench.db"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", help="keep the database here (reused if it exists)")
    run(parser.parse_args())
