from webapp.config import database_url
from webapp.formatting import rupiah


def test_postgres_urls_always_use_psycopg3():
    assert database_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert database_url("postgresql://u@h:5433/db") == "postgresql+psycopg://u@h:5433/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_no_database_url_means_an_sqlite_file_in_instance():
    url = database_url(None)
    assert url.startswith("sqlite:///") and url.endswith("instance/warung.sqlite3")


def test_rupiah_uses_indonesian_grouping():
    assert rupiah(25000) == "Rp25.000"
    assert rupiah(1250000) == "Rp1.250.000"
    assert rupiah(500) == "Rp500"
    assert rupiah(0) == "Rp0"
