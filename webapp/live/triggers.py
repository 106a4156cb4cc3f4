"""PostgreSQL triggers that announce every committed change to orders, payments, the
menu, partners, the shop's name and logo and the promotions on the change feed's channel (see `feed`).

A trigger sees every write, whoever makes it (this app, a migration, someone at psql),
and costs no extra round trip. PostgreSQL delivers the notifications at commit, drops
them on rollback, and sends each distinct one once per transaction.
"""

from sqlalchemy import DDL, MetaData, event

CHANNEL = "warung_changes"


def _topic_function(name: str, topic: str) -> str:
    """A trigger function that announces one topic, whatever row changed."""
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('{CHANNEL}', '{topic}');
  RETURN NULL;
END $$"""


CREATE_STATEMENTS = (
    f"""CREATE OR REPLACE FUNCTION warung_notify_order_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('{CHANNEL}', 'order:' || COALESCE(NEW.id, OLD.id));
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION warung_notify_payment_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF COALESCE(NEW.order_id, OLD.order_id) IS NOT NULL THEN
    PERFORM pg_notify('{CHANNEL}', 'order:' || COALESCE(NEW.order_id, OLD.order_id));
  END IF;
  RETURN NULL;
END $$""",
    _topic_function("warung_notify_menu_change", "menu"),
    """CREATE TRIGGER order_change_notify AFTER INSERT OR UPDATE OR DELETE ON "order"
  FOR EACH ROW EXECUTE FUNCTION warung_notify_order_change()""",
    """CREATE TRIGGER payment_change_notify AFTER INSERT OR UPDATE OR DELETE ON payment
  FOR EACH ROW EXECUTE FUNCTION warung_notify_payment_change()""",
    """CREATE TRIGGER category_change_notify AFTER INSERT OR UPDATE OR DELETE ON category
  FOR EACH STATEMENT EXECUTE FUNCTION warung_notify_menu_change()""",
    """CREATE TRIGGER menu_item_change_notify AFTER INSERT OR UPDATE OR DELETE ON menu_item
  FOR EACH STATEMENT EXECUTE FUNCTION warung_notify_menu_change()""",
)

DROP_STATEMENTS = (
    'DROP TRIGGER IF EXISTS order_change_notify ON "order"',
    "DROP TRIGGER IF EXISTS payment_change_notify ON payment",
    "DROP TRIGGER IF EXISTS category_change_notify ON category",
    "DROP TRIGGER IF EXISTS menu_item_change_notify ON menu_item",
    "DROP FUNCTION IF EXISTS warung_notify_order_change()",
    "DROP FUNCTION IF EXISTS warung_notify_payment_change()",
    "DROP FUNCTION IF EXISTS warung_notify_menu_change()",
)


# Item options are part of the menu too (added by a later migration, so kept apart).
OPTION_TABLES = ("option_group", "option", "menu_item_option_group")
OPTION_CREATE_STATEMENTS = tuple(
    f"""CREATE TRIGGER {table}_change_notify AFTER INSERT OR UPDATE OR DELETE ON "{table}"
  FOR EACH STATEMENT EXECUTE FUNCTION warung_notify_menu_change()"""
    for table in OPTION_TABLES
)
OPTION_DROP_STATEMENTS = tuple(f'DROP TRIGGER IF EXISTS {table}_change_notify ON "{table}"' for table in OPTION_TABLES)


def _payment_function(order_notice: str) -> str:
    """The payment trigger's function: `order_notice` (plpgsql) for a payment of an order;
    a partner's payment without an order, or one whose order changes, is also announced
    as "payment:<id>"."""
    return f"""CREATE OR REPLACE FUNCTION warung_notify_payment_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF COALESCE(NEW.order_id, OLD.order_id) IS NOT NULL THEN
{order_notice}
  END IF;
  IF (COALESCE(NEW.order_id, OLD.order_id) IS NULL AND COALESCE(NEW.partner_id, OLD.partner_id) IS NOT NULL)
     OR (TG_OP = 'UPDATE' AND NEW.order_id IS DISTINCT FROM OLD.order_id) THEN
    PERFORM pg_notify('{CHANNEL}', 'payment:' || COALESCE(NEW.id, OLD.id));
  END IF;
  RETURN NULL;
