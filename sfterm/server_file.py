"""`server.json`: how the TUI, the phone view and the CLI find a running server."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

FILE_NAME = "server.json"


@dataclass
class ServerInfo:
    url: str
    gateway_url: str
    pid: int
    account_sid: str
    auth_token: str
    associates: dict[str, str] = field(default_factory=dict)
    """For a demo seed: each associate's handle → bearer token."""


def write_server_file(data_dir: Path, info: ServerInfo) -> Path:
    """Write atomically with mode 0600: it holds tokens."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / FILE_NAME
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(info), fh, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def read_server_file(data_dir: Path) -> ServerInfo | None:
    """The running server's details, or None when there is no (readable) file."""
    path = data_dir / FILE_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return ServerInfo(**raw)
    except (FileNotFoundError, json.JSONDecodeError, TypeError):
        return None


def remove_server_file(data_dir: Path, pid: int) -> None:
    """Remove the file if it still describes this process."""
    info = read_server_file(data_dir)
    if info is not None and info.pid == pid:
        (data_dir / FILE_NAME).unlink(missing_ok=True)
