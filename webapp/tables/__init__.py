"""Dining tables: managing them and their QR tokens (`registry`), the table a
customer's phone scanned (`visit`), printable QR cards (`cards`), the cashier's floor
view (`floor`) and the demo tables (`demo`)."""
