from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from ..forms import CheckboxesField, RupiahField, WholeNumberField
from ..models import PaymentTiming, PriceMode, ReceiptPaper, RoundingDirection, Serving
from ..request_guards import database_integer


def _strip(value):
    return " ".join(value.split()) if isinstance(value, str) else value


ENGLISH_HINT = _l("Opsional: tampil di halaman berbahasa Inggris.")

PICK_CATEGORY = _l("Pilih kategori.")


class CategoryField(SelectField):
    """The item's category, by id. Whether it exists is checked when saving (a
    MenuError); what is not an id an integer column can hold is refused here."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=database_integer, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(PICK_CATEGORY)) from exc


class CategoryForm(FlaskForm):
    name = StringField(
        _l("Nama kategori"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Nama wajib diisi.")),
            Length(max=60, message=_l("Nama paling panjang 60 karakter.")),
        ],
    )
    name_en = StringField(
        _l("Nama dalam bahasa Inggris"),
        filters=[_strip],
        description=ENGLISH_HINT,
        validators=[Length(max=60, message=_l("Nama paling panjang 60 karakter."))],
    )


class ItemForm(FlaskForm):
    category_id = CategoryField(_l("Kategori"), validators=[InputRequired(PICK_CATEGORY)])
    name = StringField(
        _l("Nama menu"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Nama wajib diisi.")),
            Length(max=80, message=_l("Nama paling panjang 80 karakter.")),
        ],
    )
    description = TextAreaField(
        _l("Keterangan"),
        filters=[_strip],
        validators=[Length(max=200, message=_l("Keterangan paling panjang 200 karakter."))],
    )
    name_en = StringField(
        _l("Nama dalam bahasa Inggris"),
        filters=[_strip],
        description=ENGLISH_HINT,
        validators=[Length(max=80, message=_l("Nama paling panjang 80 karakter."))],
    )
    description_en = TextAreaField(
        _l("Keterangan dalam bahasa Inggris"),
        filters=[_strip],
        description=ENGLISH_HINT,
        validators=[Length(max=200, message=_l("Keterangan paling panjang 200 karakter."))],
    )
    price = RupiahField(
        _l("Harga (Rp)"),
        invalid_message=_l("Harga harus jumlah rupiah utuh, misalnya 25.000."),
        validators=[
            InputRequired(_l("Harga wajib diisi.")),
            NumberRange(min=1, max=100_000_000, message=_l("Harga harus lebih dari 0.")),
        ],
    )
    available = BooleanField(_l("Tersedia"), default=True)


class TableForm(FlaskForm):
    label = StringField(
        _l("Nama meja"),
        filters=[_strip],
        description=_l("Nomor atau nama, misalnya 7 atau Teras 2."),
        validators=[
            DataRequired(_l("Nama meja wajib diisi.")),
            Length(max=20, message=_l("Nama meja paling panjang 20 karakter.")),
        ],
    )
    area = StringField(
        _l("Area"),
        filters=[_strip],
        description=_l("Opsional, misalnya Dalam atau Teras."),
        validators=[Length(max=40, message=_l("Area paling panjang 40 karakter."))],
    )
    position = WholeNumberField(
        _l("Urutan"),
        description=_l("Kosong: paling akhir."),
        validators=[Optional(), NumberRange(0, 9999, _l("Urutan 0 sampai 9999."))],
    )
    active = BooleanField(_l("Aktif (menerima pesanan)"), default=True)


class PercentField(Field):
    """A percentage to 0.01% ("10", "10,5", "0.25"), held as whole basis points (10% = 1000)."""

    widget = TextInput()
    data: int | None

    def __init__(self, label=None, validators=None, max_percent: int = 100, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_basis_points = max_percent * 100
        self.max_percent = max_percent

    def _value(self):
        if isinstance(self.data, int):
            whole, hundredths = divmod(self.data, 100)
            return f"{whole},{hundredths:02d}".rstrip("0").rstrip(",")
        return self.raw_data[0] if self.raw_data else ""

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip().replace(",", ".").removesuffix("%").strip()
        self.data = None
        whole, _dot, fraction = raw.partition(".")
        if not whole.isdigit() or len(whole) > 3 or not (fraction == "" or (fraction.isdigit() and len(fraction) <= 2)):
            raise ValueError(str(_l("Tulis persen dengan paling banyak dua angka desimal, mis. 10 atau 2,5.")))
        basis_points = int(whole) * 100 + int(fraction.ljust(2, "0") or 0)
        if basis_points > self.max_basis_points:
            raise ValueError(str(_l("Paling tinggi %(max)s%%.", max=self.max_percent)))
        self.data = basis_points


ROUNDING_CHOICES = [
    (0, _l("Tanpa pembulatan")),
    (100, _l("Ke Rp100")),
    (500, _l("Ke Rp500")),
    (1000, _l("Ke Rp1.000")),
]


class BillSettingsForm(FlaskForm):
    tax_rate = PercentField(
        _l("Pajak restoran (PB1), %"), max_percent=10, description=_l("0 sampai 10%, sampai 0,01%.")
    )
    service_rate = PercentField(_l("Biaya layanan, %"), max_percent=20, description=_l("0 sampai 20%, sampai 0,01%."))
    mode = RadioField(
        _l("Harga di menu"),
        choices=[
            (PriceMode.EXCLUSIVE.value, _l('Belum termasuk pajak dan layanan ("++")')),
            (PriceMode.INCLUSIVE.value, _l('Sudah termasuk pajak dan layanan ("nett")')),
        ],
        default=PriceMode.EXCLUSIVE.value,
        validators=[InputRequired(_l("Pilih salah satu."))],
    )
    service_on_takeaway = BooleanField(_l("Biaya layanan juga untuk pesanan bungkus"), default=True)
    rounding_step = SelectField(_l("Pembulatan total"), choices=ROUNDING_CHOICES, coerce=int, default=0)
    rounding_direction = RadioField(
        _l("Arah pembulatan"),
        choices=[
            (RoundingDirection.UP.value, _l("Selalu ke atas")),
            (RoundingDirection.NEAREST.value, _l("Ke terdekat")),
        ],
        default=RoundingDirection.UP.value,
        validators=[InputRequired(_l("Pilih salah satu."))],
    )
    payment_timing = RadioField(
        _l("Makan di sini, bayar kapan?"),
        choices=[
            (PaymentTiming.PAY_FIRST.value, _l("Bayar dulu, lalu pesanan dimasak")),
            (
                PaymentTiming.PAY_LATER.value,
                _l("Bayar nanti: pesanan langsung dimasak, tagihan meja dibayar sebelum pulang"),
            ),
        ],
        default=PaymentTiming.PAY_FIRST.value,
        description=_l("Pesanan bungkus selalu dibayar dulu."),
        validators=[InputRequired(_l("Pilih salah satu."))],
    )
    dine_in_serving = RadioField(
        _l("Pesanan makan di sini yang sudah siap"),
        choices=[
            (Serving.TABLE.value, _l("Diantar ke meja")),
            (Serving.COUNTER.value, _l("Diambil tamu di konter")),
        ],
        default=Serving.TABLE.value,
        description=_l("Halaman pesanan memberi tahu tamu. Pesanan bungkus selalu diambil di konter."),
        validators=[InputRequired(_l("Pilih salah satu."))],
    )
    merchant_address = TextAreaField(
        _l("Alamat di struk"),
        filters=[_strip],
        description=_l("Opsional."),
        validators=[Length(max=200, message=_l("Alamat paling panjang 200 karakter."))],
    )
    merchant_tax_number = StringField(
        _l("NPWPD / NPWP di struk"),
        filters=[_strip],
        description=_l("Opsional."),
        validators=[Length(max=40, message=_l("Nomor pajak paling panjang 40 karakter."))],
    )


class PhotoForm(FlaskForm):
    """An item's photo. Whether the file is a photo is decided from its content when
    it is stored (menu/photos.py), never from its name or declared type."""

    photo = FileField(
        _l("Foto"),
        description=_l("JPEG, PNG atau WebP, paling besar 5 MB."),
        validators=[FileRequired(_l("Pilih berkas foto."))],
    )


class ShopForm(FlaskForm):
    """The shop's name and logo. Whether the logo is a picture is decided from its
    content when it is stored (menu/photos.py), as an item's photo."""

    name = StringField(
        _l("Nama toko"),
        filters=[_strip],
        description=_l("Tampil di atas setiap halaman, di struk dan di kartu QR meja."),
        validators=[
            DataRequired(_l("Nama toko wajib diisi.")),
            Length(max=60, message=_l("Nama paling panjang 60 karakter.")),
        ],
    )
    logo = FileField(_l("Logo"), description=_l("Opsional. JPEG, PNG atau WebP, paling besar 5 MB."))
    remove_logo = BooleanField(_l("Hapus logo"))


