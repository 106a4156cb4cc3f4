"""The bill: settings, the bill's figures, receipts and the bill report."""
