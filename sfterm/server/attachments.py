"""What an associate attaches to a text (products, storefront, pictures) and tracked links.

Every link the customer receives is a tracked link `{public_url}/r/{code}`: the links typed in
the body (kept as `link` attachments), products and the storefront. Pictures (and product
images) go as MMS media, untracked.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sfterm.core.models import AttachmentIn, AttachmentKind
from sfterm.server import catalogue
from sfterm.server.auth import Viewer
from sfterm.server.errors import ApiError
from sfterm.server.links import links_in, new_code, tracked_url


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def resolve_attachments(viewer: Viewer, items: list[AttachmentIn]) -> list[dict[str, Any]]:
    """What each attachment stands for; 422 naming the attachment at fault."""
    resolved: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        where = f"attachments.{index}"
        if item.kind is AttachmentKind.PRODUCT:
            found = catalogue.product(item.product_id or "")
            if found is None:
                raise ApiError(
                    422,
                    "unknown_product",
                    f"{where}.product_id: no product {item.product_id!r} in the catalogue",
                    field=f"{where}.product_id",
                )
            resolved.append(
                {
                    "kind": item.kind.value,
                    "product_id": found.id,
                    "title": found.name,
                    "target_url": found.url,
                    "price": found.price,
                    "image_url": found.image_url,
                }
            )
        elif item.kind is AttachmentKind.STOREFRONT:
            url = viewer.associate.storefront_url
            if not url:
                raise ApiError(
                    422, "no_storefront", f"{where}: you have no storefront link", field=where
                )
            title = f"{viewer.associate.name.split()[0]}'s storefront"
            resolved.append({"kind": item.kind.value, "title": title, "target_url": url})
        elif item.kind is AttachmentKind.IMAGE:
            if not item.url or not _is_web_url(item.url):
                raise ApiError(
                    422,
                    "invalid_url",
                    f"{where}.url: an image must be an http or https URL",
                    field=f"{where}.url",
                )
            resolved.append(
                {
                    "kind": item.kind.value,
                    "title": "Picture",
                    "target_url": item.url,
                    "image_url": item.url,
                }
            )
        else:
            raise ApiError(
                422, "invalid", f"{where}.kind: links go in the body", field=f"{where}.kind"
            )
    return resolved


def track(base: str, body: str, attachments: list[dict[str, Any]]) -> tuple[str, list[Any]]:
    """Give every link a tracked URL: the body's links (as `link` attachments), products and
    the storefront. Pictures go as media and are not tracked. Returns the body as the customer
    reads it and the attachments to store (each with its `url` and, when tracked, `code`)."""
    out_body, cursor = [], 0
    typed: list[dict[str, Any]] = []
    for start, end, url in links_in(body):
        code = new_code()
        short = tracked_url(base, code)
        out_body.extend([body[cursor:start], short])
        cursor = end
        typed.append(
            {
                "kind": AttachmentKind.LINK.value,
                "title": url,
                "target_url": url,
                "code": code,
                "url": short,
            }
        )
    out_body.append(body[cursor:])
    for item in attachments:
        if item["kind"] == AttachmentKind.IMAGE.value:
            item["url"] = item["target_url"]
        else:
            item["code"] = new_code()
            item["url"] = tracked_url(base, item["code"])
    return "".join(out_body), typed + attachments


def outgoing_text(body: str, attachments: list[dict[str, Any]]) -> str:
    """The text the handset receives: the body, then a line per product or storefront."""
    lines = [body] if body else []
    for item in attachments:
        if item["kind"] == AttachmentKind.PRODUCT.value:
            lines.append(f"{item['title']} ({item['price']}): {item['url']}")
        elif item["kind"] == AttachmentKind.STOREFRONT.value:
            lines.append(f"{item['title']}: {item['url']}")
    return "\n".join(lines)


def media_urls(attachments: list[dict[str, Any]]) -> list[str]:
    return [a["image_url"] for a in attachments if a.get("image_url")][:10]
