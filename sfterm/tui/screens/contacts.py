"""Folder 4, the contact book: browse it in keyset pages, search as you type, open and edit one.

The list is the same virtual list as the other folders (pages of 100, read as the cursor nears
the end); the search is the backend's (a name, or a number when the query looks like one), so
it covers the whole book. The detail pane shows the contact's numbers, threads and requests;
Enter on a thread opens it. `e` edits, `n` writes a new contact; 1–3 (and 5) go back to the
other folders.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import Input, Static

from sfterm.client.errors import ApiError, Unreachable, complaint
from sfterm.core.models import ContactOut, RequestOut, ThreadOut
from sfterm.core.phones import phone_digits
from sfterm.tui.keys import CONTACTS_BINDINGS, MAIN_BINDINGS, key_for
from sfterm.tui.messages import BackendEvent
from sfterm.tui.screens.folder_screen import FolderScreen, list_pane
from sfterm.tui.session import Session
from sfterm.tui.text import one_line, safe_text
from sfterm.tui.widgets.contact_detail import ContactDetail
from sfterm.tui.widgets.contact_indicator import change_in
from sfterm.tui.widgets.contact_rows import (
    ContactRead,
    ContactsFailed,
    ContactsPage,
    contact_feed,
    contact_row,
    search_params,
)
from sfterm.tui.widgets.folder_column import FolderColumn, FolderInfo
from sfterm.tui.widgets.virtual_list import VirtualList

CONTACTS = "contacts"
PAGE_SIZE = 100
LINKED = 8
"""Threads and requests read for a contact's detail (the newest; the rest are counted)."""

_SHARED_IDS = ("search", "open", "back", "next_pane", "previous_pane")


