"""Parameter markers: where a handler argument comes from and how it is constrained.

They are written exactly as with FastAPI, either as defaults (``limit: int = Query(10, ge=1)``)
or inside ``Annotated`` (``limit: Annotated[int, Query(ge=1)] = 10``).
"""

from __future__ import annotations

import enum
import re
import warnings
from collections.abc import Callable
from typing import Any, Literal

from fasterapi_core.depends import Depends, Security, SecurityScopes

__all__ = [
    "Body",
    "Cookie",
    "Depends",
    "File",
    "Form",
    "Header",
    "Param",
    "ParamSource",
    "Path",
    "Query",
    "Required",
    "Security",
    "SecurityScopes",
]


class _RequiredType:
    """Sentinel meaning "no default: the value must be supplied"."""

    _instance: _RequiredType | None = None

    def __new__(cls) -> _RequiredType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "Required"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "Required"


Required: Any = _RequiredType()


class _UnsetType:
    """Default of the naming keywords, to tell ``alias=None`` (clears an alias a pydantic
    ``Field`` in the annotation gives) from no ``alias`` at all, as FastAPI does."""

    def __repr__(self) -> str:
        return "_Unset"


_UNSET: Any = _UnsetType()
_NAMING = (
    "alias",
    "validation_alias",
    "title",
    "description",
    "examples",
    "deprecated",
    "json_schema_extra",
    "validate_default",
)


class ParamSource(enum.Enum):
    """The part of the request a parameter is read from."""

    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"
    BODY = "body"
    FORM = "form"
    FILE = "file"


_REPLACEMENTS = {"example": "examples", "regex": "pattern"}


def _warn_deprecated(marker: Param, keyword: str) -> None:
    """FastAPI's warning for ``example=``/``regex=``, pointing at the caller's line."""
    from fasterapi_core.exceptions import FasterAPIDeprecationWarning

    own_inits = sum(1 for cls in type(marker).__mro__[:-2] if "__init__" in cls.__dict__)
    warnings.warn(
        f"`{keyword}` has been deprecated, please use `{_REPLACEMENTS[keyword]}` instead",
        FasterAPIDeprecationWarning,
        stacklevel=3 + own_inits,
    )


class Param:
    """Base marker; the subclasses name the source. Keyword arguments follow FastAPI's."""

    source: ParamSource = ParamSource.QUERY

    def __init__(
        self,
        default: Any = Required,
        *,
        default_factory: Callable[[], Any] | None = None,
        alias: str | None = _UNSET,
        validation_alias: str | Any = _UNSET,
        serialization_alias: str | None = None,
        title: str | None = _UNSET,
        description: str | None = _UNSET,
        gt: float | None = None,
        ge: float | None = None,
        lt: float | None = None,
        le: float | None = None,
        multiple_of: float | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | re.Pattern[str] | None = None,
        regex: str | None = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        examples: list[Any] | None = _UNSET,
        example: Any = Required,
        openapi_examples: dict[str, Any] | None = None,
        deprecated: bool | str | None = _UNSET,
        include_in_schema: bool = True,
        json_schema_extra: dict[str, Any] | None = _UNSET,
        strict: bool | None = None,
        allow_inf_nan: bool | None = None,
        union_mode: Literal["smart", "left_to_right"] | None = None,
        discriminator: Any = None,
        fail_fast: bool | None = None,
        validate_default: bool | None = _UNSET,
        alias_priority: int | None = None,
        **extra: Any,
    ) -> None:
        given = locals()
        explicit = {name for name in _NAMING if given[name] is not _UNSET}
        if "alias" in explicit:  # FastAPI: the alias is the validation alias too
            explicit.add("validation_alias")
        self.explicit = frozenset(explicit)
        """The naming keywords given (``alias=None`` included): a pydantic ``Field`` in
        the annotation does not override them."""
        alias = None if alias is _UNSET else alias
        validation_alias = None if validation_alias is _UNSET else validation_alias
        title = None if title is _UNSET else title
        description = None if description is _UNSET else description
        examples = None if examples is _UNSET else examples
        deprecated = None if deprecated is _UNSET else deprecated
        json_schema_extra = None if json_schema_extra is _UNSET else json_schema_extra
        validate_default = None if validate_default is _UNSET else validate_default
        if default is ...:
            default = Required
        if default is not Required and default_factory is not None:
            raise TypeError("cannot give both 'default' and 'default_factory'")
        if extra:
            warnings.warn(
                f"extra keyword arguments on {type(self).__name__}() are deprecated (as in "
                f"FastAPI): use json_schema_extra={extra!r}",
                DeprecationWarning,
                stacklevel=2,
            )
            json_schema_extra = json_schema_extra or extra
        if example is not Required:
            _warn_deprecated(self, "example")
        if regex is not None:
            _warn_deprecated(self, "regex")
        self.default = default
        self.default_factory = default_factory
        self.validation_alias = validation_alias
        """A name, or pydantic's ``AliasChoices``/``AliasPath`` (see :attr:`alias_choices`)."""
        self.alias = validation_alias if isinstance(validation_alias, str) else alias
        self.alias_priority = alias_priority  # pydantic's; no effect on a parameter's name
        self.validate_default = validate_default
        """The default (or the factory's value) is validated when the request has none."""
        self.serialization_alias = serialization_alias
        self.title = title
        self.description = description
        self.gt = gt
        self.ge = ge
        self.lt = lt
        self.le = le
        self.multiple_of = multiple_of
        self.min_length = min_length
        self.max_length = max_length
        self.pattern = pattern if pattern is not None else regex
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        self.examples = examples
        self.example = example
        """``example=`` (deprecated), ``Required`` if not given: FastAPI documents it beside
        the schema (the parameter's, the body's), not in it."""
        self.openapi_examples = openapi_examples
        self.deprecated = deprecated
        self.include_in_schema = include_in_schema
        self.json_schema_extra = json_schema_extra
        self.pydantic_options = {
            key: value
            for key, value in (
                ("strict", strict),
                ("allow_inf_nan", allow_inf_nan),
                ("union_mode", union_mode),
                ("discriminator", discriminator),
                ("fail_fast", fail_fast),
            )
            if value is not None
        }
        """Keywords only pydantic applies: the parameter is then validated by pydantic."""
        self.extra = extra

    @property
    def in_(self) -> ParamSource:
        """FastAPI's name for :attr:`source` (``Query().in_.value == "query"``)."""
        return self.source

    @property
    def alias_choices(self) -> tuple[str, ...] | None:
        """The names of ``validation_alias=AliasChoices("a", "b")``, tried in order (FastAPI
        reads the first one sent); None otherwise (an ``AliasPath`` among them included)."""
        choices = getattr(self.validation_alias, "choices", None)
        if not isinstance(choices, list | tuple) or not choices:
            return None
        if not all(isinstance(choice, str) for choice in choices):
            return None
        return tuple(choices)

    @property
    def required(self) -> bool:
        """True when neither a default nor a default factory was given."""
        return self.default is Required and self.default_factory is None

    def with_default(self, default: Any) -> Param:
        """A copy of this marker with ``default`` (used for ``Annotated[..., Query()] = 5``)."""
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.default = Required if default is ... else default
        return clone

    def __repr__(self) -> str:  # FastAPI's: the default's str, a required one's pydantic name
        default = "PydanticUndefined" if self.default is Required else self.default
        return f"{type(self).__name__}({default})"


