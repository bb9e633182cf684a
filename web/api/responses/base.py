"""The machinery of the response schemas (web/api/responses/__init__.py says what they are for)."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache

from marshmallow import Schema, fields, pre_dump

from ..fields import MONEY_OUT_PATTERN


class ResponseShapeWarning(UserWarning):
    """An answer that its documented schema does not describe (a programming error)."""


@dataclass(frozen=True)
class Viewed:
    """Data of a resource with views, and the view the route chose for the caller."""

    view: str
    data: dict


class Out(Schema):
    """The base of the response schemas: the data must hold exactly the fields declared."""

    class Meta:
        ordered = True

    @pre_dump
    def _exactly_the_declared_fields(self, data, **kwargs):
        if isinstance(data, dict):
            names = {f.data_key or n for n, f in self.fields.items()}
            extra = set(data) - names
            missing = {f.data_key or n for n, f in self.fields.items() if f.required} - set(data)
            if extra or missing:
                warnings.warn(ResponseShapeWarning(
                    f"{type(self).__name__}: undeclared {sorted(extra)}, missing {sorted(missing)}"), stacklevel=2)
        return data


ALL = "__all__"  # a view with every field the schema declares


class ViewSchema(Out):
    """A resource with views: `views` names each view's fields (or ALL of them)."""

    views: dict[str, tuple[str, ...] | str] = {}

    @classmethod
    @cache
    def view(cls, name: str) -> type[Out]:
        """The schema of one view, a class of its own (the document names it, e.g. `LotPublic`)."""
        keep = cls._declared_fields if cls.views[name] == ALL else cls.views[name]
        meta = type("Meta", (cls.Meta,), {"exclude": tuple(n for n in cls._declared_fields if n not in keep)})
        return type(f"{cls.__name__}{name.title()}", (cls,), {"Meta": meta, "__doc__": cls.__doc__})

    @classmethod
    def view_classes(cls) -> list[type[Out]]:
        return [cls.view(name) for name in cls.views]


class Views(fields.Field):
    """A field holding a `Viewed` resource of `schema`, dumped with its view (documented as oneOf)."""

    def __init__(self, schema: type[ViewSchema], **kwargs):
        self.schema = schema
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else dump(self.schema, value)


def dump(schema, data):
    """`data` as `schema` sends it (no schema, or a dict describing a non-JSON body: as it is)."""
    if schema is None or isinstance(schema, dict):
        return data
    if isinstance(schema, type) and issubclass(schema, ViewSchema) and schema.views:
        if not isinstance(data, Viewed):
            raise TypeError(f"{schema.__name__} has views: the route returns Viewed(view, data)")
        return schema.view(data.view)().dump(data.data)
    return schema().dump(data)


def documented(schema):
    """What the document says of the answer: a view schema as oneOf its views."""
    if isinstance(schema, type) and issubclass(schema, ViewSchema) and schema.views:
        return {"oneOf": schema.view_classes()}
    return schema


# ---- field makers: required unless said otherwise; `null=True` where the value may be null ----------
def Str(null=False, **kw):
    return fields.String(required=kw.pop("required", True), allow_none=null, **kw)


def Int(null=False, **kw):
    return fields.Integer(required=kw.pop("required", True), allow_none=null, **kw)


def Bool(null=False, **kw):
    return fields.Boolean(required=kw.pop("required", True), allow_none=null, **kw)


def _text(null, kw, **metadata):
    return fields.String(required=kw.pop("required", True), allow_none=null,
                         metadata={**metadata, **kw.pop("metadata", {})}, **kw)


def Money(null=False, **kw):
    return _text(null, kw, pattern=MONEY_OUT_PATTERN, example="1250000.00")


def Time(null=False, **kw):
    return _text(null, kw, format="date-time")


def Day(null=False, **kw):
    return _text(null, kw, format="date")


def One(schema, null=False, **kw):
    return fields.Nested(schema, required=kw.pop("required", True), allow_none=null, **kw)


def Many(schema, **kw):
    inner = schema if isinstance(schema, fields.Field) else fields.Nested(schema)
    return fields.List(inner, required=kw.pop("required", True), **kw)


def Free(null=False, **kw):
    """A JSON object whose keys vary (a journal entry's payload)."""
    return fields.Dict(required=kw.pop("required", True), allow_none=null, **kw)
