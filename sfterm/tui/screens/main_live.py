"""How the main screen applies the backend's events: rows appear, change and leave in place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from sfterm.core.models import Event, EventType, RequestOut, ThreadOut
from sfterm.tui.text import safe_text
from sfterm.tui.widgets.contact_indicator import change_in, keeping_match, patch_feeds

if TYPE_CHECKING:
    from sfterm.tui.screens.main import MainScreen

LEADS, REQUESTS, THREADS = "new_leads", "customer_requests", "threads"


def apply_event(screen: MainScreen, event: Event) -> None:
    """Apply one event; unknown types and malformed data are ignored (a newer server)."""
    try:
        _apply(screen, event.type, event.data)
    except (ValidationError, KeyError, TypeError, ValueError):
        return


def _apply(screen: MainScreen, kind: str, data: dict[str, Any]) -> None:
    feeds = screen.feeds
    me = screen.session.me.associate
    if kind == EventType.STALE:
        screen.reload()
    elif kind == EventType.LEAD_CREATED:
        item = RequestOut.model_validate(data["request"])
        if feeds[LEADS].upsert(item, unread=True):
            summary = f"{safe_text(item.name)}: {safe_text(item.message)[:80]}"
            screen.notify(summary, title="New lead")
            if getattr(screen.app, "bell_on_lead", False):
                screen.app.bell()
        screen.feeds_changed()
    elif kind == EventType.REQUEST_CREATED:
        item = RequestOut.model_validate(data["request"])
        if screen.is_mine(item) and feeds[REQUESTS].upsert(item, unread=True):
            screen.notify(safe_text(item.name), title="New customer request")
        screen.feeds_changed()
    elif kind == EventType.LEAD_TAKEN:
        taken_by = data.get("taken_by") or {}
        gone = feeds[LEADS].remove(int(data["request_id"]))
        if gone is not None and taken_by.get("id") != me.id:
            who = safe_text(str(taken_by.get("name", "another associate")))
            screen.notify(f"{safe_text(gone.name)}: taken by {who}", title="Lead taken")
        screen.feeds_changed()
    elif kind == EventType.REQUEST_UPDATED:
        screen.apply_request(RequestOut.model_validate(data["request"]))
    elif kind == EventType.THREAD_UPDATED:
        thread = ThreadOut.model_validate(data["thread"])
        feeds[THREADS].upsert(keeping_match(thread, feeds[THREADS].find(thread.id)))
        screen.feeds_changed()
    elif kind == EventType.CONTACT_CHANGED:
        # the indicator of every loaded row with one of the numbers changes in place
        change = change_in(data)
        if change is not None and patch_feeds(feeds.values(), change):
            screen.feeds_changed()
    elif kind in (EventType.MESSAGE_CREATED, EventType.MESSAGE_UPDATED):
        thread_id = int(data["message"]["thread_id"])
        # thread.updated follows for a known thread; a thread not loaded yet is read.
        if feeds[THREADS].find(thread_id) is None:
            screen.call(f"thread-{thread_id}", screen.read_thread, thread_id)
