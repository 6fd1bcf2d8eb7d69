"""`sfterm phone NUMBER`: play a customer, with one simulated handset of the running gateway."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sfterm.commands.common import add_data_dir, find_server


def add_parser(sub: Any) -> None:
    phone = sub.add_parser(
        "phone",
        help="be a customer: one simulated handset's texts, and a line to text the store",
        description="Show the texts of one simulated handset, live, and text the store's or an "
        "associate's number from it. Run it beside `sfterm demo` to try both sides.",
    )
    phone.add_argument("number", help="the handset's number, e.g. '514 555 0142' or +15145550142")
    add_data_dir(phone)
    phone.add_argument(
        "--gateway",
        default=None,
        help="the gateway's base URL (default: gateway_url of the running server's server.json)",
    )
    phone.add_argument("--region", default="CA", help="region for numbers without + (CA)")
    phone.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sfterm.core.phones import InvalidPhone, parse_phone

    try:
        phone = parse_phone(args.number, args.region)
    except InvalidPhone as exc:
        print(f"sfterm phone: {exc}", file=sys.stderr)
        return 2
    gateway = args.gateway
    if not gateway:
        info, looked = find_server(Path(args.data_dir) if args.data_dir else None)
        if info is None:
            places = " or ".join(str(p / "server.json") for p in looked)
            print(
                f"sfterm phone: no running server with a gateway ({places} not found).\n"
                "Start one first: `sfterm demo` (or `sfterm serve --demo`), or pass --gateway URL.",
                file=sys.stderr,
            )
            return 1
        if not info.gateway_url:
            print(
                f"sfterm phone: the server at {info.url} has no simulated gateway; "
                "pass --gateway URL.",
                file=sys.stderr,
            )
            return 1
        gateway = info.gateway_url

    from sfterm.client.handset import HandsetClient
    from sfterm.tui.phone.app import PhoneApp

    client = HandsetClient(gateway)
    PhoneApp(client, phone, region=args.region).run()
    return 0