class OptionGroupForm(FlaskForm):
    name = StringField(
        _l("Nama grup"),
        filters=[_strip],
        description=_l("Mis. Level pedas, Tambahan, Ukuran."),
        validators=[
            DataRequired(_l("Nama wajib diisi.")),
            Length(max=60, message=_l("Nama paling panjang 60 karakter.")),
        ],
    )
    name_en = StringField(
        _l("Nama dalam bahasa Inggris"),
        filters=[_strip],
        description=ENGLISH_HINT,
        validators=[Length(max=60, message=_l("Nama paling panjang 60 karakter."))],
    )
    min_choices = WholeNumberField(
        _l("Minimal dipilih"),
        default=0,
        description=_l("0: boleh tidak memilih."),
        validators=[
            InputRequired(_l("Minimal wajib diisi.")),
            NumberRange(min=0, max=20, message=_l("Minimal antara 0 dan 20.")),
        ],
    )
    max_choices = WholeNumberField(
        _l("Maksimal dipilih"),
        default=1,
        validators=[
            InputRequired(_l("Maksimal wajib diisi.")),
            NumberRange(min=1, max=20, message=_l("Maksimal antara 1 dan 20.")),
        ],
    )


class OptionForm(FlaskForm):
    name = StringField(
        _l("Nama pilihan"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Nama wajib diisi.")),
            Length(max=60, message=_l("Nama paling panjang 60 karakter.")),
        ],
    )
    name_en = StringField(
        _l("Nama dalam bahasa Inggris"),
        filters=[_strip],
        description=ENGLISH_HINT,
        validators=[Length(max=60, message=_l("Nama paling panjang 60 karakter."))],
    )
    price_diff = RupiahField(
        _l("Tambahan harga (Rp)"),
        default=0,
        invalid_message=_l("Tambahan harga harus jumlah rupiah utuh, misalnya 4.000."),
        validators=[
            InputRequired(_l("Tambahan harga wajib diisi (0 bila gratis).")),
            NumberRange(min=0, max=100_000_000, message=_l("Tambahan harga tidak boleh negatif.")),
        ],
    )
    available = BooleanField(_l("Tersedia"), default=True)


class ItemOptionGroupsForm(FlaskForm):
    """Which option groups an item has; the choices are every group there is."""

    groups = CheckboxesField(_l("Grup pilihan"))


class TillForm(FlaskForm):
    """A till: its name, its receipt printer and the paper that printer takes."""

    name = StringField(
        _l("Nama mesin kasir"),
        filters=[_strip],
        validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=40, message=_l("Paling panjang 40 karakter."))],
    )
    printer = StringField(
        _l("Printer struk (opsional)"),
        filters=[_strip],
        description=_l("host:port printer ESC/POS, misalnya 192.168.1.60:9100. Laci uang tersambung ke printer ini."),
        validators=[Length(max=120, message=_l("Paling panjang 120 karakter."))],
    )
    paper = RadioField(
        _l("Lebar kertas"),
        choices=[
            (ReceiptPaper.MM58.value, _l("58 mm (32 karakter sebaris)")),
            (ReceiptPaper.MM80.value, _l("80 mm (48 karakter sebaris)")),
        ],
        default=ReceiptPaper.MM80.value,
        validators=[InputRequired(_l("Pilih salah satu."))],
    )
