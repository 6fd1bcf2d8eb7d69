"""Help: every key of the screen underneath and of the app, grouped, read from the bindings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from sfterm.tui.keys import GROUP_OF, GROUP_ORDER, key_label


def _own_bindings(node: DOMNode) -> Iterable[Binding]:
    """The bindings sfterm's classes declare for `node` (Textual's built-in ones are left out)."""
    for cls in reversed(type(node).__mro__):
        if not cls.__module__.startswith("sfterm."):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding):
                yield binding


def collect_keys(
    nodes: Iterable[DOMNode], keymap: Mapping[str, str], other: str
) -> dict[str, list[tuple[str, str]]]:
    """Group title → [(keys, description)], each binding id once, keys as rebound by `keymap`."""
    groups: dict[str, list[tuple[str, str]]] = {}
    seen: set[str] = set()
    for node in nodes:
        for binding in _own_bindings(node):
            ident = binding.id or f"{binding.key}:{binding.action}"
            if ident in seen:
                continue
            seen.add(ident)
            keys = keymap.get(binding.id or "", binding.key)
            shown = " ".join(key_label(k.strip()) for k in keys.split(","))
            group = GROUP_OF.get(binding.id or "", other)
            groups.setdefault(group, []).append((shown, binding.description or binding.action))
    ordered = {g: groups[g] for g in GROUP_ORDER if g in groups}
    ordered.update({g: rows for g, rows in groups.items() if g not in ordered})
    return ordered


def help_view(groups: Mapping[str, list[tuple[str, str]]]) -> RenderableType:
    parts: list[RenderableType] = []
    for title, rows in groups.items():
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True, min_width=14)
        table.add_column()
        for keys, what in rows:
            table.add_row(keys, what)
        parts += [Text(title, style="bold underline"), table, Text()]
    parts.append(
        Text(
            'Keys can be changed in the [keys] table of the config file, e.g. accept = "A".',
            style="dim",
        )
    )
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """Every key, grouped. Esc, q, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; height: auto; max-height: 90%;
        border: round $accent; padding: 1 2; background: $surface;
    }
    """

    def __init__(self, target: Screen[object]) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        keymap = getattr(self.app, "user_keymap", {})
        nodes = [self.app, self.target, *self.target.walk_children()]
        title = self.target.__class__.__name__.removesuffix("Screen") or "This screen"
        groups = collect_keys(nodes, keymap, other=title)
        scroll = VerticalScroll()
        scroll.border_title = "Keys"
        with scroll:
            yield Static(help_view(groups))
