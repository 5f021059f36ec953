"""Arrow fields derived from the pydantic models, so Parquet column types follow the record definitions.

Mapping: int -> int64, str -> string, bool -> bool, float -> float64, Literal[str, ...] -> string,
X | None -> nullable X, list[X] -> list<X>, Annotated[X, ...] -> X. Field descriptions become the
Arrow field's metadata.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal

import pyarrow as pa
from pydantic import BaseModel

_SCALARS: dict[Any, pa.DataType] = {
    int: pa.int64(),
    str: pa.string(),
    bool: pa.bool_(),
    float: pa.float64(),
}


def arrow_type(annotation: Any) -> tuple[pa.DataType, bool]:
    """Map a field annotation to (Arrow type, nullable); TypeError for annotations with no mapping.
    Annotated[X, ...] (a constrained X, as the models' int64-bounded Int) maps as X."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return arrow_type(typing.get_args(annotation)[0])
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1:
            raise TypeError(f"no Arrow type for union {annotation!r}")
        return arrow_type(rest[0])[0], True
    if origin is Literal:
        kinds = {type(a) for a in args}
        if len(kinds) == 1 and (kind := kinds.pop()) in _SCALARS:
            return _SCALARS[kind], False
        raise TypeError(f"no Arrow type for {annotation!r}")
    if origin is list:
        item, item_nullable = arrow_type(args[0])
        return pa.list_(pa.field("item", item, nullable=item_nullable)), False
    if annotation in _SCALARS:
        return _SCALARS[annotation], False
    raise TypeError(f"no Arrow type for {annotation!r}")


def _metadata(description: str, source: str) -> dict[bytes, bytes]:
    return {b"description": description.encode(), b"source": source.encode()}


def model_column(
    model: type[BaseModel],
    name: str,
    *,
    column: str | None = None,
    unwrap: Literal["item", "value"] | None = None,
) -> pa.Field:
    """Arrow field for `model.name`; unwrap="item" uses a list's element type, "value" a dict's value type."""
    info = model.model_fields[name]
    annotation = info.annotation
    source = f"{model.__name__}.{name}"
    if unwrap is not None:
        args = typing.get_args(annotation)
        annotation = args[0] if unwrap == "item" else args[1]
        source += "[]" if unwrap == "item" else "[year]"
    typ, nullable = arrow_type(annotation)
    return pa.field(
        column or name, typ, nullable=nullable, metadata=_metadata(info.description or "", source)
    )


def derived_column(name: str, typ: pa.DataType, description: str, *, nullable: bool = False) -> pa.Field:
    """Arrow field for a column computed by the writer (not a model field), described the same way."""
    return pa.field(name, typ, nullable=nullable, metadata=_metadata(description, "derived"))
