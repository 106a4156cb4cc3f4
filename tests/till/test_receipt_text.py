"""A receipt's columns on 32 and 48 characters: nothing runs past the paper's edge,
amounts stand against it, and a label or value too long wraps without losing a character."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.printing import escpos
from webapp.till.receipt_text import in_columns

WIDTHS = (32, 48)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_label_and_its_amount_share_a_line_with_the_amount_at_the_edge(width):
    (line,) = in_columns("Subtotal", "Rp55.000", width)
    assert line.text == "Subtotal" + " " * (width - 16) + "Rp55.000"


def test_a_long_name_wraps_beside_its_amount_indented_under_the_quantity():
    lines = [line.text for line in in_columns("2x Nasi Goreng Spesial Telur Mata Sapi Dua", "Rp50.000", 32, "   ")]
    assert lines == ["2x Nasi Goreng Spesial  Rp50.000", "   Telur Mata Sapi Dua"]


def test_a_value_too_wide_to_share_a_line_comes_under_its_label_at_the_edge():
    lines = [line.text for line in in_columns("Nama", "Ibu Raden Ajeng Kartini Djojoadhiningrat", 32)]
    assert lines == ["Nama", "Ibu Raden Ajeng Kartini".rjust(32), "Djojoadhiningrat".rjust(32)]


def test_what_the_printer_cannot_print_is_dropped_before_measuring():
    (line,) = in_columns("1x Café Kopi Susu ☕", "Rp18.000", 32)
    assert line.text == "1x Cafe Kopi Susu " + " " * 6 + "Rp18.000" and len(line.text) == 32


words = st.text(st.characters(min_codepoint=32, max_codepoint=0x24F), max_size=80)


@settings(max_examples=200, deadline=None)
@given(left=words, right=words, width=st.sampled_from(WIDTHS))
def test_no_line_runs_past_the_paper_and_nothing_is_lost(left, right, width):
    lines = [line.text for line in in_columns(left, right, width, "   ")]
    assert all(len(line) <= width for line in lines)
    printed = "".join(lines).replace(" ", "")  # the value stands beside the label's first line
    assert sorted(printed) == sorted((escpos.plain(left) + escpos.plain(right)).replace(" ", ""))
