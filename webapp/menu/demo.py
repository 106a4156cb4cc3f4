"""The demo menu of a small Indonesian eatery, loaded by `flask seed-demo`."""

import random
from io import BytesIO

from PIL import Image, ImageDraw
from sqlalchemy import select

from ..extensions import db
from ..models import Category, MenuItem, Option, OptionGroup
from . import photos

# (category, its English name, [(item, description, price, English name, English description)])
DEMO_MENU: list[tuple[str, str, list[tuple[str, str, int, str, str]]]] = [
    (
        "Makanan",
        "Food",
        [
            (
                "Nasi Goreng Spesial",
                "Nasi goreng kampung, telur mata sapi, ayam suwir, kerupuk.",
                25000,
                "Special Fried Rice",
                "Village-style fried rice, fried egg, shredded chicken, crackers.",
            ),
            (
                "Mie Ayam Bakso",
                "Mie kuning, ayam kecap, dua bakso sapi, sawi.",
                22000,
                "Chicken Noodles with Meatballs",
                "Egg noodles, soy-braised chicken, two beef meatballs, greens.",
            ),
            (
                "Soto Ayam Lamongan",
                "Kuah kuning bening, koya, telur rebus, nasi putih.",
                20000,
                "Lamongan Chicken Soup",
                "Clear turmeric broth, koya crumble, boiled egg, steamed rice.",
            ),
            (
                "Ayam Geprek",
                "Ayam goreng tepung dengan sambal bawang, nasi, lalapan.",
                23000,
                "Smashed Fried Chicken",
                "Crispy fried chicken with garlic chilli sambal, rice, raw vegetables.",
            ),
            (
                "Gado-Gado",
                "Sayuran rebus, tahu, tempe, lontong, bumbu kacang.",
                18000,
                "Gado-Gado Salad",
                "Boiled vegetables, tofu, tempeh, rice cake, peanut sauce.",
            ),
            (
                "Nasi Uduk Komplit",
                "Nasi gurih, ayam goreng, orek tempe, sambal kacang.",
                24000,
                "Coconut Rice Platter",
                "Coconut rice, fried chicken, sweet tempeh, peanut sambal.",
            ),
        ],
    ),
    (
        "Camilan",
        "Snacks",
        [
            (
                "Pisang Goreng",
                "Lima potong pisang kepok, gula aren.",
                12000,
                "Fried Banana",
                "Five pieces of kepok banana, palm sugar.",
            ),
            (
                "Tahu Isi",
                "Empat tahu isi sayur, cabai rawit.",
                10000,
                "Stuffed Tofu",
                "Four tofu fritters stuffed with vegetables, bird's eye chillies.",
            ),
            (
                "Bakwan Jagung",
                "Tiga bakwan jagung manis, renyah.",
                10000,
                "Corn Fritters",
                "Three sweet corn fritters, crispy.",
            ),
        ],
    ),
    (
        "Minuman",
        "Drinks",
        [
            ("Es Teh Manis", "Teh melati, gula pasir, es batu.", 5000, "Iced Sweet Tea", "Jasmine tea, sugar, ice."),
            ("Es Jeruk", "Jeruk peras segar.", 8000, "Iced Orange", "Freshly squeezed oranges."),
            (
                "Kopi Tubruk",
                "Kopi robusta Lampung, gula terpisah.",
                7000,
                "Tubruk Coffee",
                "Lampung robusta, sugar on the side.",
            ),
            (
                "Es Cendol",
                "Cendol hijau, santan, gula merah.",
                12000,
                "Iced Cendol",
                "Green rice-flour jelly, coconut milk, palm sugar.",
            ),
            ("Air Mineral", "Botol 600 ml.", 4000, "Mineral Water", "600 ml bottle."),
        ],
    ),
]


