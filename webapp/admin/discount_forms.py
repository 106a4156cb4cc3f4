"""The forms of the promotions and vouchers pages (Flask-WTF, with CSRF)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..discounts.vouchers import normalise
from ..forms import CheckboxesField, DiscountFields, RupiahField, WholeNumberField, strip
from ..models import Category
from ..models.discounts import WHOLE_DAY

DAYS = (
    _l("Senin"),
    _l("Selasa"),
    _l("Rabu"),
    _l("Kamis"),
    _l("Jumat"),
    _l("Sabtu"),
    _l("Minggu"),
)
_TIME = re.compile(r"(?P<hour>[0-9]{1,2})(?:[.:](?P<minute>[0-9]{2}))?")


def parse_time(text: str) -> int:
    """ "15.00", "15:30" or "15" as minutes after midnight (24.00 is the day's end);
    ValueError for anything else."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a time")
    minutes = int(match["hour"]) * 60 + int(match["minute"] or 0)
    if int(match["minute"] or 0) > 59 or minutes > WHOLE_DAY:
        raise ValueError(f"{text!r} is not a time")
    return minutes


def time_text(minutes: int) -> str:
    """Minutes after midnight as Indonesians write the time: 15.00."""
    return f"{minutes // 60:02d}.{minutes % 60:02d}"


class PromotionForm(DiscountFields, FlaskForm):
    name = StringField(
        _l("Nama promo"),
        filters=[strip],
        description=_l("Tampil di menu dan struk, mis. Happy hour."),
        validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=60, message=_l("Paling panjang 60 karakter."))],
    )
    days = CheckboxesField(_l("Hari"), choices=[(day, label) for day, label in enumerate(DAYS)])
    starts = StringField(_l("Mulai jam"), filters=[strip], default="00.00", description=_l("mis. 15.00"))
    ends = StringField(
        _l("Sampai jam"), filters=[strip], default="24.00", description=_l("mis. 17.00 (tidak termasuk)")
    )
    categories = CheckboxesField(_l("Kategori"))
    items = CheckboxesField(_l("Menu"))
    active = BooleanField(_l("Aktif"), default=True)

    def __init__(self, *args, categories: list[Category], **kwargs):
        super().__init__(*args, **kwargs)
        self.categories.choices = [(category.id, category.name) for category in categories]
        self.items.choices = [
            (item.id, f"{item.name} ({category.name})") for category in categories for item in category.items
        ]

    def validate_days(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Pilih paling sedikit satu hari."))

    def validate_starts(self, field) -> None:
        try:
            if parse_time(field.data or "") >= WHOLE_DAY:
                raise ValueError("the day's end")
        except ValueError as exc:
            raise ValidationError(_l("Tulis jam seperti 15.00.")) from exc

    def validate_ends(self, field) -> None:
        try:
            ends = parse_time(field.data or "")
        except ValueError as exc:
            raise ValidationError(_l("Tulis jam seperti 17.00 (24.00 untuk akhir hari).")) from exc
        if not self.starts.errors and ends <= parse_time(self.starts.data or ""):
            raise ValidationError(_l("Jam selesai harus setelah jam mulai (di hari yang sama)."))

    def validate_items(self, field) -> None:
        if not field.data and not self.categories.data:
            raise ValidationError(_l("Pilih menu atau kategori yang mendapat promo."))

    def bits(self) -> int:
        return sum(1 << day for day in self.days.data or ())

    @classmethod
    def showing(cls, promotion, categories: list[Category]) -> PromotionForm:
        """The form as a promotion holds it (None: a new one)."""
        form = cls(formdata=None, categories=categories)
        form.days.data = list(range(7))
        if promotion is not None:
            form.name.data, form.kind.data, form.active.data = promotion.name, promotion.kind.value, promotion.active
            form.value.data = value_text(promotion.kind, promotion.value)
            form.days.data = [day for day in range(7) if promotion.days >> day & 1]
            form.starts.data, form.ends.data = time_text(promotion.starts_at), time_text(promotion.ends_at)
            form.categories.data = [category.id for category in promotion.categories]
            form.items.data = [item.id for item in promotion.items]
        return form


def value_text(kind, value: int) -> str:
    """A stored discount as staff type it: 20 or 12,5 (percent), 5000 (rupiah)."""
    if kind != "percent":
        return str(value)
    whole, part = divmod(value, 100)
    return f"{whole},{part:02d}".rstrip("0").rstrip(",") if part else str(whole)


def days_text(bits: int) -> str:
    """The days a promotion runs: "setiap hari", or "Senin, Selasa, ..."."""
    if bits == 0b111_1111:
        return str(_l("setiap hari"))
    return ", ".join(str(label) for day, label in enumerate(DAYS) if bits >> day & 1)


_CODE = re.compile(r"[A-Z0-9-]{3,20}")


class DayField(DateField):
    """A day picked (or typed as 2026-12-31), refused in the page's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(_l("Tulis tanggal seperti 2026-12-31."))) from exc


class VoucherForm(DiscountFields, FlaskForm):
    code = StringField(
        _l("Kode voucher"),
        filters=[strip],
        description=_l("3-20 huruf atau angka, mis. HEMAT10; huruf kecil dibaca besar."),
        validators=[DataRequired(_l("Kode wajib diisi."))],
    )
    valid_from = DayField(_l("Berlaku mulai"), validators=[InputRequired(_l("Tulis tanggal mulai."))])
    valid_until = DayField(_l("Berlaku sampai"), validators=[InputRequired(_l("Tulis tanggal akhir."))])
    uses_limit = WholeNumberField(
        _l("Batas pemakaian"),
        default=100,
        validators=[
            InputRequired(_l("Tulis berapa kali voucher boleh dipakai.")),
            NumberRange(min=1, max=1_000_000, message=_l("Paling sedikit 1 kali.")),
        ],
    )
    min_spend = RupiahField(
        _l("Belanja minimal (Rp)"),
        default=0,
        invalid_message=_l("Tulis jumlah rupiah, mis. 50.000."),
        validators=[
            Optional(),
            NumberRange(min=0, max=100_000_000, message=_l("Belanja minimal tidak boleh negatif.")),
        ],
    )

    def validate_code(self, field) -> None:
        if not _CODE.fullmatch(normalise(field.data or "")):
            raise ValidationError(_l("Kode 3-20 huruf, angka atau tanda hubung, tanpa spasi di tengah."))

    def validate_valid_until(self, field) -> None:
        if self.valid_from.data and field.data and field.data < self.valid_from.data:
            raise ValidationError(_l("Tanggal akhir tidak boleh sebelum tanggal mulai."))
