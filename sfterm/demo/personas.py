"""The demo's customers: names, emails, numbers and which associate's book already holds them.

Numbers are fictional 555-01xx numbers of the stores' area codes (514/438 Montréal, 416
Toronto) that `phonenumbers` accepts. They avoid the stores' and associates' numbers of
`sfterm.demo.seed`, and the gateway's failing handsets (…5550196 to …5550199) except for the
few personas that are meant to be unreachable.
"""

from __future__ import annotations

from dataclasses import dataclass

from sfterm.demo.seed import ASSOCIATES, STORES


@dataclass(frozen=True)
class Persona:
    """One simulated customer."""

    key: str
    name: str
    email: str
    phone: str
    """E.164."""
    store: str
    """The store they shop at (handle): where their Connect Widget requests go."""
    lang: str = "en"
    """`fr` or `en`: the language they write their texts in."""
    book: str | None = None
    """The associate (handle) whose contact book already holds them (an import)."""
    typed_phone: str | None = None
    """How they type their number in the form (default: a national format)."""

    @property
    def form_phone(self) -> str:
        if self.typed_phone:
            return self.typed_phone
        digits = self.phone[2:]
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"

    @property
    def fails(self) -> bool:
        """On one of the gateway's failing handsets: texts to it never arrive."""
        return self.phone[-7:] in FAILING_SUFFIXES

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


FAILING_SUFFIXES = frozenset({"5550196", "5550197", "5550198", "5550199"})
"""The gateway's failing handsets (sfterm.gateway.carrier), by their last seven digits."""


@dataclass(frozen=True)
class SharedNumber:
    """A second contact (a partner, a parent) on the same number as a persona, in one book."""

    persona: str
    name: str
    email: str | None


PERSONAS: tuple[Persona, ...] = (
    Persona(
        "elodie",
        "Élodie Lavoie",
        "elodie.lavoie@example.com",
        "+15145550120",
        "montreal",
        "fr",
        book="camille",
    ),
    Persona(
        "francois",
        "François Bélanger",
        "f.belanger@example.org",
        "+15145550121",
        "montreal",
        "fr",
        book="camille",
        typed_phone="(514) 555-0121",
    ),
    Persona("zoe", "Zoé Côté", "zoe.cote@example.net", "+14385550122", "montreal", "fr"),
    Persona(
        "noemie",
        "Noémie Bouchard",
        "noemie.b@example.com",
        "+15145550123",
        "montreal",
        "fr",
        book="mathieu",
    ),
    Persona("mael", "Maël Gauthier", "mael.gauthier@example.com", "+14385550124", "montreal", "fr"),
    Persona(
        "amelie",
        "Amélie Fortin",
        "amelie.fortin@example.org",
        "+15145550125",
        "montreal",
        "fr",
        book="elodie",
        typed_phone="514.555.0125",
    ),
    Persona("oceane", "Océane Morin", "oceane.morin@example.com", "+15145550126", "montreal", "fr"),
    Persona(
        "jerome",
        "Jérôme Pelletier",
        "jerome.p@example.net",
        "+14385550127",
        "montreal",
        "fr",
        book="camille",
    ),
    Persona(
        "helene", "Hélène Girard", "helene.girard@example.com", "+15145550128", "montreal", "fr"
    ),
    Persona(
        "gaetan",
        "Gaëtan Roy-Lefebvre",
        "gaetan.rl@example.org",
        "+14385550129",
        "montreal",
        "fr",
        book="elodie",
    ),
    Persona("ines", "Inès Benali", "ines.benali@example.com", "+15145550130", "montreal", "fr"),
    Persona(
        "sarah",
        "Sarah O'Connor",
        "sarah.oconnor@example.com",
        "+15145550131",
        "montreal",
        "en",
        typed_phone="+1 514 555 0131",
    ),
    Persona(
        "david",
        "David Chen",
        "david.chen@example.net",
        "+14385550132",
        "montreal",
        "en",
        book="mathieu",
    ),
    Persona("lea", "Léa Nguyen", "lea.nguyen@example.com", "+15145550133", "montreal", "fr"),
    Persona("chloe", "Chloé Dubois", "chloe.dubois@example.org", "+14385550134", "montreal", "fr"),
    Persona(
        "raphael", "Raphaël Ouellet", "raphael.o@example.com", "+15145550135", "montreal", "fr"
    ),
    Persona(
        "anais",
        "Anaïs Lambert",
        "anais.lambert@example.net",
        "+14385550136",
        "montreal",
        "fr",
        book="camille",
    ),
    Persona(
        "marc", "Marc-André Cloutier", "ma.cloutier@example.com", "+15145550137", "montreal", "fr"
    ),
    Persona(
        "beatrice", "Béatrice Paré", "beatrice.pare@example.com", "+15145550138", "montreal", "fr"
    ),
    Persona(
        "jose",
        "José Álvarez",
        "jose.alvarez@example.org",
        "+14165550140",
        "toronto",
        "en",
        book="priya",
    ),
    Persona("aisha", "Aisha Mohammed", "aisha.m@example.com", "+14165550141", "toronto", "en"),
    Persona("liam", "Liam Walsh", "liam.walsh@example.net", "+14165550143", "toronto", "en"),
    Persona(
        "mei", "Mei Tanaka", "mei.tanaka@example.com", "+14165550144", "toronto", "en", book="priya"
    ),
    Persona("soren", "Søren Nielsen", "soren.nielsen@example.org", "+14165550145", "toronto", "en"),
    Persona("ananya", "Ananya Iyer", "ananya.iyer@example.com", "+14165550146", "toronto", "en"),
    Persona("zoey", "Zoey Campbell", "zoey.campbell@example.com", "+14165550147", "toronto", "en"),
    # unreachable handsets: their confirmations and replies fail at delivery
    Persona("renee", "Renée Tremblay", "renee.t@example.com", "+15145550196", "montreal", "fr"),
    Persona(
        "sebastien",
        "Sébastien Caron",
        "seb.caron@example.net",
        "+14385550197",
        "montreal",
        "fr",
        book="mathieu",
    ),
    Persona(
        "gabriel", "Gabriel Leduc", "gabriel.leduc@example.com", "+15145550198", "montreal", "fr"
    ),
    Persona("oliver", "Oliver Grant", "oliver.grant@example.org", "+14165550199", "toronto", "en"),
)

SHARED_NUMBERS: tuple[SharedNumber, ...] = (
    SharedNumber("noemie", "Luc Bouchard", "luc.bouchard@example.com"),
    SharedNumber("elodie", "Mathis Lavoie", None),
    SharedNumber("mei", "Kenji Tanaka", "kenji.tanaka@example.com"),
)
"""Numbers that a persona shares with someone else in the same book: "number on 2 contacts"."""

BY_KEY: dict[str, Persona] = {p.key: p for p in PERSONAS}
BY_PHONE: dict[str, Persona] = {p.phone: p for p in PERSONAS}


def reserved_numbers() -> frozenset[str]:
    """The stores' and associates' numbers, which no customer may have."""
    return frozenset(s.phone for s in STORES) | frozenset(a.relay_number for a in ASSOCIATES)


def associates_of(store: str) -> list[str]:
    """The handles of a store's associates, in seed order."""
    return [a.handle for a in ASSOCIATES if a.store == store]
