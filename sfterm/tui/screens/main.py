"""The main screen: folders, the chosen folder's list, the selected item's detail, status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import Input, Static

from sfterm.client.errors import ApiError, Unreachable, complaint
from sfterm.core.models import (
    Channel,
    EmailOut,
    Level,
    MatchState,
    RequestOut,
    RequestStatus,
    ThreadOut,
)
from sfterm.core.routing import Folder, Mode
from sfterm.tui.keys import MAIN_BINDINGS, key_for
from sfterm.tui.messages import BackendEvent
from sfterm.tui.screens.folder_screen import FolderScreen, list_pane
from sfterm.tui.screens.main_messages import (
    LeadGone,
    PageFailed,
    PageLoaded,
    ReplyReady,
    RequestChanged,
    SearchFound,
    ThreadChanged,
)
from sfterm.tui.session import Session
from sfterm.tui.text import safe_text
from sfterm.tui.widgets.contact_indicator import keeping_match, patch_feeds
from sfterm.tui.widgets.feed import Feed
from sfterm.tui.widgets.folder_column import FOLDERS, FolderColumn
from sfterm.tui.widgets.request_detail import RequestDetail, request_view, thread_view
from sfterm.tui.widgets.rows import (
    request_matches,
    request_row,
    thread_matches,
    thread_row,
)
from sfterm.tui.widgets.status_line import StatusLine
from sfterm.tui.widgets.virtual_list import VirtualList

PAGE_SIZE = 100
AGE_TICK_SECONDS = 10.0
"""How often the ages in the list and the detail's "waiting" move on."""
LEADS, REQUESTS, THREADS = (key for key, _ in FOLDERS)
TITLES = dict(FOLDERS)
EMPTY = {
    LEADS: "No new leads. New ones appear here as they arrive.",
    REQUESTS: "No customer requests yet.",
    THREADS: "No text conversations yet.",
}


def _request_feed() -> Feed[RequestOut]:
    return Feed(key=lambda r: r.id, order=lambda r: (r.id,), matches=request_matches)


def _thread_feed() -> Feed[ThreadOut]:
    return Feed(
        key=lambda t: t.id,
        order=lambda t: (t.last_message_at or t.created_at, t.id),
        matches=thread_matches,
    )


