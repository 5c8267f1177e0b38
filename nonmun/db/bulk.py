"""Bulk statements that stay fast on both databases.

SQLAlchemy's per-row parameter processing and its expansion of large ``IN``
lists cost more than SQLite itself when a snapshot import writes a hundred
thousand rows; these helpers hand the driver ready values instead.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Date,
    String,
    Table,
    any_,
    bindparam,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert


def insert_ignore(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table``, skipping any that violate a unique constraint."""
    if not rows:
        return
    factory = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(factory(table).on_conflict_do_nothing(), list(rows))


def bulk_insert(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Any]
) -> None:
    """Insert ``rows`` (mappings with at least ``columns``) with one driver ``executemany``."""
    if not rows:
        return
    compiled = table.insert().compile(dialect=conn.dialect, column_keys=list(columns))
    order = list(compiled.positiontup or columns)
    convert = [(i, f) for i, c in enumerate(order) if (f := _converter(conn, table.c[c].type))]
    pick = itemgetter(*order)
    params: list[Any] = []
    for row in rows:
        values = list(pick(row))
        for i, to_driver in convert:
            if values[i] is not None:
                values[i] = to_driver(values[i])
        params.append(
            tuple(values) if compiled.positional else dict(zip(order, values, strict=True))
        )
    conn.exec_driver_sql(str(compiled), params)


def _converter(conn: Connection, kind: Any) -> Callable[[Any], Any] | None:
    """What turns a Python value into the driver's value for a column of type ``kind``."""
    if isinstance(kind, JSON):
        return lambda v: orjson.dumps(v).decode()
    if conn.dialect.name == "sqlite" and isinstance(kind, Date):
        return date.isoformat
    return None


def in_list(
    conn: Connection | str, column: Any, name: str = "values", item: Any = String
) -> ColumnElement[bool]:
    """``column IN :name`` where ``:name`` is one parameter holding a whole list.

    Pass the list with ``list_param``; ``item`` is the type of its values.
    SQLAlchemy's expanding ``IN`` renders one placeholder per value, which costs more
    than the query on big batches (and a few hundred ids of a search cost more than
    the lookup); a statement built with its values inside would keep them alive.
    ``conn`` may be a dialect's name, for statements built once and kept.
    """
    if (conn if isinstance(conn, str) else conn.dialect.name) == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(item)))  # type: ignore[no-any-return]
    each = func.json_each(bindparam(name, type_=String)).table_valued("value")
    return column.in_(select(each.c.value))  # type: ignore[no-any-return]


def list_param(conn: Connection, values: Collection[Any]) -> Any:
    """The value of an ``in_list`` parameter: an array, or a JSON text for SQLite."""
    if conn.dialect.name == "postgresql":
        return list(values)
    return orjson.dumps(list(values)).decode()


def select_in(conn: Connection, sql: str, values: Collection[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql``, whose ``IN_VALUES`` stands for "is one of ``values``", read
    with the driver's own cursor in ``conn``'s transaction.

    For the small lookups of a hot loop (the linker reads a few titles per text): building,
    compiling and running a statement through SQLAlchemy costs several times the lookup.
    """
    param: Any
    if conn.dialect.name == "postgresql":
        clause, param = "= ANY(%s)", list(values)
    else:
        clause, param = "IN (SELECT value FROM json_each(?))", orjson.dumps(list(values)).decode()
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql.replace("IN_VALUES", clause), (param,))
        return list(cursor.fetchall())
    finally:
        cursor.close()
