"""The gateway's own command line: ``python -m sfterm.gateway``."""

from __future__ import annotations

import pytest

from sfterm.gateway.__main__ import parse_args
from sfterm.gateway.config import DeliveryDelays, GatewayConfig


def test_defaults_listen_on_loopback() -> None:
    args = parse_args([])
    assert (args.host, args.port, args.delays) == ("127.0.0.1", 8766, DeliveryDelays())


def test_delays_are_given_as_three_seconds() -> None:
    assert parse_args(["--delays", "0,0.1,2"]).delays == DeliveryDelays(0, 0.1, 2)
    with pytest.raises(SystemExit):
        parse_args(["--delays", "1,2"])
    with pytest.raises(SystemExit):
        parse_args(["--delays", "1,-2,3"])


def test_config_refuses_a_malformed_account_sid() -> None:
    with pytest.raises(ValueError, match="account_sid"):
        GatewayConfig(account_sid="AC123", auth_token="x")
    with pytest.raises(ValueError, match="auth_token"):
        GatewayConfig(account_sid="AC" + "0" * 32, auth_token="")
