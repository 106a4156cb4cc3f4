"""The payment domain: payments only, no HTTP routes and no knowledge of what a payment
pays for (an order, a share of a table's bill: their domains register a payee).

- state: a payment's state changes (on the kernel, webapp/state.py) and its event log;
- paying: marking a payment paid and telling its payee (one statement for the usual
  QRIS callback on PostgreSQL);
- qris_payments, callbacks, reconcile, cash: creating QRIS payments, the Duitku
  callback, status checks / expiry / the sweep, and the cash payment row;
- duitku, gateway, qris_code, qr, issuers: Duitku's API, its QRIS strings and images;
- partner_webhooks, outbound, resource: the events partners receive.
"""
