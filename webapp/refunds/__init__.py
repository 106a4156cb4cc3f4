"""Refunds (giving.py): money of a paid order given back with a reason and a manager's
approval, in cash out of the open shift's drawer or paid back outside the gateway."""
