"""Discounts: promotions the server applies in their time window, vouchers customers and
cashiers enter, and discounts staff give by hand (above a limit, with a manager's
approval). What they take off is computed by billing/bill.py, before service and tax;
an order keeps each discount it got as it was given (`models.OrderDiscount`).
"""
