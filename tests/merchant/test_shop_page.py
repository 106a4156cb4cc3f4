"""The shop page (issue 24, item 19b): an admin names the shop and gives it a logo, and
the header, page titles, receipts and table QR cards show them; the logo is checked
and cleaned as an item's photo is; every change is kept with who and when."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from tests import factories as make
from tests import photo_files
from tests.db_helpers import count, statements
from webapp.extensions import db
from webapp.menu.photos import FORMATS
from webapp.merchant.logo import LOGO
from webapp.merchant.profile import current_profile
from webapp.models import MerchantProfile
from webapp.staff.permissions import Permission, requires

NAME = "Warung Bu Tini"


def save_shop(client, name: str = NAME, logo: bytes | None = None, remove_logo: bool = False):
    data = {"csrf_token": client.csrf_token, "name": name}
    if logo is not None:
        data["logo"] = (BytesIO(logo), "logo.png")
    if remove_logo:
        data["remove_logo"] = "y"
    return client.post("/admin/shop", data=data, content_type="multipart/form-data")


def logo_files(key: str) -> set[str]:
    return {f"{key}-{LOGO.name}.{extension}" for extension, _format, _options in FORMATS}


def stored(photo_dir: Path) -> set[str]:
    return {path.name for path in photo_dir.iterdir()}


def wide_logo() -> bytes:
    """A 1200 x 300 PNG with a transparent background, as logos are drawn."""
    return photo_files.encoded(photo_files.two_halves(1200, 300).convert("RGBA"), "PNG")


def test_until_an_admin_saves_it_the_name_is_merchant_name(app, client, menu):
    page = client.get("/").get_data(as_text=True)
    assert app.config["MERCHANT_NAME"] == "Warung Makan Sederhana"
    assert "<title>Warung Makan Sederhana</title>" in page
    assert '<a class="brand" href="/">Warung Makan Sederhana</a>' in page


def test_the_name_and_logo_show_in_the_header_titles_receipts_and_table_cards(admin_client, client, menu, photo_dir):
    make.bill_settings(merchant_address="Jl. Braga 12, Bandung")
    make.dining_table("7")
    order = make.paid_order(menu)
    assert save_shop(admin_client, logo=wide_logo()).status_code == 303
    key = current_profile().logo_key
    picture = (
        f'<source type="image/webp" srcset="/photos/{key}-logo.webp">'
        f'<img src="/photos/{key}-logo.jpg" width="480" height="120" alt="">'
    )

    menu_page = client.get("/").get_data(as_text=True)
    assert f'<a class="brand" href="/"><picture class="brand-logo">{picture}</picture>{NAME}</a>' in menu_page
    assert f"<title>{NAME}</title>" in menu_page and "Warung Makan Sederhana" not in menu_page
    assert f"<title>Keranjang &middot; {NAME}</title>" in client.get("/cart").get_data(as_text=True)

    receipt = client.get(f"/orders/{order.public_id}/receipt").get_data(as_text=True)
    head = re.search(r'<header class="receipt-head">(.*?)</header>', receipt, re.S).group(1)
    assert f'<picture class="receipt-logo">{picture}</picture>' in head
    assert f'<h1 id="receipt-title">{NAME}</h1>' in head and "Jl. Braga 12, Bandung" in head

    cards = admin_client.get("/admin/tables/print").get_data(as_text=True)
    assert f'<p class="table-card-merchant"><picture class="table-card-logo">{picture}</picture>{NAME}</p>' in cards


def test_the_logo_is_cleaned_and_fitted_without_cropping(admin_client, photo_dir):
    source = photo_files.phone_jpeg()  # 300 x 100 stored, turned upright: 100 x 300, with GPS
    assert save_shop(admin_client, logo=source).status_code == 303
    profile = current_profile()
    assert (profile.logo_width, profile.logo_height) == (80, 240)  # fitted into 480 x 240, its shape kept
    assert stored(photo_dir) == logo_files(profile.logo_key)
    for name in stored(photo_dir):
        data = (photo_dir / name).read_bytes()
        assert b"Exif" not in data and b"WarungPhone" not in data
        with Image.open(photo_dir / name) as image:
            assert image.size == (80, 240) and not image.getexif()
    small = photo_files.encoded(Image.new("RGB", (60, 40), "white"), "PNG")
    assert save_shop(admin_client, logo=small).status_code == 303
    assert (current_profile().logo_width, current_profile().logo_height) == (60, 40)  # never enlarged


@pytest.mark.parametrize(
    "data, message",
    [
        (b"Warung Bu Tini\n" * 40, "bukan foto JPEG, PNG atau WebP"),
        (photo_files.png_bomb(), "paling banyak 8000 piksel"),
        (photo_files.phone_jpeg() + b"\0" * (6 * 1024 * 1024), "paling besar 5 MB"),
    ],
    ids=["renamed-text", "decompression-bomb", "6-mb"],
)
def test_what_is_not_a_picture_is_refused_and_nothing_changes(admin_client, photo_dir, data, message):
    response = save_shop(admin_client, logo=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(MerchantProfile) == 0 and stored(photo_dir) == set()


@pytest.mark.parametrize(
    "name, message", [("   ", "Nama toko wajib diisi."), ("W" * 61, "Nama paling panjang 60 karakter.")]
)
def test_a_shop_needs_a_name_of_at_most_60_characters(admin_client, name, message):
    response = save_shop(admin_client, name=name)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(MerchantProfile) == 0


def test_a_replaced_or_removed_logo_leaves_no_files_and_every_change_is_kept(admin_client, photo_dir):
    save_shop(admin_client, logo=wide_logo())
    first = current_profile().logo_key
    save_shop(admin_client, name="Warung Bu Tini 2")  # no new file: the logo stays
    assert current_profile().logo_key == first and stored(photo_dir) == logo_files(first)
    save_shop(admin_client, name="Warung Bu Tini 2", logo=photo_files.phone_jpeg())
    second = current_profile().logo_key
    assert second != first and stored(photo_dir) == logo_files(second)
    save_shop(admin_client, name="Warung Bu Tini 2", remove_logo=True)
    assert current_profile().logo_key == "" and stored(photo_dir) == set()
    rows = db.session.query(MerchantProfile).order_by(MerchantProfile.id).all()
    assert [(row.name, bool(row.logo_key), row.changed_by) for row in rows] == [
        (NAME, True, "budi"),
        ("Warung Bu Tini 2", True, "budi"),
        ("Warung Bu Tini 2", True, "budi"),
        ("Warung Bu Tini 2", False, "budi"),
    ]
    page = admin_client.get("/admin/shop").get_data(as_text=True)
    assert page.count("budi:") == 4 and "tanpa logo" in page


def test_the_page_shows_the_receipts_address_where_it_is_set(admin_client):
    page = admin_client.get("/admin/shop").get_data(as_text=True)
    assert 'value="Warung Makan Sederhana"' in page and page.count("belum diisi") == 2
    make.bill_settings(merchant_address="Jl. Braga 12, Bandung", merchant_tax_number="P2.0001234.16.01")
    page = admin_client.get("/admin/shop").get_data(as_text=True)
    assert "Jl. Braga 12, Bandung" in page and "P2.0001234.16.01" in page
    assert '<a href="/admin/bill">Ubah alamat dan NPWPD di pengaturan tagihan</a>' in page


def test_cashiers_cannot_change_the_shop(cashier_client):
    assert cashier_client.get("/admin/shop").status_code == 403
    assert save_shop(cashier_client).status_code == 403


def test_a_page_reads_the_shop_once_and_an_error_page_not_at_all(app, client, menu):
    app.add_url_rule("/boom", "boom", requires(Permission.PUBLIC)(lambda: 1 / 0))
    with statements() as seen:
        assert client.get("/").status_code == 200
    reads = len([sql for sql in seen if "merchant_profile" in sql])
    assert reads == 1 or (reads == 0 and db.engine.dialect.name == "postgresql")  # once, or from the cache
    with statements() as seen:
        response = client.get("/boom")
    assert response.status_code == 500 and "Warung Makan Sederhana" in response.get_data(as_text=True)
    assert not [sql for sql in seen if "merchant_profile" in sql]
