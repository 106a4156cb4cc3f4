"""A tablet's board as the tests see it: the cards each column shows, the lists a poll
sends, and the out-of-band swaps of an answer applied the way htmx applies them."""

import re
from html import unescape

from tests.http_helpers import HTMX

SHOWN = re.compile(r'<input type="hidden" class="board-shown" id="shown-(\w+)" name="\w+" value="([^"]*)"')
CARD = re.compile(r'<article id="(o\d+-\w+)"')
OOB = re.compile(r'<(div|span|input)\b([^>]*?)\bhx-swap-oob="([^"]+)"([^>]*)>')
ATTRIBUTE = re.compile(r'\b(id|value)="([^"]*)"')


def out_of_band_swaps(answer: str):
    """(how, attributes, inner html) of each out-of-band element, in document order."""
    for match in OOB.finditer(answer):
        tag, how = match.group(1), match.group(3)
        attributes = dict(ATTRIBUTE.findall(match.group(2) + match.group(4)))
        inner = "" if tag == "input" else answer[match.end() : answer.index(f"</{tag}>", match.end())]
        yield how, attributes, inner


class TabletBoard:
    """What a tablet shows: per column the card ids in order, the lists it sends with a
    poll, the counts and the message."""

    def __init__(self, page: str):
        self.shown = {key: unescape(value) for key, value in SHOWN.findall(page)}
        self.cards = {key: CARD.findall(section) for key, section in columns_of(page).items()}
        counts = re.findall(r'<span id="count-(\w+)" class="count">(\d+)<', page)
        self.counts = {key: int(count) for key, count in counts}
        self.message = ""

    def poll(self, client):
        return client.get("/cashier/board", query_string=self.shown, headers=HTMX)

    def column_holding(self, dom_id: str) -> list[str]:
        [cards] = [cards for cards in self.cards.values() if dom_id in cards]
        return cards

    def apply(self, answer: str) -> None:
        """Apply an answer's out-of-band swaps in document order, as htmx does; each
        target must be on the board (htmx would skip it and log an error)."""
        for how, attributes, inner in out_of_band_swaps(answer):
            if how.startswith("delete:#"):
                self.column_holding(how.removeprefix("delete:#")).remove(how.removeprefix("delete:#"))
            elif how.startswith("afterbegin:#cards-"):
                self.cards[how.removeprefix("afterbegin:#cards-")][0:0] = CARD.findall(inner)
            elif how.startswith("afterend:#"):
                cards = self.column_holding(how.removeprefix("afterend:#"))
                position = cards.index(how.removeprefix("afterend:#")) + 1
                cards[position:position] = CARD.findall(inner)
            else:
                assert how == "true", how
                kind, _dash, key = attributes["id"].partition("-")
                if kind == "cards":
                    self.cards[key] = CARD.findall(inner)
                elif kind == "shown":
                    self.shown[key] = unescape(attributes["value"])
                elif kind == "count":
                    self.counts[key] = int(inner)
                else:
                    assert attributes["id"] == "board-message"
                    self.message = unescape(inner)
        every_card = [dom_id for cards in self.cards.values() for dom_id in cards]
        assert len(every_card) == len(set(every_card)), "a card is on the board twice"


def columns_of(page: str) -> dict[str, str]:
    sections = re.findall(r'<div id="cards-(\w+)" class="cards">(.*?)</div>\s*</section>', page, re.S)
    return dict(sections)


def fresh(client) -> TabletBoard:
    return TabletBoard(client.get("/cashier").get_data(as_text=True))
