"""How the people at a table divide their bill: whole (one share), evenly among N, or
by items (each claims the portions they ate; unclaimed portions are shared by all),
and changing their minds.

An even or whole split is fixed ("locked") at once; an item split is worked out live
while people join and claim, and locked when one of them says everyone has chosen:
then every share's part of every figure is stored, and nobody can add orders or
claims. Before any share is paid the split can be cancelled and chosen again; after
that the only change is paying the rest in one share.

Each function changes one bill under its lock (`bill_state.lock_bill`) and commits;
the `_`-prefixed steps leave the commit to their caller (the cashier's cash for the
rest chains them in one transaction).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..billing.bill import Bill, split_bill
from ..extensions import db
from ..models import (
    BillEventKind,
    BillShare,
    BillStatus,
    Order,
    OrderItem,
    OrderStatus,
    ShareClaim,
    ShareStatus,
    SplitMode,
    TableBill,
)
from ..payments.state import cancel_pending_payments
from ..state import IllegalTransition, commit_and_publish
from . import bill_state
from .table_bills import BillView, bill_view

MAX_SHARES = 20
IS_OPEN = TableBill.status == BillStatus.OPEN
UNSPLIT = TableBill.split_mode.is_(None)
UNLOCKED = TableBill.locked_at.is_(None)
LOCKED = TableBill.locked_at.is_not(None)
CHOOSING_ITEMS = TableBill.split_mode == SplitMode.ITEMS


def refuse(bill: TableBill) -> IllegalTransition:
    """Undo the attempt and say what state the bill is in now, which is why it failed."""
    db.session.rollback()
    db.session.refresh(bill)
    if bill.status == BillStatus.SETTLED:
        return IllegalTransition(_("Tagihan ini sudah lunas."))
    if bill.status == BillStatus.CLOSED:
        return IllegalTransition(_("Tagihan ini sudah ditutup oleh kasir."))
    if bill.is_locked:
        return IllegalTransition(_("Tagihan ini sedang dibayar: pembagiannya sudah dikunci."))
    if bill.split_mode == SplitMode.ITEMS:
        return IllegalTransition(_("Tagihan ini sedang dibagi per item."))
    return IllegalTransition(_("Cara membayar tagihan ini belum dipilih."))


def lock_open(bill: TableBill, now: datetime, *conditions, **values) -> None:
    """Lock the open bill if it meets `conditions`, else refuse; what is read of it from
    here on is what the lock guards."""
    if not bill_state.lock_bill(bill.id, now, IS_OPEN, *conditions, **values):
        raise refuse(bill)
    db.session.expire(bill)


def _refused(bill: TableBill, message: str) -> IllegalTransition:
    db.session.rollback()
    db.session.refresh(bill)
    return IllegalTransition(message)


def _add_shares(bill: TableBill, parts: list[Bill], now: datetime, *, rest: bool = False) -> list[BillShare]:
    position = bill_state.next_position(bill.id)
    shares = [
        BillShare(
            bill_id=bill.id,
            position=position + index,
            rest=rest,
            status=ShareStatus.OPEN,
            subtotal=part.subtotal,
            service=part.service,
            tax=part.tax,
            rounding=part.rounding,
            amount=part.total,
            discount=part.discount,
            created_at=now,
            updated_at=now,
        )
        for index, part in enumerate(parts)
    ]
    db.session.add_all(shares)
    db.session.flush()
    return shares


def _fix_figures(bill: TableBill, figures: Bill, now: datetime) -> None:
    """Store the bill's figures as they stand and lock its split for paying."""
    db.session.execute(
        update(TableBill)
        .where(TableBill.id == bill.id)
        .values(
            locked_at=now,
            subtotal=figures.subtotal,
            service=figures.service,
            tax=figures.tax,
            rounding=figures.rounding,
            total=figures.total,
            discount=figures.discount,
        )
        .execution_options(synchronize_session=False)
    )


def _split_now(bill: TableBill, mode: SplitMode, payers: int, now: datetime, actor: str) -> list[BillShare]:
    """Whole or even: the shares are fixed at once."""
    lock_open(bill, now, UNSPLIT, split_mode=mode)
    figures = bill_view(bill).live_figures
    if figures.total <= 0:
        raise _refused(bill, _("Tagihan ini masih kosong."))
    if figures.total // max(bill.rounding_step, 1) < payers:  # a share of nothing
        raise _refused(bill, _("Tagihan ini terlalu kecil untuk dibagi %(count)s.", count=payers))
    shares = _add_shares(bill, split_bill(figures, [1] * payers, bill.rounding_step), now)
    _fix_figures(bill, figures, now)
    bill_state.record(bill.id, BillEventKind.SPLIT, now, actor, mode=mode, shares=payers)
    bill_state.record(bill.id, BillEventKind.LOCKED, now, actor, shares=payers, total=figures.total)
    return shares


