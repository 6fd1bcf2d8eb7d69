"""Choosing what goes with a text: products from the catalogue, the storefront link, an image URL.

The product list follows the search box as the associate types. Returns the chosen attachments
(as `AttachmentChoice`, an `AttachmentIn` with a label), or None on Esc.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar
from urllib.parse import urlsplit

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from sfterm.client.errors import ApiError, Unreachable
from sfterm.core.models import AttachmentIn, AttachmentKind, Product
from sfterm.tui.keys import MOVE, bind
from sfterm.tui.session import Session
from sfterm.tui.text import one_line, safe_text
from sfterm.tui.widgets.composer import AttachmentChoice, attachment_label

ATTACH = "Attachments"
MAX_ATTACHMENTS = 10
SHOWN_PRODUCTS = 50


class HttpUrl(Validator):
    """An image address the carrier can fetch: http or https, with a host."""

    def validate(self, value: str) -> ValidationResult:
        parts = urlsplit(value.strip())
        if parts.scheme.lower() not in ("http", "https"):
            return self.failure("image URL: must start with http:// or https://")
        if not parts.netloc or " " in value.strip():
            return self.failure("image URL: needs a host, like https://example.com/a.jpg")
        return self.success()


def product_choice(product: Product) -> AttachmentChoice:
    label = f"↗ {safe_text(product.name)} · {safe_text(product.price)}"
    return AttachmentChoice(
        kind=AttachmentKind.PRODUCT, product_id=product.id, url=None, label=label
    )


def product_prompt(product: Product) -> Text:
    text = Text(one_line(product.name, 44).ljust(46))
    text.append(one_line(product.price, 12), "bold")
    return text


class ChosenList(OptionList):
    """The attachments chosen so far; Delete or Backspace removes the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("delete,backspace", "remove", "Remove", id="attach_remove", group=ATTACH),
    ]

    def action_remove(self) -> None:
        picker = self.screen
        if isinstance(picker, AttachmentPicker) and self.highlighted is not None:
            picker.remove_chosen(self.highlighted)


