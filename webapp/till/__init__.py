"""Tills: where staff ring up orders, at the counter or on a waiter's phone at a table,
each with its customer display and its receipt printer.

A till keeps what is being rung up on its own row (`models.Till`), not in a browser, so
that its customer display (another device) shows the order as it grows. `ringing`
changes that draft and places it as an order, the way a customer's order is placed;
the display's pairing and what it shows are `pairing` and `display`; its receipts
`printing`; its settings `settings`.
"""
