"""Request forms as a customer's browser would post them."""

from __future__ import annotations

from typing import Any


def widget_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "source": "connect_widget",
        "store": "montreal",
        "kind": "contact_me",
        "name": "Amélie Fortin",
        "email": "amelie@example.com",
        "phone": "514 555 0142",
        "channel": "text",
        "message": "Do you have the wool coat in size M?",
    }
    form.update(overrides)
    return form


def storefront_form(associate: str = "camille", **overrides: Any) -> dict[str, Any]:
    form = widget_form(source="storefront", associate=associate, store=None)
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}
