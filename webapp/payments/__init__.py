"""The payment domain; no HTTP routes live here.

- transitions: the one conditional-UPDATE primitive and the event log that every
  payment and order change goes through (exactly once, whatever races);
- qris_payments, callbacks, reconcile, cash: creating QRIS payments, the Duitku
  callback, status checks / expiry / the sweep, and cash at the counter;
- duitku, gateway, qris_code, qr, issuers: Duitku's API, its QRIS strings and images;
- partner_webhooks, outbound, resource: the events partners receive.
"""
