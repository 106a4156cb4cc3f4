"""The payment domain: Duitku client, QRIS payloads, QR images and the service layer
that owns every payment and order state transition. No HTTP routes live here."""
