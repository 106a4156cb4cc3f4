"""The form pieces every blueprint shares: how an amount of rupiah typed by staff is read."""

import pytest

from webapp.forms import parse_rupiah


@pytest.mark.parametrize(
    "typed, amount",
    [
        ("50000", 50_000),
        ("50.000", 50_000),  # as the app prints it
        ("50,000", 50_000),
        ("Rp50.000", 50_000),
        ("Rp 50.000", 50_000),
        ("rp. 50.000", 50_000),
        ("Rp\u00a050.000", 50_000),  # a no-break space, as some keyboards and copies give
        ("Rp50.000,-", 50_000),
        ("Rp 1.250.000,00", 1_250_000),
        ("1,250,000.00", 1_250_000),
        ("50rb", 50_000),
        ("50 rb", 50_000),
        ("Rp50RB", 50_000),
        ("50 ribu", 50_000),
        ("  150.000 ", 150_000),
        ("0", 0),
        ("-5.000", -5_000),  # read, so that the field's range refuses it with its own message
    ],
)
def test_the_usual_ways_to_write_rupiah_are_read(typed, amount):
    assert parse_rupiah(typed) == amount


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "Rp",
        "rb",
        "50.5",  # 50 and a half thousand, or 50.500 mistyped?
        "50,5",
        "1.000.00",
        "1.0000",
        "0.500",
        "50.000,50",  # cents are not paid in cash
        "50,000,-",
        "50.000rb",
        "2,5rb",
        "50k",
        "50 000",
        "50_000",  # int() reads this
        "\uff15\uff10\uff10\uff10\uff10",  # full-width digits: int() reads these too
        "\u0665\u0660\u0660\u0660\u0660",  # Arabic-Indic digits
        "+50000",
        "IDR 50.000",
        "dua puluh",
        "9" * 50,
    ],
)
def test_anything_else_is_refused(typed):
    with pytest.raises(ValueError, match="is not an amount of rupiah"):
        parse_rupiah(typed)
