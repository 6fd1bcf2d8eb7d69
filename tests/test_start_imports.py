"""What `sfterm` loads before its first frame: the cold start is mostly imports, so libraries
that the first frame does not need stay out of it (the issue's 0.5 s target)."""

from __future__ import annotations

import json
import subprocess
import sys

FIRST_FRAME_MODULES = [
    "sfterm.cli",
    "sfterm.client.prefetch",
    "sfterm.config",
    "sfterm.tui.app",
    "sfterm.tui.session",
    "sfterm.tui.screens.main",
]
"""What `sfterm` (commands/app.py) imports on its way to the main screen's first frame."""

NOT_BEFORE_THE_FIRST_FRAME = ["httpx", "httpx_sse", "fastapi", "sqlalchemy", "phonenumbers"]
"""The HTTP client and event stream load after the first frame (`Session.client`); the server's
libraries never load in the app."""


def test_the_first_frame_needs_no_http_client_and_no_server_library() -> None:
    script = (
        "import json, sys\n"
        f"for name in {FIRST_FRAME_MODULES!r}: __import__(name)\n"
        f"print(json.dumps([m for m in {NOT_BEFORE_THE_FIRST_FRAME!r} if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == []
