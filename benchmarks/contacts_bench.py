"""Contact search on a book of 100,000 contacts: median and p95 per query shape, in ms.

    /tmp/venv/bin/python benchmarks/contacts_bench.py [--contacts 100000] [--runs 300]

Builds a fresh SQLite database in a temporary directory with the demo shop, bulk-inserts the
book (one associate's, rep mode; 1 to 3 numbers per contact), then times, for each shape:
- `search`: the search alone (`contact_search`: which contacts, in order, one page of 50);
- `page`: the whole answer of `GET /api/v1/contacts` minus HTTP (`contacts.list_contacts`:
  the search plus loading those 50 contacts and their numbers).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from sfterm.core.phones import phone_digits
from sfterm.core.text_fold import fold
from sfterm.demo.seed import seed_demo
from sfterm.server import contact_search
from sfterm.server.auth import load_viewer
from sfterm.server.contacts import list_contacts
from sfterm.server.db import Database, contact_phones, contacts

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


async def build(db: Database, n: int) -> Any:
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
    return viewer, len(numbers)


async def timed(fn: Callable[[], Awaitable[Any]], runs: int) -> tuple[float, float, Any]:
    result = await fn()  # warm up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return statistics.median(samples), p95, result


async def main(n: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        await db.start()
        started = time.perf_counter()
        viewer, phones = await build(db, n)
        print(
            f"book: {n:,} contacts, {phones:,} numbers, built in "
            f"{time.perf_counter() - started:.1f} s; {runs} runs per shape, page of 50\n"
        )
        print(f"{'shape':34} {'hits':>6} {'search med':>11} {'p95':>7} {'page med':>10} {'p95':>7}")
        async with db.read() as conn:
            shapes: list[tuple[str, dict[str, str]]] = [("book, first page", {})]
            shapes += [(label, {"q": q}) for label, q in NAME_SHAPES.items()]
            shapes += [(label, {"phone": p}) for label, p in PHONE_SHAPES.items()]
            for label, params in shapes:
                search = _search(conn, viewer, params)
                s_med, s_p95, (hits, _) = await timed(search, runs)

                async def page(params: dict[str, str] = params) -> Any:
                    return await list_contacts(
                        conn,
                        viewer,
                        q=params.get("q"),
                        phone=params.get("phone"),
                        before=None,
                        limit=50,
                    )

                p_med, p_p95, _ = await timed(page, runs)
                print(
                    f"{label:34} {len(hits):>6} {s_med:>9.3f}ms {s_p95:>5.3f}ms "
                    f"{p_med:>8.3f}ms {p_p95:>5.3f}ms"
                )
        await db.stop()


def _search(conn: Any, viewer: Any, params: dict[str, str]) -> Callable[[], Awaitable[Any]]:
    if "q" in params:
        key = fold(params["q"])
        return lambda: contact_search.by_name(conn, viewer, key, None, 50)
    if "phone" in params:
        digits = phone_digits(params["phone"])
        return lambda: contact_search.by_phone(conn, viewer, digits, None, 50)
    return lambda: contact_search.book_page(conn, viewer, None, 50)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(main(args.contacts, args.runs))
