"""The command palette (ctrl+p): the main screen's actions by name, for those who forget a key."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from sfterm.tui.keys import key_for

ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("Go to New Leads", "folder('new_leads')", "folder_leads", "show the store's unclaimed leads"),
    (
        "Go to Customer Requests",
        "folder('customer_requests')",
        "folder_requests",
        "show your requests",
    ),
    ("Go to Text Messages", "folder('threads')", "folder_threads", "show your text threads"),
    ("Accept lead", "accept", "accept", "take the selected New Lead"),
    ("Reply", "reply", "reply", "answer the selected request"),
    ("Resolve or reopen", "resolve", "resolve", "resolve the selected request, or reopen it"),
    ("Search this list", "search", "search", "filter by name, phone or message"),
    ("Next unread", "next_unread", "next_unread", "jump to the next unread row"),
)
"""(title, main-screen action, binding id, help)."""


class MainCommands(Provider):
    """Offers the main screen's actions, each with the key that does the same."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from sfterm.tui.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        keymap = getattr(self.app, "user_keymap", {})
        found: list[tuple[str, Callable[[], object], str]] = []
        for title, action, binding_id, help_text in ACTIONS:

            async def run(action: str = action) -> None:
                await screen.run_action(action)

            found.append((title, run, f"{help_text} (key {key_for(binding_id, keymap)})"))
        return found

    async def discover(self) -> Hits:
        for title, run, help_text in self._commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, run, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)
