"""The menu of issue 14's measurements: 80 items in 8 categories, 60 with photos, 10
option groups. Built on the demo menu (its 14 items, photos and 3 groups) through the
menu's own editing functions and photo storage, with photos drawn by Pillow from each
dish's name, so every run makes the same menu.

    .venv/bin/python bench/big_menu.py      (in the app's environment: DATABASE_URL, ...)

Safe to run again: only what is missing is added.
"""

import sys
from io import BytesIO
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp.extensions import db
from webapp.menu import editing, option_editing, photos
from webapp.menu.demo import demo_photo, seed_demo_menu, seed_demo_options, seed_demo_photos
from webapp.models import Category, MenuItem, OptionGroup

# (group, min, max, [(option, price difference)]) besides the demo's three groups
GROUPS = [
    ("Pilihan nasi", 1, 1, [("Nasi putih", 0), ("Nasi uduk", 3000), ("Nasi merah", 4000), ("Lontong", 2000)]),
    ("Sambal", 0, 2, [("Sambal bawang", 0), ("Sambal matah", 3000), ("Sambal ijo", 3000), ("Sambal terasi", 2000)]),
    ("Porsi", 1, 1, [("Biasa", 0), ("Jumbo", 8000)]),
    ("Bumbu sate", 1, 1, [("Bumbu kacang", 0), ("Bumbu kecap", 0)]),
    ("Penyajian", 1, 1, [("Dingin", 0), ("Panas", 0)]),
    ("Gula", 1, 1, [("Normal", 0), ("Sedikit gula", 0), ("Tanpa gula", 0)]),
    ("Topping minuman", 0, 3, [("Boba", 5000), ("Jelly", 3000), ("Susu kental manis", 3000), ("Cincau", 3000)]),
]

# category: (its option groups, [(item, description, price)] added to it)
ITEMS = {
    "Makanan": (
        ["Level pedas", "Tambahan", "Porsi"],
        [
            ("Nasi Goreng Kambing", "Daging kambing, acar, emping.", 32000),
            ("Nasi Campur Bali", "Sate lilit, lawar, ayam betutu, sambal matah.", 30000),
            ("Nasi Rawon", "Kuah kluwek, daging sapi, tauge, telur asin.", 27000),
            ("Nasi Pecel", "Sayur rebus, bumbu pecel, rempeyek.", 17000),
        ],
    ),
    "Camilan": (
        ["Sambal"],
        [
            ("Risoles Mayo", "Tiga risoles isi telur, smoked beef, mayones.", 12000),
            ("Lumpia Semarang", "Isi rebung dan udang, saus tauco.", 15000),
            ("Cireng Bumbu Rujak", "Aci goreng, bumbu rujak pedas manis.", 10000),
            ("Tempe Mendoan", "Lima potong, kecap cabai rawit.", 10000),
            ("Kentang Goreng", "Kentang renyah, saus sambal.", 15000),
            ("Otak-Otak", "Ikan tenggiri bakar, saus kacang.", 14000),
            ("Singkong Keju", "Singkong goreng, keju parut.", 13000),
        ],
    ),
    "Minuman": (
        ["Ukuran minuman", "Gula", "Topping minuman"],
        [
            ("Es Kelapa Muda", "Kelapa muda utuh, sirup gula.", 12000),
            ("Jus Alpukat", "Alpukat mentega, susu cokelat.", 15000),
            ("Es Campur", "Cincau, kolang-kaling, nangka, sirup merah.", 15000),
            ("Es Soda Gembira", "Soda, susu kental manis, sirup.", 14000),
            ("Jus Jambu", "Jambu biji merah segar.", 13000),
        ],
    ),
    "Mie & Bakso": (
        ["Level pedas", "Tambahan", "Porsi"],
        [
            ("Mie Goreng Jawa", "Mie kuning, telur bebek, sayur, kerupuk.", 22000),
            ("Mie Rebus", "Kuah kaldu ayam, telur, sawi.", 20000),
            ("Kwetiau Goreng", "Kwetiau, udang, bakso ikan, tauge.", 24000),
            ("Bihun Goreng", "Bihun, ayam suwir, kol.", 20000),
            ("Bakso Urat", "Lima bakso urat, mie, bihun, kuah sapi.", 22000),
            ("Bakso Beranak", "Bakso besar isi bakso kecil dan telur.", 30000),
            ("Mie Aceh", "Mie tebal, daging sapi, kuah kari.", 28000),
            ("Mie Yamin", "Mie manis, ayam cincang, pangsit, kuah terpisah.", 21000),
            ("Cap Cay Kuah", "Sayuran, udang, bakso, kuah kental.", 25000),
            ("Ifumie", "Mie kering, saus seafood.", 27000),
        ],
    ),
    "Sate & Bakaran": (
        ["Pilihan nasi", "Sambal", "Level pedas"],
        [
            ("Sate Ayam Madura", "Sepuluh tusuk, lontong, bawang merah.", 25000),
            ("Sate Kambing", "Sepuluh tusuk kambing muda, acar.", 35000),
            ("Sate Padang", "Lidah dan daging sapi, kuah kuning kental.", 28000),
            ("Sate Taichan", "Ayam tanpa bumbu kacang, sambal rawit, jeruk nipis.", 24000),
            ("Sate Lilit", "Ikan cincang berbumbu Bali, batang serai.", 27000),
            ("Sate Maranggi", "Sapi bumbu ketumbar, sambal oncom.", 30000),
            ("Ayam Bakar Taliwang", "Ayam kampung pedas khas Lombok, plecing.", 32000),
            ("Ayam Bakar Madu", "Ayam bakar manis, lalapan.", 28000),
            ("Iga Bakar", "Iga sapi bakar kecap.", 45000),
            ("Bebek Bakar", "Setengah ekor, sambal korek.", 38000),
        ],
    ),
    "Hidangan Laut": (
        ["Pilihan nasi", "Sambal", "Level pedas"],
        [
            ("Gurame Asam Manis", "Gurame goreng utuh, saus asam manis.", 55000),
            ("Cumi Goreng Tepung", "Cumi renyah, saus tartar.", 35000),
            ("Udang Saus Padang", "Udang besar, saus cabai tomat.", 48000),
            ("Kerang Hijau Rebus", "Kuah jahe serai.", 30000),
            ("Ikan Bakar Jimbaran", "Ikan kakap bakar, sambal matah.", 50000),
            ("Pecak Lele", "Lele goreng, kuah pecak pedas.", 22000),
            ("Pepes Ikan", "Ikan mas dalam daun pisang, kemangi.", 25000),
            ("Kepiting Saus Tiram", "Kepiting bakau, saus tiram.", 75000),
            ("Cumi Hitam", "Cumi masak tinta, cabai hijau.", 38000),
            ("Udang Goreng Mentega", "Udang, saus mentega manis.", 45000),
        ],
    ),
    "Kopi & Teh": (
        ["Ukuran minuman", "Penyajian", "Gula"],
        [
            ("Kopi Susu Gula Aren", "Espresso, susu segar, gula aren.", 18000),
            ("Kopi Hitam", "Kopi Gayo tubruk.", 10000),
            ("Kopi Vietnam Drip", "Robusta, susu kental manis.", 20000),
            ("Cappuccino", "Espresso, busa susu.", 22000),
            ("Kopi Jahe", "Kopi, jahe bakar.", 12000),
            ("Teh Tarik", "Teh hitam, susu kental manis, ditarik.", 12000),
            ("Teh Susu", "Teh hitam, susu segar.", 10000),
            ("Es Teh Lemon", "Teh melati, perasan lemon.", 10000),
            ("Teh Poci", "Teh melati dalam poci tanah liat, gula batu.", 12000),
            ("Wedang Jahe", "Jahe merah, gula aren, serai.", 8000),
        ],
    ),
    "Pencuci Mulut": (
        ["Topping minuman"],
        [
            ("Es Teler", "Alpukat, kelapa muda, nangka, santan.", 18000),
            ("Klepon", "Enam butir, gula merah, kelapa parut.", 10000),
            ("Martabak Manis Mini", "Cokelat, kacang, keju.", 20000),
            ("Kue Lapis", "Lapis tepung beras, santan.", 10000),
            ("Pisang Bakar Keju", "Pisang raja, keju, susu.", 16000),
            ("Serabi Kuah Kinca", "Tiga serabi, kuah gula merah.", 12000),
            ("Es Doger", "Tape singkong, ketan hitam, santan merah muda.", 15000),
            ("Dadar Gulung", "Dadar pandan isi unti kelapa.", 10000),
            ("Puding Roti", "Roti, susu, kismis, vla.", 14000),
            ("Bubur Sumsum", "Bubur tepung beras, kuah gula merah.", 12000),
        ],
    ),
}
NO_PHOTO_CATEGORY = "Kopi & Teh"  # drinks often have no photo: none of its new items has one
NO_PHOTO_EVERY = 5  # elsewhere, every fifth new item of a category has none