def seed_demo_menu() -> tuple[int, int]:
    """Create the demo categories and items that are missing; return how many were added.

    Existing rows are left as they are (a cashier may have changed a price or marked an
    item sold out), so running it twice changes nothing.
    """
    added_categories = added_items = 0
    for position, (category_name, category_name_en, items) in enumerate(DEMO_MENU):
        category = db.session.scalar(select(Category).where(Category.name == category_name))
        if category is None:
            category = Category(name=category_name, name_en=category_name_en, position=position)
            db.session.add(category)
            added_categories += 1
        existing = {item.name for item in category.items}
        for item_position, (name, description, price, name_en, description_en) in enumerate(items):
            if name not in existing:
                category.items.append(
                    MenuItem(
                        name=name,
                        description=description,
                        price=price,
                        position=item_position,
                        name_en=name_en,
                        description_en=description_en,
                    )
                )
                added_items += 1
    db.session.commit()
    return added_categories, added_items


def demo_photo(name: str) -> bytes:
    """A drawn photo of a dish for the demo menu (no binary files in the repository):
    a plate on a table, the food's colours and garnish chosen from the dish's name."""
    rng = random.Random(name)  # noqa: S311 - a drawing, not a secret
    food = tuple(rng.randrange(120, 230) for _ in range(3))
    image = Image.new("RGB", (800, 600), (rng.randrange(90, 140), rng.randrange(60, 90), 40))
    draw = ImageDraw.Draw(image)
    draw.ellipse((130, 40, 670, 580), fill=(246, 242, 234), outline=(215, 208, 196), width=8)
    draw.ellipse((230, 140, 570, 480), fill=food)
    for _ in range(160):
        x, y, r = rng.randrange(250, 550), rng.randrange(160, 460), rng.randrange(4, 14)
        shade = tuple(max(0, min(255, channel + rng.randrange(-70, 70))) for channel in food)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def seed_demo_photos() -> int:
    """Give every demo item without a photo its drawn one; return how many were given."""
    names = {name for _category, _english, items in DEMO_MENU for name, *_rest in items}
    added = 0
    for item in db.session.scalars(select(MenuItem).where(MenuItem.name.in_(names), MenuItem.photo_key == "")):
        photos.set_photo(item, BytesIO(demo_photo(item.name)))
        added += 1
    return added


# (group, English, min, max, [(option, English, price difference)], items it is on)
DEMO_OPTION_GROUPS: list[tuple[str, str, int, int, list[tuple[str, str, int]], list[str]]] = [
    (
        "Level pedas",
        "Spice level",
        1,
        1,
        [(f"Level {level}", f"Level {level}", 0) for level in range(6)],
        ["Nasi Goreng Spesial", "Mie Ayam Bakso", "Ayam Geprek"],
    ),
    (
        "Tambahan",
        "Extras",
        0,
        3,
        [("Telur", "Egg", 4000), ("Keju", "Cheese", 5000), ("Kerupuk", "Crackers", 2000), ("Sosis", "Sausage", 6000)],
        ["Nasi Goreng Spesial", "Mie Ayam Bakso", "Ayam Geprek"],
    ),
    (
        "Ukuran minuman",
        "Drink size",
        1,
        1,
        [("Reguler", "Regular", 0), ("Jumbo", "Large", 3000)],
        ["Es Teh Manis", "Es Jeruk"],
    ),
]


def seed_demo_options() -> int:
    """Create the demo option groups that are missing, with their options, on their demo
    items; return how many groups were added. Existing groups are left as they are."""
    added = 0
    items = {item.name: item for item in db.session.scalars(select(MenuItem))}
    for position, (name, name_en, low, high, options, item_names) in enumerate(DEMO_OPTION_GROUPS):
        if db.session.scalar(select(OptionGroup).where(OptionGroup.name == name)) is not None:
            continue
        group = OptionGroup(name=name, name_en=name_en, min_choices=low, max_choices=high, position=position)
        group.options = [
            Option(name=option, name_en=option_en, price_diff=diff, position=option_position)
            for option_position, (option, option_en, diff) in enumerate(options)
        ]
        group.items = [items[item_name] for item_name in item_names if item_name in items]
        db.session.add(group)
        added += 1
    db.session.commit()
    return added
