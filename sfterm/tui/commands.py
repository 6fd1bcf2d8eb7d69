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
    ("Go to Contacts", "folder('contacts')", "folder_contacts", "browse and search your book"),
    (
        "Go to Reports",
        "folder('reports')",
        "folder_reports",
        "KPIs: text/email preference, reply time, requests by day",
    ),
    ("Accept lead", "accept", "accept", "take the selected New Lead"),
    ("Reply", "reply", "reply", "answer the selected request"),
    ("Resolve or reopen", "resolve", "resolve", "resolve the selected request, or reopen it"),
    ("Add to contacts", "add_contact", "add_contact", "the selected customer's number"),
    ("Search this list", "search", "search", "filter by name, phone or message"),
    ("Next unread", "next_unread", "next_unread", "jump to the next unread row"),
)
"""(title, main-screen action, binding id, help)."""

REPORT_ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("Reports: today", "period('today')", "period_today", "the figures of today"),
    ("Reports: last 7 days", "period('7d')", "period_7d", "the figures of the last 7 days"),
    ("Reports: last 30 days", "period('30d')", "period_30d", "the figures of the last 30 days"),
    ("Reports: pick dates", "pick_period", "period_custom", "the figures from one day to another"),
    ("Reports: next scope", "cycle_scope", "scope_next", "associate, store or retailer"),
    (
        "Reports: overnight hours",
        "toggle_overnight",
        "overnight_toggle",
        "count or leave out 22:00–10:00 in reply times",
    ),
)
"""The same, on the Reports screen."""

CONTACT_ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("Contacts: search", "search", "search", "a name, or a number (3 digits or more)"),
    ("Contacts: edit", "edit", "contact_edit", "name, email, notes, or one more number"),
    ("Contacts: new contact", "new_contact", "contact_new", "write a contact by hand"),
    ("Go to New Leads", "folder('new_leads')", "folder_leads", "back to the lists"),
    ("Go to Customer Requests", "folder('customer_requests')", "folder_requests", "your requests"),
    ("Go to Text Messages", "folder('threads')", "folder_threads", "your text threads"),
)
"""The same, on the Contacts screen."""


class MainCommands(Provider):
    """Offers the main screen's actions, each with the key that does the same."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from sfterm.tui.screens.main import MainScreen
        from sfterm.tui.screens.reports import ReportsScreen

        screen = self.screen
        from sfterm.tui.screens.contacts import ContactsScreen

        if isinstance(screen, ReportsScreen):
            actions = REPORT_ACTIONS
        elif isinstance(screen, ContactsScreen):
            actions = CONTACT_ACTIONS
        elif isinstance(screen, MainScreen):
            actions = ACTIONS
        else:
            return []
        keymap = getattr(self.app, "user_keymap", {})
        found: list[tuple[str, Callable[[], object], str]] = []
        for title, action, binding_id, help_text in actions:

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