def pay_whole(bill: TableBill, actor: str, now: datetime | None = None) -> BillShare:
    """The whole bill as one share (one QR on one phone, or cash at the counter)."""
    [share] = _split_now(bill, SplitMode.WHOLE, 1, now or clock.now(), actor)
    commit_and_publish(bill, share)
    return share


def split_evenly(bill: TableBill, payers: int, actor: str, now: datetime | None = None) -> list[BillShare]:
    """`payers` equal shares (to the rupiah, or to the bill's rounding step: the first
    ones carry the odd rupiah or step)."""
    if not 2 <= payers <= MAX_SHARES:
        raise IllegalTransition(_("Bagi untuk 2 sampai %(max)s orang.", max=MAX_SHARES))
    shares = _split_now(bill, SplitMode.EVEN, payers, now or clock.now(), actor)
    commit_and_publish(bill)
    return shares


def split_by_items(bill: TableBill, actor: str, now: datetime | None = None) -> None:
    """Start an item split: people join with their name and claim what they ate."""
    now = now or clock.now()
    lock_open(bill, now, UNSPLIT, split_mode=SplitMode.ITEMS)
    bill_state.record(bill.id, BillEventKind.SPLIT, now, actor, mode=SplitMode.ITEMS)
    commit_and_publish(bill)


def join(bill: TableBill, name: str, actor: str, now: datetime | None = None) -> BillShare:
    """A new payer in an item split, under the name they give."""
    now = now or clock.now()
    lock_open(bill, now, CHOOSING_ITEMS, UNLOCKED)
    if len(bill_view(bill).open_shares) >= MAX_SHARES:
        raise _refused(bill, _("Paling banyak %(max)s orang per tagihan.", max=MAX_SHARES))
    [share] = _add_shares(bill, [Bill(0, 0, 0, 0, 0, 0, 0, bill.mode)], now)
    share.payer_name = name[:40]
    bill_state.record(bill.id, BillEventKind.SHARE_JOINED, now, actor, position=share.position, name=share.payer_name)
    commit_and_publish(bill, share)
    return share


def _claimable(bill: TableBill, share: BillShare, order_item_id: int, unit: int) -> bool:
    """The share is this bill's and still open, and the portion is on the bill."""
    if share.bill_id != bill.id or share.status != ShareStatus.OPEN:
        return False
    quantity = db.session.scalar(
        select(OrderItem.quantity)
        .join(Order, Order.id == OrderItem.order_id)
        .where(OrderItem.id == order_item_id, Order.bill_id == bill.id, Order.status != OrderStatus.CANCELLED)
    )
    return quantity is not None and 1 <= unit <= quantity


def claim(bill: TableBill, share: BillShare, order_item_id: int, unit: int, now: datetime | None = None) -> None:
    """`share` ate this portion. A portion is one share's at most: the second claim is
    refused, naming who has it."""
    now = now or clock.now()
    lock_open(bill, now, CHOOSING_ITEMS, UNLOCKED)
    if not _claimable(bill, share, order_item_id, unit):
        raise _refused(bill, _("Item itu tidak ada di tagihan ini."))
    try:
        with db.session.begin_nested():
            db.session.add(ShareClaim(share_id=share.id, order_item_id=order_item_id, unit=unit, created_at=now))
    except IntegrityError:
        holder = db.session.scalar(
            select(BillShare.payer_name)
            .join(ShareClaim, ShareClaim.share_id == BillShare.id)
            .where(ShareClaim.order_item_id == order_item_id, ShareClaim.unit == unit)
        )
        raise _refused(bill, _("Item itu sudah diambil %(name)s.", name=holder or "?")) from None
    commit_and_publish(bill)


def unclaim(bill: TableBill, share: BillShare, order_item_id: int, unit: int, now: datetime | None = None) -> None:
    """`share` gives the portion back (it is shared again)."""
    now = now or clock.now()
    lock_open(bill, now, CHOOSING_ITEMS, UNLOCKED)
    db.session.execute(
        delete(ShareClaim).where(
            ShareClaim.share_id == share.id, ShareClaim.order_item_id == order_item_id, ShareClaim.unit == unit
        )
    )
    commit_and_publish(bill)


