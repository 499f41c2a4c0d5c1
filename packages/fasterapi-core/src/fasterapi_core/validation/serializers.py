"""Response serialisation: validate the handler's return value against ``response_model``,
filter it (include/exclude/exclude_*), and encode it to JSON bytes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, cast, get_args, get_origin

import msgspec

from fasterapi_core.encoding import enc_hook
from fasterapi_core.json_rules import Recheck, duration_recheck, pydantic_builtins, typed_encoder
from fasterapi_core.validation._dataclass_defaults import default_filler
from fasterapi_core.validation._nodes import compile_node
from fasterapi_core.validation._scalar_nodes import BAD
from fasterapi_core.validation.adapters import SerializeOptions, find_adapter
from fasterapi_core.validation.errors import ErrorDict, msgspec_error

__all__ = ["ResponseSerializer"]

_NODEFAULT: Any = msgspec.NODEFAULT
_RESPONSE = ("response",)
FieldSpec = tuple[str, str, Any]  # (attribute name, wire name, default or NODEFAULT)


def _as_filter(spec: Any) -> dict[Any, Any] | None:
    if spec is None:
        return None
    if isinstance(spec, Mapping):
        return dict(spec)
    return dict.fromkeys(spec, True)


def _sub(spec: dict[Any, Any] | None, key: str) -> dict[Any, Any] | None:
    if spec is None:
        return None
    value = spec.get(key)
    return _as_filter(value) if isinstance(value, set | frozenset | list | Mapping) else None


_SCALARS = (str, int, float, bool)


def _plain_container(annotation: Any) -> tuple[type, type | None] | None:
    """``(container, item type)`` for ``dict[str, X]`` and ``list[X]`` where X is ``Any`` (item
    type None) or a JSON scalar type: values of exactly those types need no conversion."""
    if annotation in (dict, list):
        return cast(type, annotation), None
    origin, args = get_origin(annotation), get_args(annotation)
    item = args[-1] if args else None
    if item is not Any and item not in _SCALARS:
        return None
    if origin is dict and args[0] is str:
        return dict, None if item is Any else item
    if origin is list:
        return list, None if item is Any else item
    return None


def _exact_items(value: Any, item: type | None) -> bool:
    """Dict keys are all ``str`` and elements all exactly ``item`` (any when None)."""
    if type(value) is dict:
        for key, element in value.items():
            if type(key) is not str or (item is not None and type(element) is not item):
                return False
        return True
    if item is not None:
        for element in value:
            if type(element) is not item:
                return False
    return True


class ResponseSerializer:
    """Validate, filter and encode return values with FastAPI's ``response_model`` semantics.

    Return values may be instances of the model, dicts (extra keys are dropped) or any object
    with the needed attributes (other Structs, dataclasses, pydantic models, ORM objects).
    Invalid values raise :class:`~fasterapi_core.exceptions.ResponseValidationError` with
    locs starting at ``"response"``.

    ``exclude_unset`` knows which fields were set when the returned value is a dict (its keys),
    a pydantic model (``model_fields_set``) or a Struct using ``msgspec.UNSET``; for other
    objects a field equal to its default counts as unset.
    """

    def __init__(
        self,
        annotation: Any,
        *,
        include: set[str] | dict[str, Any] | None = None,
        exclude: set[str] | dict[str, Any] | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        by_alias: bool = True,
    ) -> None:
        self.annotation = annotation
        options = SerializeOptions(
            include, exclude, exclude_unset, exclude_defaults, exclude_none, by_alias
        )
        self.exact_dict: tuple[type | None] | None = None
        """``(X,)`` when the model is ``dict[str, X]`` with X a JSON scalar type (None for
        ``Any``) and nothing is filtered: a dict with ``str`` keys and values exactly X needs
        no conversion, and ``encode_exact`` encodes it as it is (callers that check this
        themselves save ``serialize`` its own check)."""
        self.exact_type: type | None = None
        """The model's Struct class when nothing is filtered: an instance of exactly that
        class is encoded as it is by ``encode_exact``."""
        self.recheck: Recheck | None = None
        """Set when a part is typed ``Any``: ``encode_exact``'s body holding an uppercase P
        must go through it (see ``json_rules.duration_recheck``)."""
        adapter = find_adapter(annotation)
        if adapter is not None:
            impl = adapter.serializer(annotation, options)
            self.serialize: Callable[[Any], bytes] = impl.serialize
            self.to_python: Callable[[Any], Any] = impl.to_python
            self.encode_exact: Callable[[Any], bytes] = impl.serialize
            return
        self._include = _as_filter(include)
        self._exclude = _as_filter(exclude)
        self._unset = exclude_unset
        self._defaults = exclude_defaults
        self._none = exclude_none
        self._by_alias = by_alias
        self._filtering = bool(
            include is not None
            or exclude is not None
            or exclude_unset
            or exclude_defaults
            or exclude_none
            or not by_alias
        )
        # pydantic's JSON (FastAPI's response models): Decimals as strings, timedeltas and
        # bytes as pydantic writes them (typed_encoder; unchanged for types without them)
        encoder = msgspec.json.Encoder(enc_hook=enc_hook, decimal_format="string")
        self._encode = typed_encoder(annotation, encoder.encode)
        self._fill = default_filler(annotation)
        self.recheck = duration_recheck(annotation, encoder.encode)
        # PERF: the exact paths' caller checks 0x50 in body inline (bench /users/{id}: +0.03
        # µs, against +0.1 µs through a wrapping function)
        self.encode_exact = self._encode if self.recheck is None else encoder.encode
        self._exact = (
            annotation
            if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct)
            else None
        )
        args = get_args(annotation)
        self._exact_item = (
            args[0]
            if get_origin(annotation) is list
            and isinstance(args[0], type)
            and issubclass(args[0], msgspec.Struct)
            else None
        )
        self._fields: dict[type, list[FieldSpec]] = {}
        # ``dict``/``dict[str, Any]``/``list``/``list[Any]``: nothing to validate inside, so an
        # exact dict (with str keys) or list is encoded without a conversion pass.
        self._plain = _plain_container(annotation)
        if not self._filtering:
            self.exact_type = self._exact
            if self._plain is not None and self._plain[0] is dict:
                self.exact_dict = (self._plain[1],)
        self._node = compile_node(annotation)
        # msgspec caches type information on Struct classes only: converting into a one-field
        # array-like wrapper Struct avoids re-analysing generic annotations (``dict[str, Any]``)
        # on every call, which costs 2-4x the conversion itself.
        self._wrapper: Any = msgspec.defstruct(
            "ResponseWrapper", [("value", annotation)], array_like=True
        )
        self.serialize = self._compile_serialize()
        self.to_python = self._to_python

    def _compile_serialize(self) -> Callable[[Any], bytes]:
        """``_serialize`` specialised for the annotation: an instance of the exact Struct, or a
        ``dict[str, X]`` holding exactly ``X``, is encoded in one call; anything else is
        converted (its own checks already failed, so they are not repeated)."""
        convert = self._convert
        encode = self._encode
        if self._filtering:
            return convert
        exact = self._exact
        if exact is not None:

            def serialize_exact(value: Any) -> bytes:
                return encode(value) if type(value) is exact else convert(value)

            return serialize_exact
        plain = self._plain
        if plain is not None and plain[0] is dict:
            item = plain[1]
            if item is None:  # dict[str, Any]: only the keys need a look

                def serialize_str_keys(value: Any) -> bytes:
                    if type(value) is dict:
                        for key in value:
                            if type(key) is not str:
                                break
                        else:
                            return encode(value)
                    return convert(value)

                return serialize_str_keys

            def serialize_dict(value: Any) -> bytes:
                if type(value) is dict:
                    for key in value:  # cheaper than unpacking value.items()
                        if type(key) is not str or type(value[key]) is not item:
                            break
                    else:
                        return encode(value)
                return convert(value)

            return serialize_dict
        return self._serialize

    def _coerce(self, value: Any) -> Any:
        try:
            obj = msgspec.convert((value,), self._wrapper, strict=False, from_attributes=True).value
            return obj if self._fill is None else self._fill(obj)
        except msgspec.ValidationError as exc:
            from fasterapi_core.exceptions import ResponseValidationError

            try:
                data = msgspec.to_builtins(value, enc_hook=enc_hook)
            except TypeError:
                data = value
            errors: list[ErrorDict] = []
            checked = self._node.check(data, _RESPONSE, errors)
            if not errors and checked is not BAD:
                # pydantic's lax rules accept what msgspec's do not (True for an int, like
                # FastAPI's response models): convert the value they produced.
                try:
                    obj = msgspec.convert(
                        (checked,), self._wrapper, strict=False, from_attributes=True
                    ).value
                    return obj if self._fill is None else self._fill(obj)
                except msgspec.ValidationError:
                    pass
            raise ResponseValidationError(
                errors or [msgspec_error(exc, data, _RESPONSE)], body=value
            ) from None

    def _serialize(self, value: Any) -> bytes:
        if not self._filtering:
            if type(value) is self._exact:
                return self._encode(value)
            plain = self._plain
            if plain is not None and type(value) is plain[0] and _exact_items(value, plain[1]):
                return self._encode(value)
            item = self._exact_item
            if item is not None and type(value) is list and all(type(x) is item for x in value):
                return self._encode(value)
        return self._convert(value)

    def _convert(self, value: Any) -> bytes:
        """Validate/convert ``value`` to the model, filter it, encode it."""
        obj = self._coerce(value)
        if not self._filtering:
            return self._encode(obj)
        return self._encode(self._dump(obj, value, self._include, self._exclude))

    def _to_python(self, value: Any) -> Any:
        obj = self._coerce(value)
        if self._filtering:
            obj = self._dump(obj, value, self._include, self._exclude)
        return pydantic_builtins(obj)

    def _specs(self, cls: type) -> list[FieldSpec]:
        specs = self._fields.get(cls)
        if specs is None:
            specs = []
            if issubclass(cls, msgspec.Struct):
                for f in msgspec.structs.fields(cls):
                    default = f.default
                    if default is _NODEFAULT and f.default_factory is not _NODEFAULT:
                        default = f.default_factory()
                    specs.append((f.name, f.encode_name, default))
            else:
                for d in dataclasses.fields(cast(Any, cls)):
                    default = d.default
                    if default is dataclasses.MISSING:
                        factory = d.default_factory
                        default = factory() if factory is not dataclasses.MISSING else _NODEFAULT
                    specs.append((d.name, d.name, default))
            self._fields[cls] = specs
        return specs

    def _dump(
        self, obj: Any, src: Any, include: dict[Any, Any] | None, exclude: dict[Any, Any] | None
    ) -> Any:
        if isinstance(obj, msgspec.Struct) or (
            dataclasses.is_dataclass(obj) and not isinstance(obj, type)
        ):
            return self._dump_model(obj, src, include, exclude)
        if isinstance(obj, dict):
            src_map = src if isinstance(src, Mapping) else {}
            return {k: self._dump(v, src_map.get(k), None, None) for k, v in obj.items()}
        if isinstance(obj, list | tuple | set | frozenset):
            srcs = list(src) if isinstance(src, list | tuple) and len(src) == len(obj) else None
            return [
                self._dump(v, srcs[i] if srcs else None, include, exclude)
                for i, v in enumerate(obj)
            ]
        return obj

    def _dump_model(
        self, obj: Any, src: Any, include: dict[Any, Any] | None, exclude: dict[Any, Any] | None
    ) -> dict[str, Any]:
        set_keys: Any = None
        if self._unset:
            if isinstance(src, Mapping):
                set_keys = src.keys()
            else:
                set_keys = getattr(src, "model_fields_set", None)
        out: dict[str, Any] = {}
        for name, wire, default in self._specs(type(obj)):
            if include is not None and name not in include:
                continue
            if exclude is not None and exclude.get(name) in (True, Ellipsis):
                continue
            value = getattr(obj, name)
            if value is msgspec.UNSET:
                continue
            if self._unset:
                if set_keys is not None:
                    if name not in set_keys and wire not in set_keys:
                        continue
                elif default is not _NODEFAULT and value == default:
                    continue
            if self._defaults and default is not _NODEFAULT and value == default:
                continue
            if self._none and value is None:
                continue
            if isinstance(src, Mapping):
                child = src.get(wire, src.get(name))
            else:
                child = getattr(src, name, None)
            out[wire if self._by_alias else name] = self._dump(
                value, child, _sub(include, name), _sub(exclude, name)
            )
        return out
