"""`sfterm` (and `sfterm app`): open the associate's terminal against a running server."""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sfterm.commands.common import add_data_dir, find_server

if TYPE_CHECKING:
    from sfterm.client.api import SftermClient
    from sfterm.client.prefetch import Prefetch
    from sfterm.core.models import Me

NO_SERVER = """\
sfterm: no server found ({where}).
Run `sfterm demo` to try the demo shop (server and app in one command),
or start a server with `sfterm serve --demo` and run `sfterm` again,
or pass `--server URL --token TOKEN`."""


def add_options(parser: argparse.ArgumentParser) -> None:
    """The app's options; bare `sfterm` takes them too."""
    parser.add_argument("--server", metavar="URL", help="the backend's URL (default: server.json)")
    parser.add_argument("--token", help="your bearer token (default: from server.json with --as)")
    parser.add_argument(
        "--as",
        dest="handle",
        metavar="HANDLE",
        help="sign in as this demo associate (a token from server.json); default: the first",
    )
    if not any(a.dest == "data_dir" for a in parser._actions):
        add_data_dir(parser)


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("app", help="open the associate's terminal (what bare `sfterm` does)")
    add_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    url: str | None = getattr(args, "server", None)
    token: str | None = getattr(args, "token", None)
    handle: str | None = getattr(args, "handle", None)
    info, looked = find_server(Path(args.data_dir) if args.data_dir else None)
    if url is None:
        if info is None:
            where = " or ".join(str(p / "server.json") for p in looked)
            print(NO_SERVER.format(where=f"no live {where}"), file=sys.stderr)
            return 1
        url = info.url
    if token is None:
        associates = info.associates if info is not None else {}
        if not associates:
            print(f"sfterm: --token is needed for {url}", file=sys.stderr)
            return 2
        handle = handle or next(iter(associates))
        token = associates.get(handle)
        if token is None:
            known = ", ".join(associates)
            print(f"sfterm: --as {handle}: no such demo associate (try {known})", file=sys.stderr)
            return 2
    return open_app(url, token)


def open_app(url: str, token: str) -> int:
    """Sign in, then run the app until the associate quits. Returns the exit status."""
    from sfterm.client.prefetch import Prefetch
    from sfterm.config import load_config_file

    prefetch = Prefetch(url, token)  # the server answers while the app's modules load
    try:
        config = load_config_file()
    except ValueError as exc:
        print(f"sfterm: {exc}", file=sys.stderr)
        return 2
    # Until the first frame the start only makes objects that live as long as the app (modules,
    # classes, styles): collecting garbage among them is wasted time (~30 ms of the start).
    gc.disable()
    try:
        return asyncio.run(_run_app(url, token, config, prefetch))
    finally:
        gc.enable()


def _collect_from_now_on() -> None:
    """The first frame is on screen: what the start made is set aside for good (later
    collections do not walk it again), and garbage is collected from here on."""
    gc.freeze()
    gc.enable()


async def _run_app(url: str, token: str, config: dict[str, Any], prefetch: Prefetch) -> int:
    from sfterm.config import outbox_path
    from sfterm.tui.app import SftermApp
    from sfterm.tui.outbox import Outbox
    from sfterm.tui.session import Session, prefetched

    me, first_pages = await asyncio.to_thread(prefetched, prefetch)
    if me is None:  # not prefetched: ask, and say what went wrong
        me = await _sign_in(url, token)
        if me is None:
            return 1
    # the API client (and httpx) is made on first use, after the first frame is painted
    session = Session(
        me=me,
        connect=partial(_client, url, token),
        first_pages=first_pages,
        outbox=Outbox.kept_in(outbox_path(url, me.associate.id)),
    )
    try:
        app = SftermApp(session, config=config, on_first_frame=_collect_from_now_on)
        await app.run_async()
    finally:
        if session.connected:
            await session.client.aclose()
    return 0


def _client(url: str, token: str) -> SftermClient:
    from sfterm.client.api import SftermClient

    return SftermClient(url, token)


async def _sign_in(url: str, token: str) -> Me | None:
    """Who `token` signs in as; None, having said why on stderr, when the server says no."""
    from sfterm.client.api import ApiError, Unreachable

    async with _client(url, token) as client:
        try:
            return await client.me()
        except Unreachable:
            print(f"sfterm: cannot reach the server at {url}. Is it running?", file=sys.stderr)
        except ApiError as exc:
            print(f"sfterm: {url}: {exc.message}", file=sys.stderr)
    return None
