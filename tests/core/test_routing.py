"""The routing table of DOMAIN.md, for every source in both modes."""

import pytest

from sfterm.core.routing import Folder, Mode, Route, Source, needs_associate, route_request


@pytest.mark.parametrize(
    ("source", "mode", "expected"),
    [
        (Source.CONNECT_WIDGET, Mode.REP, Route(Folder.NEW_LEADS, to_associate=False)),
        (Source.STOREFRONT, Mode.REP, Route(Folder.CUSTOMER_REQUESTS, to_associate=True)),
        (Source.FOOTER, Mode.REP, Route(Folder.CUSTOMER_REQUESTS, to_associate=True)),
        (Source.CONNECT_WIDGET, Mode.TEAM, Route(Folder.CUSTOMER_REQUESTS, to_associate=False)),
        (Source.STOREFRONT, Mode.TEAM, Route(Folder.CUSTOMER_REQUESTS, to_associate=False)),
        (Source.FOOTER, Mode.TEAM, Route(Folder.CUSTOMER_REQUESTS, to_associate=False)),
    ],
)
def test_route(source: Source, mode: Mode, expected: Route) -> None:
    assert route_request(source, mode) == expected


def test_only_pages_of_an_associate_name_one() -> None:
    assert not needs_associate(Source.CONNECT_WIDGET)
    assert needs_associate(Source.STOREFRONT)
    assert needs_associate(Source.FOOTER)
