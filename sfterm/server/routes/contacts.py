"""The contact book: list and search (`q` name, `phone` number), read, create, edit, add and
remove numbers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sfterm.core.models import (
    ContactCreate,
    ContactOut,
    ContactPatch,
    ContactPhoneIn,
    ErrorBody,
    Page,
)
from sfterm.server.auth import DatabaseDep, ViewerDep
from sfterm.server.contacts import (
    add_phone,
    create_contact,
    get_contact,
    list_contacts,
    remove_phone,
    update_contact,
)
from sfterm.server.deps import ClockDep, LimitQuery

router = APIRouter(prefix="/api/v1/contacts", tags=["contacts"])

_ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody},
    409: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


@router.get("", response_model=Page[ContactOut], responses={422: {"model": ErrorBody}})
async def contacts_page(
    viewer: ViewerDep,
    db: DatabaseDep,
    q: Annotated[str | None, Query(max_length=200, description="name: prefix or substring")] = None,
    phone: Annotated[
        str | None, Query(max_length=40, description="number: any 3 or more of its digits")
    ] = None,
    before: Annotated[
        str | None, Query(max_length=300, description="the `next_before` of the previous page")
    ] = None,
    limit: LimitQuery = 50,
) -> Page[ContactOut]:
    async with db.read() as conn:
        items, next_before = await list_contacts(
            conn, viewer, q=q, phone=phone, before=before, limit=limit
        )
    return Page[ContactOut](items=items, next_before=next_before)


@router.post("", response_model=ContactOut, status_code=201, responses=_ERRORS)
async def create(
    body: ContactCreate, viewer: ViewerDep, db: DatabaseDep, clock: ClockDep
) -> ContactOut:
    async with db.write() as conn:
        return await create_contact(conn, viewer, body, clock())


@router.get("/{contact_id}", response_model=ContactOut, responses=_ERRORS)
async def detail(contact_id: int, viewer: ViewerDep, db: DatabaseDep) -> ContactOut:
    async with db.read() as conn:
        return await get_contact(conn, viewer, contact_id)


@router.patch("/{contact_id}", response_model=ContactOut, responses=_ERRORS)
async def edit(
    contact_id: int, body: ContactPatch, viewer: ViewerDep, db: DatabaseDep, clock: ClockDep
) -> ContactOut:
    async with db.write() as conn:
        return await update_contact(conn, viewer, contact_id, body, clock())


@router.post("/{contact_id}/phones", response_model=ContactOut, status_code=201, responses=_ERRORS)
async def add_number(
    contact_id: int, body: ContactPhoneIn, viewer: ViewerDep, db: DatabaseDep, clock: ClockDep
) -> ContactOut:
    async with db.write() as conn:
        return await add_phone(conn, viewer, contact_id, body, clock())


@router.delete(
    "/{contact_id}/phones/{phone_id}",
    response_model=ContactOut,
    responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
async def remove_number(
    contact_id: int, phone_id: int, viewer: ViewerDep, db: DatabaseDep, clock: ClockDep
) -> ContactOut:
    """Take a number off a contact; answers the contact as it now is."""
    async with db.write() as conn:
        return await remove_phone(conn, viewer, contact_id, phone_id, clock())