class ContactsScreen(FolderScreen):
    """The contact book. `folders` is the main screen's folder counts (shared, so they stay
    current here)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(b for b in MAIN_BINDINGS if b.id and (b.id.startswith("folder_") or b.id in _SHARED_IDS)),
        *CONTACTS_BINDINGS,
    ]

    DEFAULT_CSS = """
    ContactsScreen { layout: vertical; }
    ContactsScreen #contact-detail { width: 50; border-left: vkey $panel-lighten-2; }
    """

    FOLDER = CONTACTS

    def __init__(self, session: Session, folders: Mapping[str, FolderInfo] | None = None) -> None:
        super().__init__(session, folders)
        self.feed = contact_feed()
        self.query_text = ""
        self.generation = 0
        self.shown_id: int | None = None
        """The contact whose detail was read last."""

    def compose_panes(self) -> ComposeResult:
        yield list_pane("search a name or a number")
        yield ContactDetail(id="contact-detail")

    def on_mount(self) -> None:
        self.show_folder_column()
        self.rows.show(
            self.feed, lambda item, width, unread: contact_row(item, width, unread), cursor_id=None
        )
        self.load_page()
        self.refresh_chrome()
        self.rows.focus()

    # ---- parts --------------------------------------------------------------------------------

    @property
    def rows(self) -> VirtualList:
        return self.query_one("#list", VirtualList)

    @property
    def detail(self) -> ContactDetail:
        return self.query_one(ContactDetail)

    def _keys(self) -> dict[str, str]:
        keymap = getattr(self.app, "user_keymap", {})
        return {i: key_for(i, keymap) for i in ("contact_edit", "contact_new", "open")}

    def refresh_chrome(self) -> None:
        feed = self.feed
        count = feed.count_label()
        title = " Contacts"
        if self.query_text:
            how = "number" if "phone" in search_params(self.query_text) else "name"
            title += f"  ·  {how} “{one_line(self.query_text, 30)}”"
        self.query_one("#list-title", Static).update(Text(f"{title}  {count}".rstrip()))
        if not self.query_text:
            self.query_one(FolderColumn).set_info(CONTACTS, count, 0)
        if feed.error:
            placeholder = feed.error
        elif feed.loading and not feed.items:
            placeholder = "Loading…"
        elif self.query_text:
            placeholder = f"No contact matches “{safe_text(self.query_text)}”."
        else:
            new = self._keys()["contact_new"]
            placeholder = f"No contacts yet: {new} writes one, or add a customer from a request."
        self.rows.placeholder = placeholder
        params = search_params(self.query_text)
        if "phone" in params and len(phone_digits(params["phone"])) < 3:
            self.rows.placeholder = "Type at least 3 digits to search numbers."

    # ---- reading ------------------------------------------------------------------------------

    def load_page(self, *, first: bool = False) -> None:
        feed = self.feed
        if first:
            self.generation += 1
            feed.reset()
        elif feed.loading or (feed.started and feed.exhausted):
            return
        params = search_params(self.query_text)
        if "phone" in params and len(phone_digits(params["phone"])) < 3:
            feed.replace([], None)
            self.rows.data_changed(keep_id=None)
            self.refresh_chrome()
            self.show_detail(None)
            return
        feed.loading = True
        before = None if first else feed.next_before
        self.call("contacts-page", self._read_page, params, before, self.generation, first)

    async def _read_page(
        self, params: dict[str, str], before: int | str | None, generation: int, first: bool
    ) -> None:
        try:
            page = await self.session.client.contacts(before=before, limit=PAGE_SIZE, **params)
        except (ApiError, Unreachable) as exc:
            self.post_message(ContactsFailed(complaint(exc), generation))
            return
        self.post_message(ContactsPage(page.items, page.next_before, generation, first))

    async def _read_contact(self, contact_id: int) -> None:
        client = self.session.client
        contact = await client.contact(contact_id)
        threads = await asyncio.gather(
            *(client.thread(i) for i in contact.thread_ids[:LINKED]), return_exceptions=True
        )
        requests = await asyncio.gather(
            *(client.request(i) for i in contact.request_ids[:LINKED]), return_exceptions=True
        )
        self.post_message(
            ContactRead(
                contact,
                [t for t in threads if isinstance(t, ThreadOut)],
                [r for r in requests if isinstance(r, RequestOut)],
            )
        )

    @on(ContactsPage)
    def _page(self, message: ContactsPage) -> None:
        if message.generation != self.generation:
            return
        self.feed.add_page(message.items, message.next_before)
        self.rows.data_changed(keep_id=None if message.first else -1)
        if message.first:
            self.rows.cursor = 0
        self.refresh_chrome()
        self.show_detail(self.rows.highlighted)

    @on(ContactsFailed)
    def _failed(self, message: ContactsFailed) -> None:
        if message.generation != self.generation:
            return
        self.feed.loading = False
        self.feed.error = message.error
        self.refresh_chrome()
        self.rows.refresh()

    @on(ContactRead)
    def _read(self, message: ContactRead) -> None:
        contact = message.contact
        if self.detail.contact is None or self.detail.contact.id != contact.id:
            return
        tz = self.session.me.store.timezone
        self.detail.show_card(contact, tz, self._keys())
        more = (
            max(len(contact.thread_ids) - len(message.threads), 0),
            max(len(contact.request_ids) - len(message.requests), 0),
        )
        self.detail.show_linked(message.threads, message.requests, self.session.clock(), tz, more)

    # ---- showing ------------------------------------------------------------------------------

    def show_detail(self, contact: ContactOut | None, *, again: bool = False) -> None:
        if contact is None:
            self.shown_id = None
            self.detail.clear("No contact selected" if self.feed.items else "")
            return
        self.detail.show_card(contact, self.session.me.store.timezone, self._keys())
        if again or contact.id != self.shown_id:
            self.shown_id = contact.id
            self.call("contact-detail", self._read_contact, contact.id)

    def put(self, contact: ContactOut, *, select: bool = False) -> None:
        """A contact as it now is: in its place in the list, and in the detail if shown."""
        known = self.feed.find(contact.id) is not None
        if known or not self.query_text:
            self.feed.upsert(contact)
        self.rows.data_changed(keep_id=contact.id if select else -1)
        self.refresh_chrome()
        if self.shown_id == contact.id:
            self.show_detail(contact, again=True)
        elif select:
            self.show_detail(self.rows.highlighted)

    # ---- live ---------------------------------------------------------------------------------

    @on(BackendEvent)
    def _backend_event(self, message: BackendEvent) -> None:
        event = message.event
        if event.type == "contact.changed":
            change = change_in(event.data)
            if change is not None:
                self.put(change.contact)
        elif event.type == "stale":
            self.load_page(first=True)
        self.call_after_refresh(self.query_one(FolderColumn).refresh)

    # ---- list and search ----------------------------------------------------------------------

    @on(VirtualList.Highlighted)
    def _highlighted(self, message: VirtualList.Highlighted) -> None:
        self.show_detail(message.item)

    @on(VirtualList.NearEnd)
    def _near_end(self) -> None:
        self.load_page()

    @on(VirtualList.Selected)
    def _selected(self) -> None:
        self.action_open()

    @on(Input.Changed, "#search")
    def _search_changed(self, message: Input.Changed) -> None:
        if message.value.strip() == self.query_text:
            return
        self.query_text = message.value.strip()
        self.load_page(first=True)
        self.rows.data_changed(keep_id=None)
        self.refresh_chrome()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.rows.focus()

    @on(ContactDetail.Open)
    def _open(self, message: ContactDetail.Open) -> None:
        if message.thread_id is None:
            self.notify(
                "No text thread for this request yet: reply to it from Customer Requests (2).",
                severity="warning",
            )
            return
        from sfterm.tui.screens.thread import ThreadScreen

        self.app.push_screen(
            ThreadScreen(self.session, message.thread_id, card_request_id=message.request_id)
        )

    # ---- actions ------------------------------------------------------------------------------

    def folder_again(self) -> None:
        self.rows.focus()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_open(self) -> None:
        """Enter on a contact moves into its threads and requests."""
        if self.rows.highlighted is not None:
            linked = self.detail.linked
            linked.focus()
            if linked.highlighted is None and linked.option_count:
                linked.action_first()

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus and search.value:
            search.value = ""
        elif not self.rows.has_focus:
            self.rows.focus()
        elif search.value:
            search.value = ""

    def action_edit(self) -> None:
        contact = self.rows.highlighted
        if contact is None:
            self.notify("Choose a contact to edit.", severity="warning")
            return
        self._edit(self.detail.contact if self.shown_id == contact.id else contact)

    def action_new_contact(self) -> None:
        self._edit(None)

    def _edit(self, contact: ContactOut | None) -> None:
        from sfterm.tui.modals.contact_edit import ContactEditModal

        def saved(result: ContactOut | None) -> None:
            if result is None:
                return
            self.notify(f"Saved {safe_text(result.name)}", title="Contacts", markup=False)
            self.put(result, select=True)

        self.app.push_screen(ContactEditModal(self.session, contact), saved)

    def panes(self) -> list[Widget]:
        return [*super().panes(), self.query_one("#search", Input), self.rows, self.detail.linked]
