"""The demo product catalogue of Maison Laurier: what associates can attach to a text."""

from __future__ import annotations

from sfterm.core.models import Product

SHOP = "https://maisonlaurier.example"

_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("wool-coat-camel", "Wool coat, camel", "349.00"),
    ("wool-coat-navy", "Wool coat, navy", "349.00"),
    ("trench-stone", "Cotton trench, stone", "289.00"),
    ("puffer-black", "Down puffer jacket, black", "259.00"),
    ("cashmere-crew-grey", "Cashmere crewneck, heather grey", "179.00"),
    ("cashmere-crew-ivory", "Cashmere crewneck, ivory", "179.00"),
    ("merino-cardigan", "Merino cardigan, forest green", "129.00"),
    ("cable-knit-sweater", "Cable-knit sweater, oat", "139.00"),
    ("silk-blouse-ivory", "Silk blouse, ivory", "149.00"),
    ("oxford-shirt-blue", "Oxford shirt, blue", "89.00"),
    ("linen-shirt-white", "Linen shirt, white", "95.00"),
    ("pleated-skirt-black", "Pleated midi skirt, black", "119.00"),
    ("wrap-dress-burgundy", "Wrap dress, burgundy", "165.00"),
    ("slip-dress-champagne", "Satin slip dress, champagne", "189.00"),
    ("straight-jeans-indigo", "Straight jeans, indigo", "110.00"),
    ("wide-trousers-charcoal", "Wide-leg trousers, charcoal", "135.00"),
    ("chelsea-boots-brown", "Leather Chelsea boots, brown", "229.00"),
    ("ankle-boots-black", "Suede ankle boots, black", "245.00"),
    ("loafers-cognac", "Penny loafers, cognac", "195.00"),
    ("sneakers-white", "Leather sneakers, white", "150.00"),
    ("tote-leather-tan", "Leather tote, tan", "295.00"),
    ("crossbody-black", "Crossbody bag, black", "210.00"),
    ("wool-scarf-plaid", "Wool scarf, plaid", "69.00"),
    ("cashmere-beanie", "Cashmere beanie, camel", "59.00"),
    ("leather-gloves", "Lined leather gloves, black", "79.00"),
    ("silk-scarf-floral", "Silk scarf, floral", "85.00"),
    ("gold-hoops", "Gold hoop earrings", "120.00"),
    ("pearl-necklace", "Freshwater pearl necklace", "160.00"),
    ("leather-belt-brown", "Leather belt, brown", "65.00"),
    ("sunglasses-tortoise", "Sunglasses, tortoiseshell", "140.00"),
)

PRODUCTS: tuple[Product, ...] = tuple(
    Product(
        id=pid,
        name=name,
        price=f"${price}",
        url=f"{SHOP}/products/{pid}",
        image_url=f"{SHOP}/images/{pid}.jpg",
    )
    for pid, name, price in _ITEMS
)

_BY_ID = {p.id: p for p in PRODUCTS}


def product(product_id: str) -> Product | None:
    return _BY_ID.get(product_id)


def search_products(q: str | None = None) -> list[Product]:
    """Products whose name (or id) holds every word of `q`, case-insensitive; all without `q`."""
    words = (q or "").casefold().split()
    if not words:
        return list(PRODUCTS)
    return [p for p in PRODUCTS if all(w in p.name.casefold() or w in p.id for w in words)]
