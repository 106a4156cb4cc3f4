"""Tills: where staff ring up orders at the counter, each with its customer display and
its receipt printer."""
