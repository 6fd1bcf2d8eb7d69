"""Answering an email request from the app: the modal, the outbox, and the first reply time."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from sfterm.tui.modals.email_reply import EmailReplyModal
from sfterm.tui.screens.main import MainScreen
from tests.support.forms import storefront_form
from tests.tui.conftest import SIZE, TuiHarness, screen_text, settle


async def _email_request(tui: TuiHarness) -> int:
    public = tui.backend.client()
    try:
        form = storefront_form(name="Béatrice Roy", channel="email", phone=None)
        return (await public.submit_request(form)).id
    finally:
        await public.aclose()


async def test_r_on_an_email_request_writes_and_sends_an_email(tui: TuiHarness) -> None:
    request_id = await _email_request(tui)
    tui.backend.clock.advance(minutes=12)
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, EmailReplyModal)
        assert "No email sent yet" in screen_text(pilot.app)
        modal.query_one("#body", TextArea).text = "Bonjour Béatrice, the coat is in."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MainScreen)
    async with tui.backend.client("camille") as c:
        sent = await c.emails(request_id)
        request = await c.request(request_id)
    assert [(e.subject, e.body) for e in sent] == [
        ("Your request at Montréal — Sainte-Catherine", "Bonjour Béatrice, the coat is in.")
    ]
    assert request.first_reply_at == tui.backend.clock.now


async def test_an_empty_email_is_not_sent_and_esc_writes_nothing(tui: TuiHarness) -> None:
    request_id = await _email_request(tui)
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, EmailReplyModal)
        modal.query_one("#subject", Input).value = "Hello"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "The email is empty" in screen_text(pilot.app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MainScreen)
    async with tui.backend.client("camille") as c:
        assert await c.emails(request_id) == []
