"""`sfterm serve`: the backend and the bundled gateway, optionally with the demo shop."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sfterm.commands.common import add_data_dir, data_dir_of


def add_parser(sub: Any) -> None:
    serve = sub.add_parser("serve", help="run the backend and the simulated SMS gateway")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    add_data_dir(serve)
    serve.add_argument("--demo", action="store_true", help="seed the demo retailer and stores")
    serve.add_argument("--team-mode", action="store_true", help="with --demo: a team-mode retailer")
    serve.add_argument("--seed", type=int, default=0, help="random seed for the simulation")
    serve.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="with --demo: pace of the simulated customers (1.0 = a request every 20-40 s; "
        "10 = ten times faster; 0 = no simulated customers)",
    )
    serve.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fastapi import FastAPI

    from sfterm.config import ServerSettings
    from sfterm.runner import run_server
    from sfterm.server_file import ServerInfo

    if not 0 <= args.port <= 65535:
        print(f"sfterm serve: --port {args.port} is not a port (0 to 65535)", file=sys.stderr)
        return 2
    settings = ServerSettings.from_env(data_dir=data_dir_of(args), seed=args.seed)
    settings.host = args.host
    settings.port = args.port

    if args.speed < 0:
        print(f"sfterm serve: --speed {args.speed} must be 0 or more", file=sys.stderr)
        return 2

    async def seed(app: FastAPI) -> dict[str, str]:
        from sfterm.demo.run import demo_seeder

        seeder = demo_seeder(team_mode=args.team_mode, seed=args.seed, speed=args.speed)
        return await seeder(app)

    def ready(info: ServerInfo) -> None:
        print(f"sfterm backend on {info.url} (gateway {info.gateway_url})", flush=True)
        print(f"server.json: {settings.data_dir / 'server.json'}", flush=True)
        for handle, token in info.associates.items():
            print(f"  {handle}: {token}", flush=True)
        print("Ctrl+C stops it.", flush=True)

    try:
        run_server(settings, seeder=seed if args.demo else None, on_ready=ready)
    except OSError as exc:
        print(f"sfterm serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0
