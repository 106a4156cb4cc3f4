"""The demo restaurant's tables: 1 to 8 inside, Teras 1 to 4 on the terrace."""

from __future__ import annotations

from .registry import find_by_label, save_table

DEMO_TABLES = [(str(number), "Dalam") for number in range(1, 9)] + [(f"Teras {n}", "Teras") for n in range(1, 5)]


def seed_demo_tables() -> int:
    """Create the demo tables that are missing; return how many were added."""
    added = 0
    for position, (label, area) in enumerate(DEMO_TABLES, start=1):
        if find_by_label(label) is None:
            save_table(None, label, area, position=position)
            added += 1
    return added
