"""Every key of the app: binding ids, the help groups, and the user's `[keys]` rebinding table.

A user rebinds a key by its id in the config file (`sfterm.config.config_file_path()`):

    [keys]
    accept = "A"
    cursor_down = "j,down,ctrl+n"

The app applies the table with `App.set_keymap`; help shows the keys as they are after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.text import Text
from textual.binding import Binding

MOVE = "Move"
FOLDERS = "Folders"
ACTIONS = "Act on the selected item"
APP = "App"
REPORTS = "Reports"

GROUP_ORDER = (MOVE, FOLDERS, ACTIONS, REPORTS, APP)
"""Help shows the groups in this order; bindings of other screens follow under their own title."""

GROUP_OF: dict[str, str] = {}
"""Binding id → help group, filled by `bind` below."""


def bind(
    key: str,
    action: str,
    description: str,
    *,
    id: str,
    group: str,
    show: bool = True,
    priority: bool = False,
    key_display: str | None = None,
) -> Binding:
    """A Binding with an id (so `[keys]` can rebind it), remembered in its help group."""
    GROUP_OF[id] = group
    return Binding(
        key,
        action,
        description,
        id=id,
        show=show,
        priority=priority,
        key_display=key_display,
        tooltip=description,
    )


# ---- the list (VirtualList) -------------------------------------------------------------------

LIST_BINDINGS = [
    bind("j,down", "cursor_down", "Down", id="cursor_down", group=MOVE, show=False),
    bind("k,up", "cursor_up", "Up", id="cursor_up", group=MOVE, show=False),
    bind("g,home", "first", "First", id="first", group=MOVE, show=False),
    bind("G,end", "last", "Last loaded (again: load more)", id="last", group=MOVE, show=False),
    bind("pagedown", "page_down", "Page down", id="page_down", group=MOVE, show=False),
    bind("pageup", "page_up", "Page up", id="page_up", group=MOVE, show=False),
]

# ---- the main screen --------------------------------------------------------------------------

MAIN_BINDINGS = [
    bind("1", "folder('new_leads')", "New Leads", id="folder_leads", group=FOLDERS, show=False),
    bind(
        "2",
        "folder('customer_requests')",
        "Customer Requests",
        id="folder_requests",
        group=FOLDERS,
        show=False,
    ),
    bind("3", "folder('threads')", "Text Messages", id="folder_threads", group=FOLDERS, show=False),
    bind("4", "folder('contacts')", "Contacts", id="folder_contacts", group=FOLDERS, show=False),
    bind("5", "folder('reports')", "Reports", id="folder_reports", group=FOLDERS, show=False),
    bind("tab", "next_pane", "Next pane", id="next_pane", group=MOVE, show=False),
    bind("shift+tab", "previous_pane", "Previous pane", id="previous_pane", group=MOVE, show=False),
    bind("n", "next_unread", "Next unread", id="next_unread", group=MOVE),
    bind("enter", "open", "Open", id="open", group=ACTIONS),
    bind("a", "accept", "Accept", id="accept", group=ACTIONS),
    bind("r", "reply", "Reply", id="reply", group=ACTIONS),
    bind("x", "resolve", "Resolve/reopen", id="resolve", group=ACTIONS),
    bind("c", "add_contact", "Add to contacts", id="add_contact", group=ACTIONS),
    bind("slash", "search", "Search", id="search", group=ACTIONS, key_display="/"),
    bind("escape", "back", "Back", id="back", group=MOVE, show=False),
]

# ---- the reports screen (KPIs) ---------------------------------------------------------------

REPORTS_BINDINGS = [
    bind("t", "period('today')", "Today", id="period_today", group=REPORTS),
    bind("w", "period('7d')", "7 days", id="period_7d", group=REPORTS),
    bind("m", "period('30d')", "30 days", id="period_30d", group=REPORTS),
    bind(
        "left_square_bracket",
        "cycle_period(-1)",
        "Shorter period",
        id="period_previous",
        group=REPORTS,
        show=False,
        key_display="[",
    ),
    bind(
        "right_square_bracket",
        "cycle_period(1)",
        "Longer period",
        id="period_next",
        group=REPORTS,
        show=False,
        key_display="]",
    ),
    bind("s", "cycle_scope", "Scope", id="scope_next", group=REPORTS),
    bind("o", "toggle_overnight", "Overnight hours", id="overnight_toggle", group=REPORTS),
    bind("p", "pick_period", "Pick dates", id="period_custom", group=REPORTS),
]

REPORT_PERIOD_BINDINGS = [
    bind("escape", "cancel", "Cancel", id="report_period_cancel", group=MOVE, key_display="Esc"),
]
"""The From/To dialog's own keys (Enter shows the period and Tab moves between the dates, as in
any form)."""

# ---- the contacts screen and the Add-to-Contacts dialog ---------------------------------------

CONTACTS = "Contacts"

CONTACTS_BINDINGS = [
    bind("e", "edit", "Edit contact", id="contact_edit", group=CONTACTS),
    bind("n", "new_contact", "New contact", id="contact_new", group=CONTACTS),
]

CONTACT_EDIT = "Edit contact"

CONTACT_EDIT_BINDINGS = [
    bind("escape", "cancel", "Cancel", id="contact_edit_cancel", group=MOVE, key_display="Esc"),
]
"""The edit dialog's own keys (Enter saves and Tab moves between fields, as in any form)."""