def seed_big_menu() -> dict[str, int]:
    """Add what is missing of the big menu; return what the menu then holds."""
    seed_demo_menu()
    seed_demo_photos()
    seed_demo_options()
    for name, low, high, options in GROUPS:
        if db.session.scalar(select(OptionGroup).where(OptionGroup.name == name)) is None:
            group = option_editing.save_group(None, name=name, min_choices=low, max_choices=high)
            for option, price_diff in options:
                option_editing.save_option(None, group, name=option, price_diff=price_diff)
    group_ids = {group.name: group.id for group in db.session.scalars(select(OptionGroup))}
    for category_name, (groups, items) in ITEMS.items():
        category = db.session.scalar(select(Category).where(Category.name == category_name))
        if category is None:
            category = editing.save_category(None, category_name)
        existing = {item.name for item in category.items}
        for index, (name, description, price) in enumerate(items):
            if name in existing:
                continue
            item = editing.save_item(
                None, category_id=category.id, name=name, description=description, price=price, available=True
            )
            sate = ["Bumbu sate"] if name.startswith("Sate") else []
            option_editing.attach_groups(item, [group_ids[group] for group in [*groups, *sate]])
            if category_name != NO_PHOTO_CATEGORY and index % NO_PHOTO_EVERY != NO_PHOTO_EVERY - 1:
                photos.set_photo(item, BytesIO(demo_photo(name)))
    count = lambda query: db.session.scalar(select(func.count()).select_from(query))  # noqa: E731
    return {
        "categories": count(select(Category.id).subquery()),
        "items": count(select(MenuItem.id).subquery()),
        "photos": count(select(MenuItem.id).where(MenuItem.photo_key != "").subquery()),
        "option_groups": count(select(OptionGroup.id).subquery()),
    }


if __name__ == "__main__":
    from webapp import create_app

    with create_app().app_context():
        print(" ".join(f"{name}={value}" for name, value in seed_big_menu().items()))
