"""Typed SQLAlchemy 2.0 models, one module per domain, all importable from here.

Money is integer rupiah; timestamps are aware UTC. Models import nothing above them:
no domain package, no blueprint.
"""

from .menu import Category, MenuItem
from .orders import (
    AttentionReason,
    ChangeReason,
    Order,
    OrderItem,
    OrderNumberCounter,
    OrderStatus,
    OrderStatusChange,
    PaymentMethod,
)
from .partners import IdempotencyKey, License, Partner, WebhookAttempt, WebhookDelivery
from .payments import EventKind, EventNote, Payment, PaymentEvent, PaymentProvider, PaymentStatus
from .rate_limits import RateLimitCounter
from .staff import LoginFailure, Role, User
from .types import new_public_id

__all__ = [
    "AttentionReason",
    "Category",
    "ChangeReason",
    "EventKind",
    "EventNote",
    "IdempotencyKey",
    "License",
    "LoginFailure",
    "MenuItem",
    "Order",
    "OrderItem",
    "OrderNumberCounter",
    "OrderStatus",
    "OrderStatusChange",
    "Partner",
    "Payment",
    "PaymentEvent",
    "PaymentMethod",
    "PaymentProvider",
    "PaymentStatus",
    "RateLimitCounter",
    "Role",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "new_public_id",
]

from .audit import AuditEntry, AuditKind
from .billing import BillSettings, PaymentTiming, PriceMode, RoundingDirection, Serving
from .bills import (
    BillEvent,
    BillEventKind,
    BillShare,
    BillStatus,
    CloseReason,
    ShareClaim,
    ShareStatus,
    SplitMode,
    TableBill,
)
from .discounts import DiscountKind, DiscountSource, OrderDiscount, Promotion, Voucher, VoucherStatus
from .kitchen import KitchenTicket, Station, StationCategory
from .menu import Option, OptionGroup, menu_item_option_group
from .merchant import MerchantProfile
from .orders import OrderItemOption
from .printing import PrintJob, PrintState
from .receipts import ReceiptPaper, ReceiptPrint
from .refunds import Refund, RefundMethod
from .shifts import CashKind, CashMovement, Shift, ShiftStatus
from .tables import DiningTable, OrderType, RetiredTableToken
from .till import Till
from .voids import OrderVoid, OrderVoidLine, VoidTicket

__all__ += [
    "BillSettings",
    "DiningTable",
    "OrderType",
    "PriceMode",
    "RetiredTableToken",
    "RoundingDirection",
    "Serving",
]
__all__ += ["KitchenTicket", "PrintState", "Station", "StationCategory", "Till"]
__all__ += ["AuditEntry", "AuditKind", "CashKind", "CashMovement", "Shift", "ShiftStatus"]
__all__ += ["Option", "OptionGroup", "OrderItemOption", "menu_item_option_group"]
__all__ += ["BillEvent", "BillEventKind", "BillShare", "BillStatus", "CloseReason", "PaymentTiming"]
__all__ += ["ShareClaim", "ShareStatus", "SplitMode", "TableBill"]
__all__ += ["DiscountKind", "DiscountSource", "OrderDiscount", "Promotion", "Voucher", "VoucherStatus"]
__all__ += ["MerchantProfile", "OrderVoid", "OrderVoidLine", "VoidTicket"]
__all__ += ["PrintJob", "ReceiptPaper", "ReceiptPrint"]
__all__ += ["Refund", "RefundMethod"]
