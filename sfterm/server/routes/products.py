"""The product catalogue that associates attach to texts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sfterm.core.models import Product
from sfterm.server.auth import ViewerDep
from sfterm.server.catalogue import search_products

router = APIRouter(prefix="/api/v1", tags=["products"])


@router.get("/products", response_model=list[Product])
async def products(
    _viewer: ViewerDep,
    q: Annotated[str | None, Query(max_length=200, description="words of the name")] = None,
) -> list[Product]:
    return search_products(q)