class MainScreen(FolderScreen):
    """Triage: pick a folder, move through its list, act on the selected request."""

    BINDINGS: ClassVar[list[BindingType]] = list(MAIN_BINDINGS)

    FOLDER = LEADS

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.feeds: dict[str, Feed[Any]] = {
            LEADS: _request_feed(),
            REQUESTS: _request_feed(),
            THREADS: _thread_feed(),
        }
        self.folder = LEADS
        self.cursor_ids: dict[str, int | None] = {}
        """Where the cursor was in each folder, to come back to it."""
        self.generation = 0
        self._detail_item: object = None
        """The item the detail pane shows (the object: a changed item is a new one)."""

    def compose_panes(self) -> ComposeResult:
        yield list_pane("search name, phone or message")
        yield RequestDetail(id="detail")

    def on_mount(self) -> None:
        self.query_one("#search", Input).display = False
        first_pages, self.session.first_pages = self.session.first_pages, {}
        for folder, feed in self.feeds.items():
            page = first_pages.get(folder)
            if page is not None:  # read with the sign-in, while the app was loading
                feed.add_page(page.items, page.next_before)
            else:
                self.load_page(folder)
        self.show_folder(LEADS)
        self.rows.focus()
        self.set_interval(AGE_TICK_SECONDS, self._ages_move_on)

    def _ages_move_on(self) -> None:
        self.rows.redraw()
        self.show_detail(self.rows.highlighted, again=True)

    # ---- parts --------------------------------------------------------------------------------

    @property
    def rows(self) -> VirtualList:
        return self.query_one("#list", VirtualList)

    @property
    def feed(self) -> Feed[Any]:
        return self.feeds[self.folder]

    def _keys(self) -> dict[str, str]:
        keymap = getattr(self.app, "user_keymap", {})
        ids = ("accept", "reply", "resolve", "open", "add_contact")
        return {i: key_for(i, keymap) for i in ids}

    def _formatter(self, folder: str) -> Callable[[Any, int, bool], Any]:
        row = thread_row if folder == THREADS else request_row
        return lambda item, width, unread: row(item, width, unread, self.session.clock())

    # ---- showing ------------------------------------------------------------------------------

    def show_folder(self, folder: str) -> None:
        item = self.rows.highlighted
        if item is not None:
            self.cursor_ids[self.folder] = item.id
        self.folder = folder
        self.query_one(FolderColumn).current = folder
        search = self.query_one("#search", Input)
        search.value = self.feed.query
        search.display = bool(self.feed.query)
        self.rows.show(self.feed, self._formatter(folder), cursor_id=self.cursor_ids.get(folder))
        self.refresh_chrome()
        self.show_detail(self.rows.highlighted)

    def refresh_chrome(self) -> None:
        """Counts, unread marks, the list's title and placeholder, the status line's note."""
        column = self.query_one(FolderColumn)
        for key, feed in self.feeds.items():
            unread = len(feed.unread)
            if key == THREADS:
                unread += sum(1 for t in feed.items if t.unread_count)
            column.set_info(key, feed.count_label(), unread)
        feed = self.feed
        title = self.query_one("#list-title", Static)
        label = f" {TITLES[self.folder]}  {feed.count_label()}".rstrip()
        if title.content != label:  # an update lays the whole screen out again
            title.update(label)
        if feed.error:
            placeholder = feed.error
        elif not feed.started or (feed.loading and not feed.items):
            placeholder = "Loading…"
        elif feed.searching:
            placeholder = f"Searching for “{safe_text(feed.query)}”…"
        elif feed.query:
            placeholder = f"Nothing matches “{safe_text(feed.query)}”."
        else:
            placeholder = EMPTY[self.folder]
        self.rows.placeholder = placeholder
        note = ""
        if feed.query and feed.has_more and self.folder == THREADS:
            note = f"search covers the {len(feed.items)} loaded threads"
        self.query_one(StatusLine).set_note(note)

    def show_detail(self, item: Any | None, *, again: bool = False) -> None:
        """Show `item` in the detail pane (`again`: even if it is already there)."""
        if item is self._detail_item and item is not None and not again:
            return
        self._detail_item = item
        detail = self.query_one(RequestDetail)
        now, tz = self.session.clock(), self.session.me.store.timezone
        if item is None:
            detail.show("")
        elif isinstance(item, ThreadOut):
            detail.show(thread_view(item, now, tz, self._keys()))
        else:
            detail.show(request_view(item, now, tz, self._keys()))

    def feeds_changed(self) -> None:
        """A live change: the list's lines paint first, the detail pane in the frame after."""
        self.rows.data_changed()
        self.refresh_chrome()
        # a burst of changes schedules several: all but the first find the item already shown
        self.call_after_refresh(self._detail_after_change)

    def _detail_after_change(self) -> None:
        self.show_detail(self.rows.highlighted)

    # ---- workers ------------------------------------------------------------------------------

    def load_page(self, folder: str, *, again: bool = False) -> None:
        """Read the folder's next page; `again` reads the first page anew, to replace the rows."""
        feed = self.feeds[folder]
        if again:
            self.call(f"page-{folder}", self._read_page, folder, None, self.generation, True)
            return
        if feed.loading or (feed.started and feed.exhausted):
            return
        feed.loading = True
        self.call(f"page-{folder}", self._read_page, folder, feed.next_before, self.generation)

    async def _read_page(
        self, folder: str, before: int | str | None, generation: int, again: bool = False
    ) -> None:
        client = self.session.client
        try:
            if folder == LEADS:
                page: Any = await client.leads(before=_int(before), limit=PAGE_SIZE)
            elif folder == REQUESTS:
                page = await client.requests(before=_int(before), limit=PAGE_SIZE)
            else:
                page = await client.threads(before=before, limit=PAGE_SIZE)
        except (ApiError, Unreachable) as exc:
            self.post_message(PageFailed(folder, complaint(exc), generation))
            return
        self.post_message(PageLoaded(folder, page.items, page.next_before, generation, again))

    async def _search(self, folder: str, query: str, generation: int) -> None:
        """Ask the server for the folder's matches, so the search covers unloaded pages too."""
        client = self.session.client
        if folder == LEADS:
            page = await client.leads(q=query, limit=PAGE_SIZE)
        else:
            page = await client.requests(q=query, limit=PAGE_SIZE)
        self.post_message(SearchFound(folder, query, page.items, generation))

    async def _read_request(self, request_id: int) -> None:
        self.post_message(RequestChanged(await self.session.client.request(request_id)))

    async def read_thread(self, thread_id: int) -> None:
        """A thread the events mention but the list lacks; one not visible to us is ignored."""
        try:
            thread = await self.session.client.thread(thread_id)
        except ApiError as exc:
            if exc.status in (403, 404):
                return
            raise
        self.post_message(ThreadChanged(thread))

    async def _accept(self, item: RequestOut) -> None:
        try:
            accepted = await self.session.client.accept_lead(item.id)
        except ApiError as exc:
            if exc.taken_by:
                self.post_message(LeadGone(item.id, exc.taken_by))
                return
            raise
        name = safe_text(item.name)
        self.post_message(RequestChanged(accepted, f"Accepted {name}: now in Customer Requests"))

    async def _set_status(self, item: RequestOut, resolve: bool) -> None:
        client = self.session.client
        changed = await (client.resolve(item.id) if resolve else client.reopen(item.id))
        verb = "Resolved" if resolve else "Reopened"
        self.post_message(RequestChanged(changed, f"{verb} {safe_text(item.name)}"))

    async def _reply(self, request_id: int, choice: str) -> None:
        result = await self.session.client.reply(request_id, choice)
        self.post_message(ReplyReady(request_id, result))

    # ---- results ------------------------------------------------------------------------------

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        if message.generation != self.generation:
            return
        feed = self.feeds[message.folder]
        first = not feed.started
        if message.replace:
            feed.replace(message.items, message.next_before)
        else:
            feed.add_page(message.items, message.next_before)
        if message.folder == self.folder:
            self.rows.data_changed(keep_id=-1 if not first else None)
            if first:
                self.rows.cursor = 0
        self.refresh_chrome()
        if message.folder == self.folder:
            self.show_detail(self.rows.highlighted)

    @on(SearchFound)
    def _search_found(self, message: SearchFound) -> None:
        if message.generation != self.generation:
            return
        self.feeds[message.folder].set_found(message.query, message.items)
        if message.folder == self.folder:
            self.rows.data_changed(keep_id=None)
            self.refresh_chrome()
            self.show_detail(self.rows.highlighted)

    @on(PageFailed)
    def _page_failed(self, message: PageFailed) -> None:
        if message.generation != self.generation:
            return
        feed = self.feeds[message.folder]
        feed.loading = False
        feed.error = message.error
        self.refresh_chrome()
        self.rows.refresh()

    @on(RequestChanged)
    def _request_changed(self, message: RequestChanged) -> None:
        self.apply_request(message.item)
        if message.note:
            self.notify(message.note)

    @on(LeadGone)
    def _lead_gone(self, message: LeadGone) -> None:
        gone = self.feeds[LEADS].remove(message.request_id)
        name = safe_text(gone.name) if gone is not None else f"Lead {message.request_id}"
        who = safe_text(message.taken_by)
        self.notify(f"{name} was already taken by {who}", severity="warning")
        self.feeds_changed()

    @on(ThreadChanged)
    def _thread_changed(self, message: ThreadChanged) -> None:
        self.feeds[THREADS].upsert(message.thread)
        self.feeds_changed()

    @on(ReplyReady)
    def _reply_ready(self, message: ReplyReady) -> None:
        self.feeds[THREADS].upsert(message.result.thread)
        self.feeds_changed()
        self.open_thread(message.result.thread.id, card_request_id=message.request_id)

    def apply_request(self, item: RequestOut) -> None:
        """Put a request where it now belongs, keeping what the event does not carry."""
        for feed in (self.feeds[LEADS], self.feeds[REQUESTS]):
            item = keeping_match(item, feed.find(item.id))
        if item.folder is Folder.NEW_LEADS:
            self.feeds[LEADS].upsert(item)
        else:
            self.feeds[LEADS].remove(item.id)
            if self.is_mine(item):
                self.feeds[REQUESTS].upsert(item)
            else:
                self.feeds[REQUESTS].remove(item.id)
        self.feeds_changed()

    def is_mine(self, item: RequestOut) -> bool:
        me = self.session.me
        if me.retailer.mode is Mode.TEAM or me.associate.level is not Level.ASSOCIATE:
            return item.store_id == me.store.id
        return item.associate is not None and item.associate.id == me.associate.id

    # ---- live ---------------------------------------------------------------------------------

    @on(BackendEvent)
    def _backend_event(self, message: BackendEvent) -> None:
        from sfterm.tui.screens.main_live import apply_event

        apply_event(self, message.event)

    def reload(self) -> None:
        """Read every folder's first page anew and show it in place of what was loaded (after a
        `stale` event: the stream could not say what changed). The cursor stays on its row."""
        self.generation += 1
        for folder in self.feeds:
            self.load_page(folder, again=True)

    # ---- list messages ------------------------------------------------------------------------

    @on(VirtualList.Highlighted)
    def _highlighted(self, message: VirtualList.Highlighted) -> None:
        item = message.item
        self.show_detail(item)
        if item is None:
            return
        if self.feed.mark_read(item.id):
            self.refresh_chrome()
        if isinstance(item, RequestOut) and item.phone and item.contact_match is None:
            self.call("detail", self._read_request, item.id)

    @on(VirtualList.NearEnd)
    def _near_end(self, message: VirtualList.NearEnd) -> None:
        for folder, feed in self.feeds.items():
            if feed is message.feed:
                self.load_page(folder)

    @on(VirtualList.Selected)
    def _selected(self, message: VirtualList.Selected) -> None:
        self.action_open()

    def folder_chosen(self, folder: str) -> None:
        """A folder picked in the column: shown, the column keeping the focus."""
        if folder == "reports":
            self.open_reports()
        elif folder == "contacts":
            self.open_contacts()
        else:
            self.show_folder(folder)

    @on(Input.Changed, "#search")
    def _search_changed(self, message: Input.Changed) -> None:
        self.feed.set_query(message.value)
        if self.feed.searching and self.folder in (LEADS, REQUESTS):
            query = self.feed.query
            self.call(f"search-{self.folder}", self._search, self.folder, query, self.generation)
        self.rows.data_changed(keep_id=None)
        self.rows.cursor = 0
        self.refresh_chrome()
        self.show_detail(self.rows.highlighted)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.rows.focus()

    # ---- actions ------------------------------------------------------------------------------

    def _selected_request(self) -> RequestOut | None:
        item = self.rows.highlighted
        return item if isinstance(item, RequestOut) else None

    def action_folder(self, folder: str) -> None:
        self.folder_chosen(folder)
        if folder in TITLES:
            self.rows.focus()

    def action_accept(self) -> None:
        item = self._selected_request()
        if item is None or item.folder is not Folder.NEW_LEADS:
            self.notify("Only a New Lead can be accepted.", severity="warning")
            return
        self.call("action", self._accept, item)

    def action_resolve(self) -> None:
        """x resolves an open request and reopens a resolved one."""
        item = self._selected_request()
        if item is None or item.folder is Folder.NEW_LEADS:
            self.notify("Accept the lead first; then it can be resolved.", severity="warning")
            return
        self.call("action", self._set_status, item, item.status is RequestStatus.OPEN)

    def action_reply(self) -> None:
        item = self._selected_request()
        if item is None:
            self.notify("Choose a request to reply to.", severity="warning")
            return
        if item.folder is Folder.NEW_LEADS:
            self.notify(f"Accept the lead first ({self._keys()['accept']}).", severity="warning")
            return
        if item.channel is Channel.EMAIL:
            self._email(item)
            return
        from sfterm.tui.modals.reply_choice import ReplyChoiceModal

        def chosen(choice: str | None) -> None:
            if choice in ("existing", "new"):
                self.call("action", self._reply, item.id, choice)

        self.app.push_screen(ReplyChoiceModal(self.session, item), chosen)

    def _email(self, item: RequestOut) -> None:
        from sfterm.tui.modals.email_reply import EmailReplyModal

        def sent(email: EmailOut | None) -> None:
            if email is not None:
                self.notify(f"Email sent to {safe_text(email.to_email)}.")

        self.app.push_screen(EmailReplyModal(self.session, item), sent)

    def action_open(self) -> None:
        item = self.rows.highlighted
        if isinstance(item, ThreadOut):
            self.open_thread(item.id)
        elif isinstance(item, RequestOut) and item.thread_id is not None:
            self.open_thread(item.thread_id, card_request_id=item.id)
        elif item is not None:
            self.query_one(RequestDetail).focus()

    def open_thread(self, thread_id: int, *, card_request_id: int | None = None) -> None:
        from sfterm.tui.screens.thread import ThreadScreen

        self.app.push_screen(ThreadScreen(self.session, thread_id, card_request_id=card_request_id))

    def open_reports(self) -> None:
        """Folder 5: the KPI report, a screen of its own above this one (Esc or 1–3 come back)."""
        from sfterm.tui.screens.reports import ReportsScreen

        if not isinstance(self.app.screen, ReportsScreen):
            self.app.push_screen(ReportsScreen(self.session, self.query_one(FolderColumn).infos))

    def open_contacts(self) -> None:
        """Folder 4: the contact book, a screen of its own above this one (1–3 come back)."""
        from sfterm.tui.screens.contacts import ContactsScreen

        if not isinstance(self.app.screen, ContactsScreen):
            self.app.push_screen(ContactsScreen(self.session, self.query_one(FolderColumn).infos))

    def action_add_contact(self) -> None:
        """Add to Contacts for the selected request's (or thread's) number."""
        from sfterm.tui.modals.add_contact import Customer, begin_add_contact

        item = self.rows.highlighted
        if isinstance(item, RequestOut) and item.phone:
            customer = Customer.of_request(item)
        elif isinstance(item, ThreadOut):
            customer = Customer.of_thread(item)
        else:
            self.notify("Choose a request with a phone number.", severity="warning")
            return
        match = customer.match
        if match is not None and match.state is MatchState.ONE and match.contacts:
            name = safe_text(match.contacts[0].name)
            self.notify(f"{safe_text(customer.phone_display)} is {name}'s number already.")
            return

        def saved(result: Any) -> None:
            if patch_feeds(self.feeds.values(), result.change):
                self.feeds_changed()

        begin_add_contact(self, self.session, customer, saved)

    def action_next_unread(self) -> None:
        """The next unread row after the cursor: in this folder, then the others, then wrap."""
        order = [key for key, _ in FOLDERS]
        start = order.index(self.folder)
        here = self.rows.cursor
        candidates: list[tuple[str, int, Any]] = []
        for step in range(len(order)):
            folder = order[(start + step) % len(order)]
            rows = list(enumerate(self.feeds[folder].view))
            rows = rows[here + 1 :] if step == 0 else rows
            candidates += [(folder, i, item) for i, item in rows]
        candidates += [(self.folder, i, item) for i, item in enumerate(self.feed.view[: here + 1])]
        for folder, index, item in candidates:
            feed = self.feeds[folder]
            if feed.key(item) in feed.unread or (isinstance(item, ThreadOut) and item.unread_count):
                if folder != self.folder:
                    self.show_folder(folder)
                self.rows.cursor = index
                self.rows.focus()
                return
        self.notify("Nothing unread.")

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus or (search.display and self.rows.has_focus):
            search.value = ""
            search.display = False
            self.rows.focus()
        elif not self.rows.has_focus:
            self.rows.focus()

    def panes(self) -> list[Widget]:
        search = self.query_one("#search", Input)
        panes = super().panes()
        if search.display:
            panes.append(search)
        panes += [self.rows, self.query_one(RequestDetail)]
        return panes


def _int(value: int | str | None) -> int | None:
    return int(value) if value is not None else None
