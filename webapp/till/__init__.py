"""Tills: ringing up at the counter, and the customer display paired to each."""
