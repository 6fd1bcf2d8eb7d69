"""The attachment picker: products as you type, the storefront link, image URLs, into the text."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from sfterm.core.models import AttachmentIn, AttachmentKind
from sfterm.tui.modals.attachments import AttachmentPicker, HttpUrl
from sfterm.tui.screens.thread import ThreadScreen
from sfterm.tui.widgets.composer import Composer
from tests.support.clock import FakeClock
from tests.tui.fakes import THREAD_ID, FakeClient, HostApp, seeded_client, session_for


async def settle(app: HostApp, pilot: Pilot[None]) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


def picker_host() -> tuple[HostApp, FakeClient, list[list[AttachmentIn] | None]]:
    clock = FakeClock()
    client = seeded_client(clock)
    session = session_for(client, clock)
    results: list[list[AttachmentIn] | None] = []
    app = HostApp()

    async def open_picker() -> None:
        app.push_screen(AttachmentPicker(session), results.append)

    app.call_later(open_picker)
    return app, client, results


def shown_products(app: HostApp) -> list[str]:
    options = app.screen.query_one("#products", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_products_are_filtered_as_you_type_and_enter_adds_one() -> None:
    app, client, results = picker_host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert len(shown_products(app)) == 4
        await pilot.press(*"gre")
        await settle(app, pilot)
        names = shown_products(app)
        assert len(names) == 3 and all("Gre" in n for n in names)
        await pilot.press(*"en")
        await settle(app, pilot)
        names = shown_products(app)
        assert [n.split("  ")[0] for n in names] == ["Green wool coat", "Green silk blouse"]
        await pilot.press("down", "down", "enter")  # into the list, the second product, add
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        [chosen] = results
        assert chosen is not None
        assert [(a.kind, a.product_id) for a in chosen] == [(AttachmentKind.PRODUCT, "P-103")]
        assert ("products", ("green",)) in client.calls


async def test_storefront_link_and_a_valid_image_url_are_added() -> None:
    app, _, results = picker_host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("alt+l", "alt+l")  # twice: still one storefront link
        app.screen.query_one("#image", Input).focus()
        await pilot.press(*"ftp://x/y.jpg", "enter")
        await pilot.pause()
        error = str(app.screen.query_one("#image-error").render())
        assert "must start with http:// or https://" in error
        app.screen.query_one("#image", Input).value = ""
        await pilot.press(*"https://img.example/look.jpg", "enter")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        [chosen] = results
        assert chosen is not None
        assert [(a.kind, a.url) for a in chosen] == [
            (AttachmentKind.STOREFRONT, None),
            (AttachmentKind.IMAGE, "https://img.example/look.jpg"),
        ]


async def test_escape_returns_nothing() -> None:
    app, _, results = picker_host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "escape")
        await settle(app, pilot)
        assert results == [None]


async def test_delete_removes_a_chosen_attachment() -> None:
    app, _, results = picker_host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "alt+l")
        chosen = app.screen.query_one("#chosen", OptionList)
        chosen.focus()
        chosen.highlighted = 0
        await pilot.press("delete", "ctrl+s")
        await settle(app, pilot)
        [picked] = results
        assert picked is not None and [a.kind for a in picked] == [AttachmentKind.STOREFRONT]


async def test_a_attaches_to_the_text_and_the_text_goes_out_with_it() -> None:
    clock = FakeClock()
    client = seeded_client(clock)
    session = session_for(client, clock)
    app = HostApp(lambda: ThreadScreen(session, THREAD_ID))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("alt+a")
        await settle(app, pilot)
        assert isinstance(app.screen, AttachmentPicker)
        await pilot.press(*"boots", "enter", "ctrl+s")
        await settle(app, pilot)
        composer = app.screen.query_one(Composer)
        assert "Leather ankle boots" in str(composer.query_one("#attachments").render())
        await pilot.press(*"These?", "enter")
        await settle(app, pilot)
        sent = client.messages_[THREAD_ID][-1]
        assert sent.body == "These?" and [a.title for a in sent.attachments] == [
            "Leather ankle boots"
        ]
        assert composer.attachments == []


def test_image_urls_must_be_http_or_https_with_a_host() -> None:
    check = HttpUrl()
    assert check.validate("https://img.example/a.jpg").is_valid
    assert check.validate("http://img.example/a.jpg").is_valid
    assert not check.validate("javascript:alert(1)").is_valid
    assert not check.validate("https://").is_valid
    assert not check.validate("img.example/a.jpg").is_valid
