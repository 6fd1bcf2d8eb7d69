"""Settings: where data and config live (platformdirs), the TOML config file, SFTERM_* variables."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "sfterm"


def utcnow() -> datetime:
    return datetime.now(UTC)


def default_data_dir() -> Path:
    """`SFTERM_DATA_DIR` if set, else the platform's user data directory for sfterm."""
    env = os.environ.get("SFTERM_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """`SFTERM_STATE_DIR` if set, else the platform's user state directory for sfterm (what the
    app keeps between runs: texts waiting to be sent)."""
    env = os.environ.get("SFTERM_STATE_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def outbox_path(server_url: str, associate_id: int) -> Path:
    """The file of one associate's waiting texts for one server (`127.0.0.1-8765-a3.json`)."""
    from urllib.parse import urlsplit

    where = re.sub(r"[^A-Za-z0-9.]+", "-", urlsplit(server_url).netloc or server_url).strip("-")
    return state_dir() / "outbox" / f"{where}-a{associate_id}.json"


def config_file_path() -> Path:
    """`SFTERM_CONFIG` if set, else `config.toml` in the platform's user config directory."""
    env = os.environ.get("SFTERM_CONFIG")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def load_config_file(path: Path | None = None) -> dict[str, Any]:
    """The user's TOML config as a dict; an absent file is an empty config.

    A file that is not valid TOML raises ValueError naming the file and the line.
    """
    path = path or config_file_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    import tomllib  # only with a file to read: ~3 ms of the app's start otherwise

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: {exc}") from None


@dataclass
class ServerSettings:
    """Everything the backend needs to start; tests build one directly."""

    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str | None = None
    """SQLAlchemy async URL; default: SQLite `sfterm.db` in `data_dir`."""
    host: str = "127.0.0.1"
    port: int = 8765
    public_url: str | None = None
    """The backend's base URL as the gateway and customers reach it (known once bound)."""
    gateway_url: str | None = None
    """Twilio-wire base URL; default: the bundled gateway at `{public_url}/gateway`."""
    twilio_account_sid: str = field(default_factory=lambda: "AC" + secrets.token_hex(16))
    twilio_auth_token: str = field(default_factory=lambda: secrets.token_hex(16))
    bundled_gateway: bool = True
    gateway_delays: tuple[float, float, float] = (0.3, 0.5, 0.7)
    heartbeat_seconds: float = 15.0
    clock: Callable[[], datetime] = utcnow
    seed: int = 0

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'sfterm.db'}"

    @classmethod
    def from_env(cls, **overrides: Any) -> ServerSettings:
        """Defaults, then `[server]` of the config file, then SFTERM_* variables, then overrides."""
        values: dict[str, Any] = {}
        server_cfg = load_config_file().get("server", {})
        for key in ("database_url", "gateway_url", "twilio_account_sid", "twilio_auth_token"):
            if key in server_cfg:
                values[key] = str(server_cfg[key])
        env_map = {
            "SFTERM_DATABASE_URL": "database_url",
            "SFTERM_GATEWAY_URL": "gateway_url",
            "SFTERM_TWILIO_ACCOUNT_SID": "twilio_account_sid",
            "SFTERM_TWILIO_AUTH_TOKEN": "twilio_auth_token",
        }
        for env, key in env_map.items():
            if os.environ.get(env):
                values[key] = os.environ[env]
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "gateway_url" in values:
            values.setdefault("bundled_gateway", False)
        return cls(**values)
