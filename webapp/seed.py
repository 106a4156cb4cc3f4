"""The demo menu of a small Indonesian eatery, loaded by `flask seed-demo`."""
from sqlalchemy import select

from .extensions import db
from .models import Category, MenuItem

DEMO_MENU: list[tuple[str, list[tuple[str, str, int]]]] = [
    ("Makanan", [
        ("Nasi Goreng Spesial", "Nasi goreng kampung, telur mata sapi, ayam suwir, kerupuk.", 25000),
        ("Mie Ayam Bakso", "Mie kuning, ayam kecap, dua bakso sapi, sawi.", 22000),
        ("Soto Ayam Lamongan", "Kuah kuning bening, koya, telur rebus, nasi putih.", 20000),
        ("Ayam Geprek", "Ayam goreng tepung dengan sambal bawang, nasi, lalapan.", 23000),
        ("Gado-Gado", "Sayuran rebus, tahu, tempe, lontong, bumbu kacang.", 18000),
        ("Nasi Uduk Komplit", "Nasi gurih, ayam goreng, orek tempe, sambal kacang.", 24000),
    ]),
    ("Camilan", [
        ("Pisang Goreng", "Lima potong pisang kepok, gula aren.", 12000),
        ("Tahu Isi", "Empat tahu isi sayur, cabai rawit.", 10000),
        ("Bakwan Jagung", "Tiga bakwan jagung manis, renyah.", 10000),
    ]),
    ("Minuman", [
        ("Es Teh Manis", "Teh melati, gula pasir, es batu.", 5000),
        ("Es Jeruk", "Jeruk peras segar.", 8000),
        ("Kopi Tubruk", "Kopi robusta Lampung, gula terpisah.", 7000),
        ("Es Cendol", "Cendol hijau, santan, gula merah.", 12000),
        ("Air Mineral", "Botol 600 ml.", 4000),
    ]),
]


def seed_demo_menu() -> tuple[int, int]:
    """Create the demo categories and items that are missing; return how many were added.

    Existing rows are left as they are (a cashier may have changed a price or marked an
    item sold out), so running it twice changes nothing.
    """
    added_categories = added_items = 0
    for position, (category_name, items) in enumerate(DEMO_MENU):
        category = db.session.scalar(select(Category).where(Category.name == category_name))
        if category is None:
            category = Category(name=category_name, position=position)
            db.session.add(category)
            added_categories += 1
        existing = {item.name for item in category.items}
        for item_position, (name, description, price) in enumerate(items):
            if name not in existing:
                category.items.append(
                    MenuItem(name=name, description=description, price=price, position=item_position)
                )
                added_items += 1
    db.session.commit()
    return added_categories, added_items