class Path(Param):
    """A value from the URL path, e.g. ``item_id: int = Path(ge=1)``. Always required."""

    source = ParamSource.PATH

    def __init__(self, default: Any = Required, **kwargs: Any) -> None:
        assert default is Required or default is ..., "Path parameters cannot have a default value"
        super().__init__(default, **kwargs)


class Query(Param):
    """A value from the query string; ``list[X]`` annotations take every repeated value."""

    source = ParamSource.QUERY


class Header(Param):
    """A request header; ``user_agent`` reads ``User-Agent`` (unless ``convert_underscores``
    is False)."""

    source = ParamSource.HEADER

    def __init__(
        self, default: Any = Required, *, convert_underscores: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(default, **kwargs)
        self.convert_underscores = convert_underscores


class Cookie(Param):
    """A value read from a request cookie named like the parameter (or ``alias``).

    ``session_id: Annotated[str | None, Cookie()] = None``; the value is converted and
    constrained like a query parameter, and a missing required cookie is a 422.
    """

    source = ParamSource.COOKIE


class Body(Param):
    """The JSON request body, or one key of it with ``embed=True`` (or when there are several)."""

    source = ParamSource.BODY

    def __init__(
        self,
        default: Any = Required,
        *,
        embed: bool | None = None,
        media_type: str = "application/json",
        **kwargs: Any,
    ) -> None:
        super().__init__(default, **kwargs)
        self.embed = embed
        self.media_type = media_type


class Form(Body):
    """A field of an urlencoded or multipart form body (needs python-multipart).

    ``username: Annotated[str, Form()]``; the field is named like the parameter (or ``alias``)
    and validated like a body field.
    """

    source = ParamSource.FORM

    def __init__(
        self,
        default: Any = Required,
        *,
        media_type: str = "application/x-www-form-urlencoded",
        **kwargs: Any,
    ) -> None:
        super().__init__(default, media_type=media_type, **kwargs)


class File(Form):
    """An uploaded file of a multipart body (``UploadFile``, ``bytes`` or a list of them)."""

    source = ParamSource.FILE

    def __init__(
        self, default: Any = Required, *, media_type: str = "multipart/form-data", **kwargs: Any
    ) -> None:
        super().__init__(default, media_type=media_type, **kwargs)
