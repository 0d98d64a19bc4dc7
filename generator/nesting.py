"""Names for nested response models: the owner's name plus the field's, as a person would write them.

datamodel-codegen names an inline object after its field alone and settles clashes with a counter:
the ``logprobs`` object of a chat completion choice becomes ``Logprobs1`` because another ``logprobs``
came first, and which one gets the bare name depends on what else the spec holds. Before the models
are built, every inline object in the response schemas is moved into a component of its own, named
after where it sits:

* a property: the owner's name plus the field's in PascalCase, the field singular when it holds a list
  (``ChatCompletion.choices[]`` -> ``ChatCompletionChoice``, its ``logprobs`` ->
  ``ChatCompletionChoiceLogprobs``). This is the official SDK's nesting rule (``chat_completion.Choice``,
  ``chat_completion.ChoiceLogprobs``) with the module's own model in front, since ``oai.types`` is flat;
* a member of a union: the owner's name plus the member's tag (its single-valued ``type``/``event``/
  ``object``/``role``). Dotted event tags that name the event on their own (``thread.run.created``)
  keep just that name (``ThreadRunCreated``) when no component has it. The one untagged object of a
  union is the owner's object form (``VoiceIdsOrCustomVoiceObject``); several untagged objects are
  numbered by position (``...Variant2``), which the OpenAI spec does not have;
* a component that is an object or null becomes the object itself, and its uses ``X | None``;
* a map's values: the owner's name plus ``Value``; a list of a union: the union is named like an
  object in the list (``MessageContent`` for ``Message.content[]``), its members by their tags.

A name depends only on the owner and the field, so adding or removing an unrelated schema renames
nothing. When a name is already a component's, ``Object`` is added (and then a digit, which does not
happen with the OpenAI spec; the generator tests check that).
"""
# pyright: standard
# (walks untyped JSON/YAML documents: strict mode would need a cast at every dict access)

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from .naming import pascal
from .specutil import SCHEMA_REF_PREFIX, escape_ref_name

_TAG_KEYS = ("type", "event", "object", "role")


def singular(word: str) -> str:
    """The singular of an English plural field name (``choices`` -> ``choice``), else ``word`` itself."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if lower.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is", "data")) and len(word) > 3:
        return word[:-1]
    return word


def _is_object(schema: Any) -> bool:
    """An inline schema datamodel-codegen would make a class of."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    if schema.get("properties"):
        return True
    parts = schema.get("allOf")
    return isinstance(parts, list) and len(parts) > 1


