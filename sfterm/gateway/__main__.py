"""Runs the simulated carrier on its own: ``python -m sfterm.gateway --port 8766``."""

from __future__ import annotations

import argparse
import secrets
import sys

import uvicorn

from sfterm.gateway.app import create_gateway_app
from sfterm.gateway.config import DeliveryDelays, GatewayConfig


def _delays(text: str) -> DeliveryDelays:
    parts = [float(p) for p in text.split(",")]
    if len(parts) != 3:
        raise argparse.ArgumentTypeError("give three delays: sending,sent,delivered")
    try:
        return DeliveryDelays(*parts)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m sfterm.gateway", description="A simulated, Twilio-shaped SMS carrier."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--account-sid", default=None, help="AC + 32 hex (random if omitted)")
    parser.add_argument("--auth-token", default=None, help="random if omitted")
    parser.add_argument("--seed", type=int, default=None, help="make message SIDs reproducible")
    parser.add_argument(
        "--delays",
        type=_delays,
        default=DeliveryDelays(),
        help="seconds to sending, sent, delivered (e.g. 0.3,0.5,0.7)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    config = GatewayConfig(
        account_sid=args.account_sid or f"AC{secrets.token_hex(16)}",
        auth_token=args.auth_token or secrets.token_hex(16),
        delays=args.delays,
        seed=args.seed,
    )
    print(
        f"gateway on http://{args.host}:{args.port}\n"
        f"account_sid {config.account_sid}\nauth_token  {config.auth_token}",
        file=sys.stderr,
    )
    uvicorn.run(create_gateway_app(config), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
