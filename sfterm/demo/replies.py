"""What the simulated customers write: request messages, second texts, and answers that fit.

Everything is picked with a `random.Random` handed in, so a seed gives the same words.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from sfterm.core.models import Kind

PRODUCTS: tuple[tuple[str, str], ...] = (
    ("the camel wool coat", "le manteau de laine camel"),
    ("the navy wool coat", "le manteau de laine marine"),
    ("the stone trench", "le trench couleur pierre"),
    ("the black puffer jacket", "la doudoune noire"),
    ("the grey cashmere crewneck", "le col rond en cachemire gris"),
    ("the forest green cardigan", "le cardigan vert forêt"),
    ("the ivory silk blouse", "la blouse de soie ivoire"),
    ("the burgundy wrap dress", "la robe portefeuille bordeaux"),
    ("the champagne slip dress", "la robe nuisette champagne"),
    ("the brown Chelsea boots", "les bottes Chelsea brunes"),
    ("the black suede ankle boots", "les bottillons de suède noirs"),
    ("the tan leather tote", "le fourre-tout en cuir"),
    ("the plaid wool scarf", "le foulard de laine à carreaux"),
    ("the pearl necklace", "le collier de perles"),
)
"""(English, French) ways a customer names a product of the demo catalogue."""

SIZES = ("XS", "S", "M", "L", "XL", "6", "8", "10", "38", "39", "40")


@dataclass(frozen=True)
class Topic:
    """What a request is about; the customer's later texts stay on it."""

    kind: Kind
    product: int
    """Index into PRODUCTS."""
    size: str

    def product_name(self, lang: str) -> str:
        en, fr = PRODUCTS[self.product]
        return fr if lang == "fr" else en


def new_topic(rng: random.Random, kind: Kind) -> Topic:
    return Topic(kind=kind, product=rng.randrange(len(PRODUCTS)), size=rng.choice(SIZES))


_REQUESTS: dict[tuple[Kind, str], tuple[str, ...]] = {
    (Kind.CONTACT_ME, "en"): (
        "Hi! Do you have {product} in size {size}?",
        "Is {product} still available in {size}? I'd like to try it on this week.",
        "Could you tell me if {product} runs small? I'm usually a {size}.",
        "Hello, I saw {product} online. Is it in stock at the store?",
    ),
    (Kind.CONTACT_ME, "fr"): (
        "Bonjour! Avez-vous {product} en taille {size}?",
        "Est-ce que {product} est encore disponible en {size}? J'aimerais l'essayer.",
        "Allô, {product} taille-t-il petit? Je porte habituellement du {size}.",
        "Bonjour, j'ai vu {product} en ligne. Est-il en magasin?",
    ),
    (Kind.APPOINTMENT, "en"): (
        "I'd like to book a fitting for {product} this week if possible.",
        "Can I make an appointment on Saturday to look at coats?",
        "Hi, could someone help me choose an outfit for a wedding? An appointment would be great.",
    ),
    (Kind.APPOINTMENT, "fr"): (
        "J'aimerais prendre rendez-vous pour essayer {product} cette semaine.",
        "Est-ce possible d'avoir un rendez-vous samedi pour voir les manteaux?",
        "Bonjour, j'aimerais un rendez-vous pour trouver une tenue pour un mariage.",
    ),
    (Kind.PERSONAL_SHOPPER, "en"): (
        "I'm looking for a gift for my sister, around $150. Any ideas?",
        "I need a few pieces for a work trip: something like {product}, size {size}.",
        "Could a personal shopper put together a fall wardrobe for me? Size {size}.",
    ),
    (Kind.PERSONAL_SHOPPER, "fr"): (
        "Je cherche un cadeau pour ma sœur, environ 150 $. Des idées?",
        "J'ai besoin de quelques morceaux pour un voyage d'affaires, comme {product}, "
        "taille {size}.",
        "Une styliste pourrait-elle me monter une garde-robe d'automne? Taille {size}.",
    ),
}

_SECOND_TEXTS: dict[str, tuple[str, ...]] = {
    "en": (
        "Also, do you have it in another colour?",
        "Sorry, one more thing: is there parking near the store?",
        "I forgot to say: I can only come after 5 pm.",
        "Any news? 🙂",
    ),
    "fr": (
        "Aussi, l'avez-vous dans une autre couleur?",
        "Petite question de plus : y a-t-il du stationnement près du magasin?",
        "J'oubliais : je ne peux passer qu'après 17 h.",
        "Des nouvelles? 🙂",
    ),
}

_ANSWERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("time", "en"): (
        "Thursday at 3 pm works for me.",
        "Could we do Saturday morning, around 11?",
        "Tomorrow after 5:30 would be perfect.",
    ),
    ("time", "fr"): (
        "Jeudi à 15 h, ça me va.",
        "Samedi matin vers 11 h, est-ce possible?",
        "Demain après 17 h 30 serait parfait.",
    ),
    ("product", "en"): (
        "Great, size {size} please. Can you hold it for me?",
        "Perfect! I'll come by to try it on.",
        "Is it also available in black?",
    ),
    ("product", "fr"): (
        "Super, en {size} s'il vous plaît. Pouvez-vous me le mettre de côté?",
        "Parfait! Je passerai l'essayer.",
        "Est-ce qu'il existe aussi en noir?",
    ),
    ("link", "en"): (
        "Thanks, that looks great!",
        "Love it. I'll come see it in person.",
        "Nice! Is that the last one?",
    ),
    ("link", "fr"): (
        "Merci, c'est très beau!",
        "J'adore. Je vais passer le voir.",
        "Joli! Est-ce le dernier?",
    ),
    ("thanks", "en"): ("Thank you!", "Thanks so much, see you soon.", "Perfect, thanks 🙏"),
    ("thanks", "fr"): ("Merci!", "Merci beaucoup, à bientôt.", "Parfait, merci 🙏"),
    ("other", "en"): ("Sounds good.", "OK, thank you!", "Yes, please."),
    ("other", "fr"): ("D'accord.", "Ok, merci!", "Oui, s'il vous plaît."),
    ("cold", "en"): ("Hi! Yes, who is this?", "Oh hi, thanks for reaching out!"),
    ("cold", "fr"): ("Bonjour! Oui, c'est qui?", "Ah bonjour, merci de me texter!"),
}

_TIME_WORDS = re.compile(
    r"\b(when|what time|which day|come in|appointment|book|available|schedule|"
    r"quand|quelle heure|quel jour|rendez-vous|disponible|passer)\b",
    re.IGNORECASE,
)
_PRODUCT_WORDS = re.compile(
    r"\b(size|colou?r|stock|have it|hold|try|fit|taille|couleur|en stock|essayer|de côté)\b",
    re.IGNORECASE,
)
_THANKS_WORDS = re.compile(r"\b(thank|thanks|merci|welcome|bienvenue|see you|à bientôt)\b", re.I)
_LINK = re.compile(r"https?://\S+")


def request_message(rng: random.Random, topic: Topic, lang: str) -> str:
    template = rng.choice(_REQUESTS[(topic.kind, lang)])
    return template.format(product=topic.product_name(lang), size=topic.size)


def second_text(rng: random.Random, lang: str) -> str:
    return rng.choice(_SECOND_TEXTS[lang])


def classify(associate_text: str) -> str:
    """What the associate's text asks for: `time`, `product`, `link`, `thanks` or `other`."""
    if _TIME_WORDS.search(associate_text):
        return "time"
    if _LINK.search(associate_text):
        return "link"
    if _PRODUCT_WORDS.search(associate_text):
        return "product"
    if _THANKS_WORDS.search(associate_text):
        return "thanks"
    return "other"


def answer(rng: random.Random, what: str, topic: Topic | None, lang: str) -> str:
    """A reply that fits `what` (from `classify`, or `cold` for a text out of the blue)."""
    template = rng.choice(_ANSWERS[(what, lang)])
    return template.format(size=topic.size if topic else "M")


def tracked_paths(text: str) -> list[str]:
    """The `/r/{code}` paths of the tracked links in a text (whatever host they name)."""
    return re.findall(r"https?://[^\s/]+(/r/[A-Za-z0-9_-]+)", text)