class AttachmentPicker(ModalScreen[list[AttachmentIn] | None]):
    """Search products, add the storefront link or an image URL; Ctrl+S attaches, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("ctrl+s", "done", "Attach", id="attach_done", group=ATTACH, priority=True),
        bind(
            "alt+l",
            "storefront",
            "Storefront link",
            id="attach_storefront",
            group=ATTACH,
            priority=True,
        ),
        bind("escape", "cancel", "Cancel", id="back", group=MOVE, key_display="Esc"),
    ]

    DEFAULT_CSS = """
    AttachmentPicker { align: center middle; }
    AttachmentPicker > #dialog {
        width: 84; height: auto; max-height: 34; padding: 0 2; border: thick $primary;
        background: $surface;
    }
    AttachmentPicker #title { margin: 1 0 0 0; }
    AttachmentPicker Label { color: $text-secondary; margin-top: 1; }
    AttachmentPicker #products { height: 7; }
    AttachmentPicker #chosen { height: auto; max-height: 6; min-height: 3; }
    AttachmentPicker #image-error { color: $error; height: auto; }
    AttachmentPicker #buttons { height: auto; align-horizontal: right; }
    AttachmentPicker Button { margin-left: 1; min-width: 14; }
    """

    def __init__(self, session: Session, *, current: Sequence[AttachmentIn] = ()) -> None:
        super().__init__()
        self.session = session
        self.chosen: list[AttachmentIn] = list(current)
        self.products: list[Product] = []

    def compose(self) -> ComposeResult:
        storefront = self.session.me.associate.storefront_url
        with Vertical(id="dialog"):
            yield Static(
                Text.assemble(
                    ("Attach to this text", "bold"),
                    ("   type to search · Enter adds the highlighted product · ↓ the list", "dim"),
                ),
                id="title",
            )
            yield Input(placeholder="Search the catalogue: name, colour…", id="search")
            yield OptionList(id="products")
            yield Label("Image URL (Enter adds it)")
            yield Input(
                placeholder="https://…",
                id="image",
                validators=[HttpUrl()],
                validate_on=["submitted"],
            )
            yield Static(id="image-error")
            if storefront:
                yield Label(Text(f"Alt+L adds your storefront link: {safe_text(storefront)}"))
            yield Label("Attached (Delete removes)")
            yield ChosenList(id="chosen")
            with Horizontal(id="buttons"):
                yield Button("Attach (Ctrl+S)", id="done", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self._show_chosen()
        self.search("")

    # ---- products -----------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @work(exclusive=True, group="products", exit_on_error=False)
    async def search(self, query: str) -> None:
        try:
            products = await self.session.client.products(query.strip() or None)
        except (ApiError, Unreachable) as exc:
            reason = exc.message if isinstance(exc, ApiError) else "the server cannot be reached"
            self.notify(reason, title="Products", severity="error", markup=False)
            return
        self.products = products[:SHOWN_PRODUCTS]
        options = self.query_one("#products", OptionList)
        options.clear_options()
        options.add_options([Option(product_prompt(p), id=p.id) for p in self.products])
        if self.products:
            options.highlighted = 0

    @on(Input.Submitted, "#search")
    def _search_enter(self) -> None:
        options = self.query_one("#products", OptionList)
        if options.highlighted is not None and self.products:
            self._add(product_choice(self.products[options.highlighted]))

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.query_one("#search", Input).has_focus:
            event.stop()
            event.prevent_default()
            self.query_one("#products", OptionList).focus()

    @on(OptionList.OptionSelected, "#products")
    def _product_selected(self, event: OptionList.OptionSelected) -> None:
        self._add(product_choice(self.products[event.option_index]))

    # ---- links --------------------------------------------------------------------------------

    @on(Input.Submitted, "#image")
    def _image(self, event: Input.Submitted) -> None:
        error = self.query_one("#image-error", Static)
        if event.validation_result is not None and not event.validation_result.is_valid:
            error.update(Text(" ".join(event.validation_result.failure_descriptions)))
            return
        url = event.value.strip()
        error.update("")
        event.input.clear()
        self._add(AttachmentChoice(kind=AttachmentKind.IMAGE, url=url, label=f"▣ {safe_text(url)}"))

    def action_storefront(self) -> None:
        if not self.session.me.associate.storefront_url:
            self.notify("You have no storefront link.", severity="warning", markup=False)
            return
        if any(a.kind is AttachmentKind.STOREFRONT for a in self.chosen):
            return
        self._add(
            AttachmentChoice(kind=AttachmentKind.STOREFRONT, url=None, label="↗ Storefront link")
        )

    # ---- the chosen list ----------------------------------------------------------------------

    def _add(self, item: AttachmentIn) -> None:
        if len(self.chosen) >= MAX_ATTACHMENTS:
            self.notify(
                f"A text takes at most {MAX_ATTACHMENTS} attachments.",
                severity="warning",
                markup=False,
            )
            return
        if item.kind is AttachmentKind.PRODUCT and any(
            a.product_id == item.product_id for a in self.chosen
        ):
            return
        self.chosen.append(item)
        self._show_chosen()

    def _show_chosen(self) -> None:
        chosen = self.query_one("#chosen", OptionList)
        chosen.clear_options()
        if self.chosen:
            chosen.add_options([Text(attachment_label(a)) for a in self.chosen])
        else:
            chosen.add_option(Option(Text("nothing yet", style="dim"), disabled=True))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    def remove_chosen(self, index: int) -> None:
        if 0 <= index < len(self.chosen):
            del self.chosen[index]
            self._show_chosen()

    # ---- closing ------------------------------------------------------------------------------

    @on(Button.Pressed, "#done")
    def action_done(self) -> None:
        self.dismiss(list(self.chosen))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
