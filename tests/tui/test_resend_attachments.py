"""Retrying a failed text sends its attachments again: products by id, links and images."""

from __future__ import annotations

from datetime import UTC, datetime

from sfterm.core.models import AttachmentIn, AttachmentKind, AttachmentOut, MessageOut
from sfterm.tui.screens.thread import resend_attachments


def _attachment(kind: AttachmentKind, **extra: str) -> AttachmentOut:
    return AttachmentOut(kind=kind, title="t", url="http://x/r/1", target_url="http://x/p", **extra)


def test_products_storefront_and_images_are_sent_again() -> None:
    failed = MessageOut(
        id=1,
        thread_id=1,
        kind="text",
        direction="outbound",
        body="Here you go",
        status="failed",
        created_at=datetime(2026, 11, 2, tzinfo=UTC),
        attachments=[
            _attachment(AttachmentKind.PRODUCT, product_id="coat-wool-m"),
            _attachment(AttachmentKind.STOREFRONT),
            _attachment(AttachmentKind.IMAGE, image_url="https://img.example/a.jpg"),
            _attachment(AttachmentKind.LINK),
        ],
    )
    assert resend_attachments(failed) == [
        AttachmentIn(kind=AttachmentKind.PRODUCT, product_id="coat-wool-m"),
        AttachmentIn(kind=AttachmentKind.STOREFRONT),
        AttachmentIn(kind=AttachmentKind.IMAGE, url="https://img.example/a.jpg"),
    ]