END $$"""


# Partners and their payments (a later migration): any write to a partner (a new API
# key, a partner switched off) is announced as "partners"; a write to a partner's payment
# that has no order, or a payment whose order changes, also as "payment:<id>" (what the
# partner status cache holds; a share of a table's bill is neither, and is not announced).
PARTNER_CREATE_STATEMENTS = (
    _topic_function("warung_notify_partner_change", "partners"),
    """CREATE TRIGGER partner_change_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partner
  FOR EACH STATEMENT EXECUTE FUNCTION warung_notify_partner_change()""",
    _payment_function(f"    PERFORM pg_notify('{CHANNEL}', 'order:' || COALESCE(NEW.order_id, OLD.order_id));"),
)
PARTNER_DROP_STATEMENTS = (
    "DROP TRIGGER IF EXISTS partner_change_notify ON partner",
    "DROP FUNCTION IF EXISTS warung_notify_partner_change()",
    CREATE_STATEMENTS[1],  # the payment function as it was: orders only
)


# The shop's name and logo (a later migration): every page's header shows them, so each
# process keeps them, and forgets them on any write to them.
MERCHANT_CREATE_STATEMENTS = (
    _topic_function("warung_notify_merchant_change", "merchant"),
    """CREATE TRIGGER merchant_profile_change_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON merchant_profile
  FOR EACH STATEMENT EXECUTE FUNCTION warung_notify_merchant_change()""",
)
MERCHANT_DROP_STATEMENTS = (
    "DROP TRIGGER IF EXISTS merchant_profile_change_notify ON merchant_profile",
    "DROP FUNCTION IF EXISTS warung_notify_merchant_change()",
)


# Promotions (a later migration): the menu's prices and every cart depend on which are
# switched on and what they cover, so each process keeps them, and forgets them on any
# write to them or to what they cover.
PROMOTION_TABLES = ("promotion", "promotion_item", "promotion_category")


def _announced(
    function: str, topic: str, tables: tuple[str, ...], per_row: bool = False
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(create, drop) statements for triggers on `tables` that announce `topic` through
    the trigger function `function`: once per statement, whatever rows it wrote, or
    `per_row`, for each row written (PostgreSQL sends a notification repeated in one
    transaction once) and once for a TRUNCATE (which has no rows)."""
    kinds = (  # each table's triggers: (their name's end, the events, per what)
        (("change", "INSERT OR UPDATE OR DELETE", "ROW"), ("truncate", "TRUNCATE", "STATEMENT"))
        if per_row
        else (("change", "INSERT OR UPDATE OR DELETE OR TRUNCATE", "STATEMENT"),)
    )
    triggers = [
        (table, f"{table}_{end}_notify", f"AFTER {events} ON {table}\n  FOR EACH {level}")
        for table in tables
        for end, events, level in kinds
    ]
    create = (
        _topic_function(function, topic),
        *(f"CREATE TRIGGER {name} {events} EXECUTE FUNCTION {function}()" for _table, name, events in triggers),
    )
    drop = (
        *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for table, name, _events in triggers),
        f"DROP FUNCTION IF EXISTS {function}()",
    )
    return create, drop


PROMOTION_CREATE_STATEMENTS, PROMOTION_DROP_STATEMENTS = _announced(
    "warung_notify_promotion_change", "promotions", PROMOTION_TABLES
)


# What the staff screens show beyond orders and payments (a later migration): a write to
# a kitchen or BATAL ticket, a table's bill or a share, or a till wakes their streams
# in every process (webapp/live/streams.py).
STAFF_SCREEN_TABLES = {
    "kitchen": ("kitchen_ticket", "void_ticket"),
    "bills": ("table_bill", "bill_share"),
    "tills": ("till",),
}


def _staff_screen_triggers(per_row: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    announced = [
        _announced(f"warung_notify_{topic}_change", topic, tables, per_row)
        for topic, tables in STAFF_SCREEN_TABLES.items()
    ]
    return tuple(s for create, _drop in announced for s in create), tuple(
        s for _create, drop in announced for s in drop
    )


STAFF_SCREEN_CREATE_STATEMENTS, STAFF_SCREEN_DROP_STATEMENTS = _staff_screen_triggers(per_row=False)

# A statement trigger fires even for a statement that wrote no row: a conditional UPDATE
# that lost its race, or the paying statement's ticket INSERT for an order that did not
# move (a duplicate callback): each woke every board and station for nothing. So the
# staff screens' tables announce per row written (a later migration).
_PER_ROW_CREATE, _PER_ROW_DROP = _staff_screen_triggers(per_row=True)
STAFF_SCREEN_ROW_CREATE_STATEMENTS = (*STAFF_SCREEN_DROP_STATEMENTS, *_PER_ROW_CREATE)
STAFF_SCREEN_ROW_DROP_STATEMENTS = (*_PER_ROW_DROP, *STAFF_SCREEN_CREATE_STATEMENTS)


# A status check that found nothing new (every 10 s of a polled pending QRIS) writes a
# payment's last_checked_at (and updated_at) and nothing else (a later migration): announced as
# "checked:<order id>", which the order's own caches hear and the staff screens' streams
# do not, so an open board does not fetch for it.
_CHECK_COLUMNS = "'{last_checked_at,updated_at}'::text[]"  # what a status check writes
_ONLY_CHECKED = f"to_jsonb(NEW) - {_CHECK_COLUMNS} = to_jsonb(OLD) - {_CHECK_COLUMNS}"
CHECKED_CREATE_STATEMENTS = (
    _payment_function(f"""    IF TG_OP = 'UPDATE' AND {_ONLY_CHECKED} THEN
      PERFORM pg_notify('{CHANNEL}', 'checked:' || NEW.order_id);
    ELSE
      PERFORM pg_notify('{CHANNEL}', 'order:' || COALESCE(NEW.order_id, OLD.order_id));
    END IF;"""),
)
CHECKED_DROP_STATEMENTS = (PARTNER_CREATE_STATEMENTS[2],)  # the payment function as it was


def create_with(metadata: MetaData) -> None:
    """Create the triggers whenever `metadata.create_all` creates the tables (the
    migrations create them with the same statements)."""
    for statement in (
        *CREATE_STATEMENTS,
        *OPTION_CREATE_STATEMENTS,
        *PARTNER_CREATE_STATEMENTS,
        *MERCHANT_CREATE_STATEMENTS,
        *PROMOTION_CREATE_STATEMENTS,
        *CHECKED_CREATE_STATEMENTS,
        *_PER_ROW_CREATE,
    ):
        event.listen(metadata, "after_create", DDL(statement).execute_if(dialect="postgresql"))
