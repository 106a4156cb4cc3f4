"""Every user-facing string is translatable and translated; the language can be chosen."""

import os
import re
import time
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
METHOD_MAP = [("webapp/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def extracted_messages() -> set[str]:
    found = extract_from_dir(str(ROOT), METHOD_MAP, keywords=KEYWORDS)
    return {message if isinstance(message, str) else message[0] for _file, _line, message, _comments, _ctx in found}


@pytest.fixture(scope="module")
def english():
    with open(ROOT / "translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        return {message.id: message.string for message in read_po(handle) if message.id}


def test_every_extracted_string_has_an_english_translation(english):
    messages = extracted_messages()
    assert len(messages) > 200
    missing = sorted(message for message in messages if not english.get(message))
    assert missing == [], f"not translated in translations/en (run make translations-update): {missing}"


def test_translations_keep_their_placeholders(english):
    for source, translation in english.items():
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translation)), source


def test_no_literal_indonesian_left_in_templates():
    """Text between tags must come through _(): catch a plain word left in a template."""
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):  # not duitku_sandbox's: a third party's pages
        text = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}|&\w+;", "", template.read_text(), flags=re.S)
        for tag, words in re.findall(r"(<[^<>]*>)([^<>]*[A-Za-z]{3,}[^<>]*)<", text):
            if " lang=" not in tag:  # a language's own name is written in that language
                offenders.append(f"{template.name}: {words.strip()}")
    assert offenders == []


def test_indonesian_is_the_default(client, menu):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="id">' in html and "Keranjang" in html


def test_accept_language_english_is_honoured(client, menu):
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html and "Nothing here yet" in html and "Keranjang" not in html
    assert "Rp25.000" in html  # money is always written the Indonesian way


def test_choice_is_remembered_in_the_session(client, menu):
    response = client.get("/lang/en?next=/cart")
    assert response.status_code == 303 and response.location == "/cart"
    assert "Back to the menu" in client.get("/cart", headers={"Accept-Language": "id"}).get_data(as_text=True)
    client.get("/lang/id")
    assert "Kembali ke menu" in client.get("/cart").get_data(as_text=True)


def test_language_switch_ignores_unknown_languages_and_foreign_redirects(client, menu):
    client.get("/lang/fr")
    assert '<html lang="id">' in client.get("/").get_data(as_text=True)
    assert client.get("/lang/en?next=//evil.example").location == "/"


def test_form_errors_are_translated(client, csrf, menu):
    client.get("/lang/en")
    response = client.post("/cart/add", data={"csrf_token": csrf, "item_id": menu["Mie Ayam"].id, "quantity": "0"})
    assert "The quantity must be a number from 1 to 99." in response.get_data(as_text=True)


@pytest.fixture
def app_with_catalogs(database_uri, _schema, tmp_path, monkeypatch):
    """Makes an app whose translations are a copy of ours holding only the given .po
    files (no compiled catalogs, as in a clone installed with pip and served by
    gunicorn without `make`), with a fresh instance folder."""
    from tests.apps import config_for
    from webapp import create_app
    from webapp.extensions import babel

    monkeypatch.setenv("WARUNG_INSTANCE_DIR", str(tmp_path / "instance"))
    apps = []

    def make(languages):
        source = tmp_path / "translations"
        for code in languages:
            po = source / code / "LC_MESSAGES" / "messages.po"
            if not po.exists():
                po.parent.mkdir(parents=True)
                po.write_bytes((ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").read_bytes())
        babel.__dict__.pop("domain_instance", None)  # Flask-Babel caches catalogs per process, not per app
        apps.append(create_app(config_for(database_uri, BABEL_TRANSLATION_DIRECTORIES=str(source))))
        return apps[-1]

    yield make
    babel.__dict__.pop("domain_instance", None)


def test_english_works_without_a_build_step(app_with_catalogs, tmp_path):
    app = app_with_catalogs(["en"])
    assert not list((tmp_path / "translations").rglob("*.mo"))
    html = app.test_client().get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in html and "Cart" in html and "Keranjang" not in html
    assert (tmp_path / "instance" / "translations" / "en" / "LC_MESSAGES" / "messages.mo").exists()


def test_an_edited_catalog_is_compiled_again(app_with_catalogs, tmp_path):
    app_with_catalogs(["en"])
    po = tmp_path / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text().replace('msgstr "Cart"', 'msgstr "Basket"'))
    os.utime(po, (time.time() + 5, time.time() + 5))  # later than the compiled copy, whatever the clock's grain
    html = app_with_catalogs(["en"]).test_client().get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Basket" in html


def test_a_language_without_a_catalog_is_never_claimed(app_with_catalogs):
    client = app_with_catalogs([]).test_client()
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="id">' in html and 'lang="en">English<' not in html
    client.get("/lang/en")
    assert '<html lang="id">' in client.get("/").get_data(as_text=True)