def lock_items(bill: TableBill, actor: str, now: datetime | None = None) -> list[BillShare]:
    """Everyone has chosen: every share's part is stored as it stands, and a share with
    nothing to pay is dropped. From now on the shares can be paid."""
    now = now or clock.now()
    lock_open(bill, now, CHOOSING_ITEMS, UNLOCKED)
    view = bill_view(bill)
    figures = view.live_figures
    if not view.share_lines:
        raise _refused(bill, _("Belum ada yang ikut membayar."))
    if figures.total <= 0:
        raise _refused(bill, _("Tagihan ini masih kosong."))
    kept = []
    for line in view.share_lines:
        if line.figures.total <= 0:
            bill_state.cancel_share(line.share, now)
            continue
        db.session.execute(
            update(BillShare)
            .where(BillShare.id == line.share.id)
            .values(
                subtotal=line.figures.subtotal,
                service=line.figures.service,
                tax=line.figures.tax,
                rounding=line.figures.rounding,
                amount=line.figures.total,
                discount=line.figures.discount,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        kept.append(line.share)
    _fix_figures(bill, figures, now)
    bill_state.record(bill.id, BillEventKind.LOCKED, now, actor, shares=len(kept), total=figures.total)
    commit_and_publish(bill)
    return kept


def drop_open_shares(bill: TableBill, view: BillView, now: datetime, actor: str) -> list[BillShare]:
    """Cancel every share still to pay, and its pending QR; the dropped shares."""
    dropped = [share for share in view.open_shares if share.status == ShareStatus.OPEN]
    for share in dropped:
        bill_state.cancel_share(share, now)
        cancel_pending_payments(share.payments, now, actor)
    return dropped


def cancel_split(bill: TableBill, actor: str, now: datetime | None = None) -> None:
    """Choose again: allowed until a share is paid. Pending QRs are cancelled (money that
    still arrives for one is kept and flagged), claims are forgotten."""
    _cancel_split(bill, now or clock.now(), actor)
    commit_and_publish(bill)


def _cancel_split(bill: TableBill, now: datetime, actor: str) -> None:
    lock_open(bill, now, TableBill.split_mode.is_not(None))
    view = bill_view(bill)
    if view.any_paid:
        raise _refused(bill, _("Sudah ada yang membayar: pembagian tidak bisa diubah. Bayar sisanya sekaligus."))
    drop_open_shares(bill, view, now, actor)
    share_ids = select(BillShare.id).where(BillShare.bill_id == bill.id).scalar_subquery()
    db.session.execute(delete(ShareClaim).where(ShareClaim.share_id.in_(share_ids)))
    db.session.execute(
        update(TableBill)
        .where(TableBill.id == bill.id)
        .values(split_mode=None, locked_at=None, subtotal=0, service=0, tax=0, rounding=0, total=0, discount=0)
        .execution_options(synchronize_session=False)
    )
    bill_state.record(bill.id, BillEventKind.SPLIT_CANCELLED, now, actor)


def _rest_in_one(bill: TableBill, now: datetime, actor: str) -> BillShare:
    """The shares still to pay become one share (their parts added up)."""
    lock_open(bill, now, LOCKED)
    view = bill_view(bill)
    left = [share for share in view.open_shares if share.status == ShareStatus.OPEN]
    if not left:
        raise _refused(bill, _("Tidak ada sisa yang perlu dibayar."))
    if len(left) == 1:
        return left[0]
    drop_open_shares(bill, view, now, actor)
    rest = Bill(
        subtotal=sum(share.subtotal for share in left),
        service=sum(share.service for share in left),
        tax=sum(share.tax for share in left),
        rounding=sum(share.rounding for share in left),
        total=sum(share.amount for share in left),
        service_rate=bill.service_rate,
        tax_rate=bill.tax_rate,
        mode=bill.mode,
        discount=sum(share.discount for share in left),
    )
    [share] = _add_shares(bill, [rest], now, rest=True)
    bill_state.record(bill.id, BillEventKind.REST_IN_ONE, now, actor, position=share.position, amount=share.amount)
    return share


def pay_rest_in_one(bill: TableBill, actor: str, now: datetime | None = None) -> BillShare:
    """One share for everything not yet paid (one QR, or cash at the counter)."""
    share = _rest_in_one(bill, now or clock.now(), actor)
    commit_and_publish(bill, share)
    return share


def rest_share(bill: TableBill, now: datetime, actor: str) -> BillShare:
    """One share for all that is left to pay, whatever the split (none yet, an item split
    still being chosen, or a locked one); not committed. The cashier's cash for the rest."""
    if bill.split_mode is None:
        [share] = _split_now(bill, SplitMode.WHOLE, 1, now, actor)
        return share
    if not bill.is_locked:
        _cancel_split(bill, now, actor)
        [share] = _split_now(bill, SplitMode.WHOLE, 1, now, actor)
        return share
    return _rest_in_one(bill, now, actor)