def _is_union(schema: Any) -> bool:
    """An inline union of two or more members besides null."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    members = schema.get("anyOf") or schema.get("oneOf")
    if not isinstance(members, list):
        return False
    return sum(1 for m in members if not (isinstance(m, dict) and m.get("type") == "null")) >= 2


def _tag(schema: dict[str, Any]) -> str | None:
    for key in _TAG_KEYS:
        prop = (schema.get("properties") or {}).get(key)
        if isinstance(prop, dict):
            values = prop.get("enum") or ([prop["const"]] if "const" in prop else [])
            if len(values) == 1 and isinstance(values[0], str) and values[0]:
                return values[0]
    return None


class _Namer:
    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        self.taken = set(schemas)
        self.added: dict[str, Any] = {}
        self.root = ""  # the component being visited: every object moved out of it belongs to its family
        self.roots: dict[str, str] = {}

    def hoist(self, schema: dict[str, Any], candidates: list[str]) -> dict[str, Any]:
        """Move ``schema`` into a component under the first free candidate; return the ``$ref`` to it."""
        name = next((c for c in candidates if c not in self.taken), None)
        if name is None:
            base, number = candidates[-1] + "Object", 2
            name = base
            while name in self.taken:
                name, number = f"{base}{number}", number + 1
        self.taken.add(name)
        self.added[name] = schema
        self.roots[name] = self.root
        self.visit(name, schema)
        ref: dict[str, Any] = {"$ref": SCHEMA_REF_PREFIX + escape_ref_name(name)}
        for key in ("description", "nullable", "deprecated"):  # stay with the place the object was used
            if key in schema:
                ref[key] = schema[key]
        return ref

    def visit(self, owner: str, schema: Any) -> None:
        """Name the inline objects inside ``schema``, which is (or belongs to) the model ``owner``."""
        if not isinstance(schema, dict):
            return
        for name, prop in list((schema.get("properties") or {}).items()):
            schema["properties"][name] = self.place(prop, owner + pascal(name), owner + pascal(singular(name)))
        for key in ("anyOf", "oneOf"):
            members = schema.get(key)
            if isinstance(members, list):
                schema[key] = self.members(members, owner, schema.get("discriminator"))
        parts = schema.get("allOf")
        if isinstance(parts, list):
            for part in parts:
                if isinstance(part, dict) and "$ref" not in part:
                    self.visit(owner, part)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            schema["additionalProperties"] = self.place(extra, owner + "Value", owner + "Value")
        items = schema.get("items")
        if schema.get("type") == "array" and isinstance(items, dict) and (_is_union(items) or _is_object(items)):
            schema["items"] = self.hoist(items, [singular(owner), owner + "Item"])

    def place(self, schema: Any, name: str, item_name: str) -> Any:
        """A property's schema with its inline objects named ``name`` (``item_name`` for list items)."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return schema
        if _is_object(schema):
            return self.hoist(schema, [name])
        if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
            items = schema["items"]
            if _is_union(items):  # the tool names a list's union after the field: name it here
                schema["items"] = self.hoist(items, [item_name])
            else:
                schema["items"] = self.place(items, item_name, item_name)
            return schema
        for key in ("anyOf", "oneOf"):
            members = schema.get(key)
            if isinstance(members, list):
                objects = [m for m in members if _is_object(m)]
                if len(objects) == 1:  # `X | None`, `X | str`: the one object is the field's
                    schema[key] = [
                        self.hoist(m, [name]) if m is objects[0] else self.place(m, name, item_name) for m in members
                    ]
                else:
                    schema[key] = [self.place(m, name, item_name) if not _is_object(m) else m for m in members]
                    schema[key] = self.members(schema[key], name, schema.get("discriminator"))
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            schema["additionalProperties"] = self.place(extra, name + "Value", name + "Value")
        return schema

    def members(self, members: list[Any], owner: str, discriminator: Any = None) -> list[Any]:
        """Union members: inline objects named by their tag (or their position, when untagged).

        A discriminator's ``mapping`` gains the moved members' tag values (the tool would otherwise take
        the new component's name for the tag, shared notes P1)."""
        mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        prop_name = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        out: list[Any] = []
        for index, member in enumerate(members, 1):
            if not _is_object(member):
                for key in ("anyOf", "oneOf"):  # a union inside the union: its members are the owner's too
                    if isinstance(member, dict) and isinstance(member.get(key), list) and "$ref" not in member:
                        member[key] = self.members(member[key], owner, member.get("discriminator"))
                out.append(member)
                continue
            tag = _tag(member)
            candidates = []
            if tag is not None and "." in tag:
                candidates.append(pascal(tag))
            if tag is not None:
                candidates.append(owner + pascal(tag))
            elif sum(1 for m in members if _is_object(m)) == 1:  # `Voice | {id}`: the object form of the owner
                candidates.append(owner + "Object")
            else:
                candidates.append(f"{owner}Variant{index}")
            ref = self.hoist(member, candidates)
            out.append(ref)
            if isinstance(mapping, dict) and isinstance(prop_name, str):
                prop = (member.get("properties") or {}).get(prop_name)
                values = (
                    (prop.get("enum") or ([prop["const"]] if "const" in prop else [])) if isinstance(prop, dict) else []
                )
                for value in values:
                    if isinstance(value, str):
                        mapping.setdefault(value, ref["$ref"])
        return out


def _null_wrapped_object(schema: Any) -> dict[str, Any] | None:
    """The object of a component that is ``anyOf: [<inline object>, {type: null}]``, else None."""
    if not isinstance(schema, dict):
        return None
    for key in ("anyOf", "oneOf"):
        members = schema.get(key)
        if isinstance(members, list) and len(members) == 2:
            objects = [m for m in members if _is_object(m)]
            nulls = [m for m in members if isinstance(m, dict) and m.get("type") == "null"]
            if len(objects) == 1 and len(nulls) == 1:
                return objects[0]
    return None


def _unwrap_nullable_components(schemas: dict[str, Any]) -> None:
    """A component that is an object or null becomes the object, and every use of it ``X | None``.

    So the class has the component's name (``RunCompletionUsage``) instead of a synthesized one beside a
    ``RunCompletionUsage = RunCompletionUsage1 | None`` alias."""
    wrapped: set[str] = set()
    for name in sorted(schemas):
        inner = _null_wrapped_object(schemas[name])
        if inner is not None:
            outer = {k: v for k, v in schemas[name].items() if k not in ("anyOf", "oneOf")}
            schemas[name] = {**inner, **outer}
            wrapped.add(SCHEMA_REF_PREFIX + escape_ref_name(name))
    if not wrapped:
        return

    def fix(node: Any) -> Any:
        if isinstance(node, list):
            return [fix(v) for v in node]
        if not isinstance(node, dict):
            return node
        if node.get("$ref") in wrapped:
            inner = {"$ref": node["$ref"]}
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {**rest, "anyOf": [inner, {"type": "null"}]}
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("anyOf", "oneOf") and isinstance(value, list):
                members = [m if isinstance(m, dict) and m.get("$ref") in wrapped else fix(m) for m in value]
                if any(isinstance(m, dict) and m.get("$ref") in wrapped for m in members) and not any(
                    isinstance(m, dict) and m.get("type") == "null" for m in members
                ):
                    members.append({"type": "null"})
                out[key] = members
            elif key in ("mapping", "enum", "const", "default", "required"):
                out[key] = value
            else:
                out[key] = fix(value)
        return out

    for name in list(schemas):
        schemas[name] = fix(schemas[name])


