"""Readable names for QRIS issuer codes (the payer's bank or e-wallet), where known."""

ISSUER_NAMES = {
    "93600002": "BRI",
    "93600008": "Bank Mandiri",
    "93600009": "BNI",
    "93600014": "BCA",
    "93600911": "LinkAja",
    "93600912": "OVO",
    "93600914": "GoPay",
    "93600915": "DANA",
    "93600918": "ShopeePay",
}


def issuer_name(code: str | None) -> str:
    """The issuer's name, or the code itself when it is not one we know."""
    return ISSUER_NAMES.get(code or "", code or "")
