"""An admin uploads an item's photo: only real JPEG, PNG and WebP photos of a sane
size are taken, cleaned of metadata, stored in two sizes and two formats, served with
long cache headers, and their files deleted when replaced or removed."""

from io import BytesIO
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from tests import photo_files
from tests.db_helpers import reload
from webapp.menu import editing
from webapp.menu.photos import LARGE, THUMB, file_names


def upload(client, item, data: bytes, filename: str = "foto.jpg"):
    return client.post(
        f"/admin/items/{item.id}/photo",
        data={"csrf_token": client.csrf_token, "photo": (BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def stored(photo_dir: Path) -> set[str]:
    return {path.name for path in photo_dir.iterdir()}


@pytest.mark.parametrize(
    "data",
    [
        photo_files.phone_jpeg(),
        photo_files.encoded(photo_files.two_halves(), "PNG"),
        photo_files.encoded(photo_files.two_halves().convert("RGBA"), "WEBP"),
    ],
    ids=["jpeg", "png", "webp"],
)
def test_a_real_photo_is_stored_in_two_sizes_as_webp_and_jpeg(admin_client, menu, photo_dir, data):
    item = menu["Nasi Goreng"]
    response = upload(admin_client, item, data, filename="anything.bin")
    assert response.status_code == 303
    key = reload(item).photo_key
    assert key and stored(photo_dir) == set(file_names(key))
    for size in (THUMB, LARGE):
        for extension, pillow_format in (("webp", "WEBP"), ("jpg", "JPEG")):
            with Image.open(photo_dir / f"{key}-{size.name}.{extension}") as image:
                assert (image.format, image.size) == (pillow_format, (size.width, size.height))


def test_exif_and_gps_are_gone_and_the_orientation_is_applied(admin_client, menu, photo_dir):
    source = photo_files.phone_jpeg()
    with Image.open(BytesIO(source)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the upload does carry a position
    assert upload(admin_client, menu["Nasi Goreng"], source).status_code == 303
    for name in stored(photo_dir):
        data = (photo_dir / name).read_bytes()
        assert b"Exif" not in data and b"WarungPhone" not in data and b"XMP" not in data
        with Image.open(photo_dir / name) as image:
            assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    # Stored wide with orientation 6, shown tall: red (the left half) ends up on top.
    large = next(name for name in stored(photo_dir) if name.endswith("-large.jpg"))
    with Image.open(photo_dir / large) as image:
        top, bottom = image.convert("RGB").getpixel((400, 20)), image.convert("RGB").getpixel((400, 580))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"Nasi goreng enak sekali\n" * 40, "bukan foto JPEG, PNG atau WebP"),
        (photo_files.phone_jpeg()[:1500], "rusak atau tidak lengkap"),
        (photo_files.png_bomb(), "paling banyak 8000 piksel"),
        (photo_files.encoded(Image.new("RGB", (8001, 10)), "PNG"), "paling banyak 8000 piksel"),
        (photo_files.encoded(Image.new("RGB", (10, 10)), "GIF"), "bukan foto JPEG, PNG atau WebP"),
        (photo_files.phone_jpeg() + b"\0" * (6 * 1024 * 1024), "paling besar 5 MB"),
    ],
    ids=["renamed-text", "truncated", "decompression-bomb", "too-wide", "gif", "6-mb"],
)
def test_what_is_not_a_sane_photo_is_refused_with_a_message(admin_client, menu, photo_dir, data, message):
    item = menu["Nasi Goreng"]
    response = upload(admin_client, item, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert reload(item).photo_key == "" and stored(photo_dir) == set()


def test_no_file_is_a_form_error_and_a_huge_body_a_413(admin_client, menu, photo_dir):
    item = menu["Nasi Goreng"]
    response = admin_client.post(
        f"/admin/items/{item.id}/photo",
        data={"csrf_token": admin_client.csrf_token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "Pilih berkas foto" in response.get_data(as_text=True)
    assert upload(admin_client, item, b"\xff" * (9 * 1024 * 1024)).status_code == 413
    # Other forms keep the small limit.
    big_note = admin_client.post("/admin/categories/new", data={"name": "x" * (100 * 1024)})
    assert big_note.status_code == 413


def test_replacing_and_deleting_remove_the_old_files(admin_client, menu, photo_dir):
    item = menu["Nasi Goreng"]
    upload(admin_client, item, photo_files.phone_jpeg())
    first = reload(item).photo_key
    upload(admin_client, item, photo_files.encoded(photo_files.two_halves(), "PNG"))
    second = reload(item).photo_key
    assert second != first and stored(photo_dir) == set(file_names(second))
    response = admin_client.post(f"/admin/items/{item.id}/photo/delete", data={"csrf_token": admin_client.csrf_token})
    assert response.status_code == 303
    assert reload(item).photo_key == "" and stored(photo_dir) == set()


def test_a_photo_two_items_share_stays_until_neither_shows_it(admin_client, menu, photo_dir):
    data = photo_files.phone_jpeg()
    upload(admin_client, menu["Nasi Goreng"], data)
    upload(admin_client, menu["Mie Ayam"], data)
    key = reload(menu["Nasi Goreng"]).photo_key
    editing.delete_item(reload(menu["Nasi Goreng"]))
    assert stored(photo_dir) == set(file_names(key))
    editing.delete_item(reload(menu["Mie Ayam"]))
    assert stored(photo_dir) == set()


def test_photos_are_served_with_year_long_immutable_cache_headers(admin_client, client, menu, photo_dir):
    upload(admin_client, menu["Nasi Goreng"], photo_files.phone_jpeg())
    key = reload(menu["Nasi Goreng"]).photo_key
    response = client.get(f"/photos/{key}-thumb.webp")
    assert response.status_code == 200 and response.mimetype == "image/webp"
    cache = response.cache_control
    assert (cache.public, cache.immutable, cache.max_age) == (True, True, 365 * 24 * 3600)
    assert client.get(f"/photos/{key}-thumb.gif").status_code == 404
    assert client.get("/photos/..%2Fwarung.sqlite3").status_code == 404


def test_the_menu_shows_thumbnails_with_their_size_and_a_tile_without_one(admin_client, client, menu, photo_dir):
    upload(admin_client, menu["Nasi Goreng"], photo_files.phone_jpeg())
    key = reload(menu["Nasi Goreng"]).photo_key
    page = client.get("/").get_data(as_text=True)
    assert f'<source type="image/webp" srcset="/photos/{key}-thumb.webp">' in page
    assert f'<img src="/photos/{key}-thumb.jpg" width="160" height="160" alt="" loading="lazy"' in page
    assert '<span class="item-photo item-photo-thumb item-photo-none" aria-hidden="true">M</span>' in page  # Mie Ayam
    edit_page = admin_client.get(f"/admin/items/{menu['Nasi Goreng'].id}/edit").get_data(as_text=True)
    assert f"/photos/{key}-thumb.jpg" in edit_page and "Hapus foto" in edit_page


def test_the_menu_has_category_chips_linking_to_their_sections(client, menu):
    page = client.get("/").get_data(as_text=True)
    food = menu["Nasi Goreng"].category
    assert f'<a class="chip" href="#cat-{food.id}">Makanan</a>' in page
    assert f'<h2 id="cat-{food.id}">Makanan</h2>' in page
    assert "js/menu-nav.js" in page