CONTACT_NUMBER_BINDINGS = [
    bind("delete,d", "ask_remove", "Remove number", id="contact_number_remove", group=CONTACT_EDIT),
    bind("y", "confirm_remove", "Yes, remove it", id="contact_number_confirm", group=CONTACT_EDIT),
    bind("n,escape", "keep", "No, keep it", id="contact_number_keep", group=CONTACT_EDIT),
]
"""The keys of the edit dialog's list of numbers: ask to remove the highlighted one, then
confirm or keep it (the last two act only while the question is shown)."""

ADD_CONTACT_BINDINGS = [
    *(
        bind(
            f"alt+{n},{n}",
            f"choose({n})",
            title,
            id=f"add_contact_{key}",
            group="Add to contacts",
            show=False,
            key_display=f"alt+{n}",
        )
        for n, key, title in (
            (1, "new", "New contact"),
            (2, "existing", "Add to a contact"),
            (3, "by_name", "Search by name"),
            (4, "by_number", "Search by number"),
        )
    ),
    bind("escape", "cancel", "Cancel", id="add_contact_cancel", group=MOVE, key_display="Esc"),
]

# ---- the app ----------------------------------------------------------------------------------

APP_BINDINGS = [
    bind("question_mark,f1", "help", "Help", id="help", group=APP, key_display="?"),
    bind("ctrl+p", "command_palette", "Commands", id="command_palette", group=APP, show=False),
    bind("q", "quit", "Quit", id="quit", group=APP),
]


def keymap_from_config(config: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The `[keys]` table as a Textual keymap, and a complaint for each entry that is not usable.

    Values are a key string ("A", "ctrl+a", "j,down") or a list of them.
    """
    table = config.get("keys", {})
    keymap: dict[str, str] = {}
    problems: list[str] = []
    if not isinstance(table, Mapping):
        return keymap, ["[keys] must be a table of binding id = key"]
    for binding_id, value in table.items():
        if binding_id not in GROUP_OF:
            problems.append(f"[keys] {binding_id}: no such key binding")
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ",".join(value)
        if not isinstance(value, str) or not value.strip():
            problems.append(f'[keys] {binding_id}: expected a key such as "A" or "ctrl+a"')
            continue
        keymap[binding_id] = ",".join(part.strip() for part in value.split(","))
    return keymap, problems


def key_label(key: str) -> str:
    """A key as people write it: `question_mark` → `?`, `ctrl+p` → `ctrl+p`."""
    names = {
        "question_mark": "?",
        "slash": "/",
        "escape": "Esc",
        "enter": "Enter",
        "tab": "Tab",
        "shift+tab": "Shift+Tab",
        "down": "↓",
        "up": "↑",
        "home": "Home",
        "end": "End",
        "pagedown": "PgDn",
        "pageup": "PgUp",
        "f1": "F1",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "delete": "Del",
    }
    return names.get(key, key)


def default_keys() -> dict[str, str]:
    """Binding id → its key string as the code defines it."""
    return {
        b.id: b.key
        for b in (
            *LIST_BINDINGS,
            *MAIN_BINDINGS,
            *REPORTS_BINDINGS,
            *REPORT_PERIOD_BINDINGS,
            *CONTACTS_BINDINGS,
            *CONTACT_EDIT_BINDINGS,
            *CONTACT_NUMBER_BINDINGS,
            *ADD_CONTACT_BINDINGS,
            *APP_BINDINGS,
        )
        if b.id is not None
    }


def key_for(binding_id: str, keymap: Mapping[str, str]) -> str:
    """The first key that triggers `binding_id` now (after the user's `[keys]`), for display."""
    keys = keymap.get(binding_id) or default_keys().get(binding_id, "")
    return key_label(keys.split(",")[0].strip()) if keys else ""


def key_hints(pairs: Iterable[tuple[str, str]], *, after: str = "  ") -> Text:
    """A line of keys and what they do (` Enter  save  `), each key shown as a key cap; `after`
    follows each entry."""
    text = Text()
    for key, what in pairs:
        text.append(f" {key} ", "reverse bold")
        text.append(f" {what}{after}")
    return text
