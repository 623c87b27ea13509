"""The JSON Schemas shipped in ``zkmargin/schemas/``, validation, and locating a field's line.

>>> validate_or_raise({"id": "u1"}, "account", "a.jsonl", line=3)
>>> validate_or_raise({"id": 5}, "account", "a.jsonl", line=3)
Traceback (most recent call last):
...
zkmargin.errors.InputError: a.jsonl:3: id: 5 is not of type 'string'
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any

import jsonschema

from zkmargin.errors import InputError
from zkmargin.models.registry import folder as registry_folder
from zkmargin.models.registry import market_models, specs

SCHEMA_NAMES = ("market", "account")


def schema(name: str) -> dict[str, Any]:
    """The parsed JSON Schema ``zkmargin/schemas/<name>.schema.json``; the market's
    ``model.name`` is one of the registry's market models (the folders of ``zkmargin/models``),
    and each model's parameters join the ``model`` section's fields."""
    text = resources.files("zkmargin").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    doc = json.loads(text)
    if name == "market":
        section = doc["properties"]["model"]["properties"]
        section["name"]["enum"] = list(market_models())
        for model, spec in specs().items():
            for key, rule in spec.parameters.items():
                if section.get(key, rule) != rule:
                    where = registry_folder(model)
                    raise InputError(where, "MODEL.parameters", f"{key!r} is declared otherwise")
                section[key] = rule
    return doc


def _validator(name: str) -> jsonschema.protocols.Validator:
    # Keyed by the market models too: the registry may gain a folder (``registry.forget``).
    return _validator_for(name, market_models() if name == "market" else ())


@functools.cache
def _validator_for(name: str, models: tuple[str, ...]) -> jsonschema.protocols.Validator:
    spec = schema(name)
    cls = jsonschema.validators.validator_for(spec)
    return cls(spec)


def field_name(path: Sequence[Any]) -> str:
    """Dotted field path as error messages show it: ``assets.BTC.haircut[1][0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def locate(text: str, path: Sequence[Any]) -> int | None:
    """1-based line of the deepest key of ``path`` found in order in the JSON ``text``.

    Keys are searched as quoted strings, each after the previous one; array indices are skipped.
    Good enough to point a person at the field in a pretty-printed file.
    """
    pos, found = 0, None
    for part in path:
        if isinstance(part, int):
            continue
        at = text.find(json.dumps(str(part)), pos)
        if at < 0:
            break
        pos, found = at, at
    return None if found is None else text.count("\n", 0, found) + 1


# The schemas' name patterns, matched whole: JSON Schema's ``$`` (Python's ``re.search``) would
# also accept a trailing line break.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}")
ACCOUNT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}")
SIGNED_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _pattern_problem(pattern: str, value: str) -> str:
    if "T[0-9]" in pattern:  # a time field
        return f"not a UTC time like 2026-11-20T08:00:00Z: {value!r}"
    if "[0-9]+" in pattern:  # a decimal-string field
        if re.fullmatch(r"-[0-9]+(\.[0-9]+)?", value):
            return f"negative value not allowed: {value!r}"
        return f"not a decimal string: {value!r}"
    return invalid_name(value)


def invalid_name(value: object) -> str:
    """The problem text for a name or id outside the allowed pattern."""
    return f"invalid name {value!r} (ASCII letters, digits and ._:/-@, at most 64)"


def validate_or_raise(
    doc: Any, name: str, file: str, *, line: int | None = None, text: str | None = None
) -> None:
    """Validate ``doc`` against schema ``name``; the first error becomes one :class:`InputError`.

    ``line`` is used when given (JSON Lines); otherwise the field is located in ``text``.
    """
    errors = sorted(_validator(name).iter_errors(doc), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    err = errors[0]
    path = list(err.absolute_path)
    if err.validator == "additionalProperties" and err.instance is not None:
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        if extra:
            path = [*path, extra[0]]
            problem = "unknown field"
        else:
            problem = err.message
    elif err.validator == "required":
        problem = err.message.replace("is a required property", "is required")
    elif err.validator == "pattern":
        problem = _pattern_problem(err.schema.get("pattern", ""), err.instance)
    else:
        problem = err.message
    if line is None and text is not None:
        line = locate(text, path)
    raise InputError(file, field_name(path) or "(document)", problem, line=line)