_LOOSE_KEYS = frozenset({"description", "title", "maxLength", "minLength", "pattern", "maxItems", "minItems"})


def _shape(schema: Any, suffix_free: bool) -> Any:
    """A schema without prose and input limits, ``...Param`` references read without the suffix."""
    if isinstance(schema, list):
        return [_shape(v, suffix_free) for v in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _LOOSE_KEYS:
            continue
        if key == "$ref" and isinstance(value, str) and suffix_free:
            value = value.removesuffix("Param")
        elif key == "mapping" and isinstance(value, dict) and suffix_free:
            value = {k: v.removesuffix("Param") if isinstance(v, str) else v for k, v in value.items()}
        out[key] = _shape(value, suffix_free)
    return out


def _refs(node: Any, into: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF_PREFIX):
            into.add(ref[len(SCHEMA_REF_PREFIX) :])
        for value in node.values():
            _refs(value, into)
    elif isinstance(node, list):
        for value in node:
            _refs(value, into)


def _replace_refs(node: Any, renames: dict[str, str]) -> None:
    """Point ``$ref``s and discriminator mappings at renamed components, in place."""
    refs = {SCHEMA_REF_PREFIX + escape_ref_name(o): SCHEMA_REF_PREFIX + escape_ref_name(n) for o, n in renames.items()}
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("$ref") in refs:
                item["$ref"] = refs[item["$ref"]]
            mapping = item.get("mapping")
            if isinstance(mapping, dict):
                for key, value in mapping.items():
                    if value in refs:
                        mapping[key] = refs[value]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _request_side_models(schemas: dict[str, Any], every: dict[str, Any]) -> dict[str, str]:
    """Response models never end in ``Param``: that suffix names the request TypedDicts (``ClickParam``).

    A ``...Param`` component that a response reaches (responses echo their input items) is the model
    without the suffix (``ClickParam`` -> ``Click``). Where the spec also has that component (the output
    form, ``InputTextContent`` beside ``InputTextContentParam``) and it has the same shape but for input
    limits, the output form is used; otherwise the model is ``<Name>Input``. ``every``: all components
    of the spec, for the output forms responses do not reach otherwise. Returns the renames made."""
    renames: dict[str, str] = {}
    replaced: dict[str, str] = {}
    for name in sorted(schemas):
        if not name.endswith("Param") or name == "Param":
            continue
        base = name[: -len("Param")]
        if base not in every and base not in schemas:
            renames[name] = base
        elif base in every and _shape(every[base], False) == _shape(schemas[name], True):
            replaced[name] = base
        elif base + "Input" not in every and base + "Input" not in schemas:
            renames[name] = base + "Input"
    pending = [b for b in replaced.values() if b not in schemas]
    while pending:  # the output forms join the models, with what they refer to
        name = pending.pop()
        if name in schemas or name not in every:
            continue
        schemas[name] = copy.deepcopy(every[name])
        found: set[str] = set()
        _refs(schemas[name], found)
        pending.extend(sorted(found - set(schemas)))
    for name in replaced:
        del schemas[name]
    for old, new in renames.items():
        schemas[new] = schemas.pop(old)
    _replace_refs(schemas, {**renames, **replaced})
    return {**renames, **replaced}


_LIMITS = frozenset(
    {"minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
    | {"pattern", "multipleOf", "uniqueItems", "minProperties", "maxProperties"}
)


def _drop_limits(node: Any) -> None:
    """Remove input limits (``minItems``, ``maximum``, ``pattern`` ...) from response schemas, in place.

    A response model must take what the server sends; and the tool makes a named alias of every
    limited list or number (``AllowedCallers5``, ``Temperature1``), which would be a counter name."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key in [k for k in item if k in _LIMITS and not isinstance(item[k], dict)]:
                del item[key]
            stack.extend(v for k, v in item.items() if k not in ("enum", "const", "default", "mapping", "required"))
        elif isinstance(item, list):
            stack.extend(item)


@dataclass
class NestedNames:
    renames: dict[str, str]  # component -> the model that stands for it (``ClickParam`` -> ``Click``)
    added: list[str]  # models made of inline objects, named after their owner and field
    roots: dict[str, str]  # each of those -> the component it was nested in (its family)


def name_nested_models(doc: dict[str, Any], every: dict[str, Any] | None = None) -> NestedNames:
    """Name ``doc``'s models (a models document: components only) as a person would; modifies ``doc``.

    Every inline object moves into a named component, request-side ``...Param`` components are renamed
    (``every``: all the spec's components). Components are visited in sorted order, so the result is the
    same every run."""
    schemas: dict[str, Any] = doc["components"]["schemas"]
    renames = _request_side_models(schemas, every if every is not None else schemas)
    _drop_limits(schemas)
    _unwrap_nullable_components(schemas)
    namer = _Namer(schemas)
    for name in sorted(schemas):
        namer.root = name
        namer.visit(name, schemas[name])
    schemas.update(namer.added)
    return NestedNames(renames=renames, added=sorted(namer.added), roots=namer.roots)
