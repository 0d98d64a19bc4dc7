"""Schema comparison for ``python -m generator diff``: two versions of a schema, in the SDK's terms.

A request schema is written by the user and read by the server; a response
schema the other way round. The same change can therefore be harmless on one
side and breaking on the other (a value added to an enum is a feature for a
request parameter and a surprise for code that matches every value of a
response field). The rules are in docs/diff.md; this module applies them.

The walk compares two schemas structurally (``allOf`` merged, ``anyOf``/``oneOf``
members paired up, ``nullable`` and ``type: null`` folded into one flag) and
stops at ``$ref``s to components: a pair of components (old name, new name) is
compared once per direction and remembered, and a method's report expands those
pairs breadth first, each pair once per method. That keeps cycles finite, makes
a component shared by a hundred operations cost one comparison, and reports a
change at the shortest path that reaches it: ``ChatCompletion.choices[].message.refusal``.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast

from .specutil import CONSTRAINT_KEYWORDS, flatten_object, resolve_ref, schema_name

Direction = Literal["request", "response"]
Severity = Literal["breaking", "feature", "note"]
Bump = Literal["major", "minor", "patch"]

_BUMP: dict[Severity, Bump] = {"breaking": "major", "feature": "minor", "note": "minor"}
_MAX_DEPTH = 48  # inline nesting; components do not count (they are expanded breadth first)
_TAG_KEYS = ("type", "object", "role", "event")


@dataclass(frozen=True)
class Finding:
    """One difference, located by a path relative to where the comparison started."""

    severity: Severity
    bump: Bump
    code: str  # stable identifier of the kind of change: "field-removed", "enum-value-added", ...
    where: str
    message: str


def finding(severity: Severity, code: str, where: str, message: str, bump: Bump | None = None) -> Finding:
    return Finding(severity, bump or _BUMP[severity], code, where, message)


@dataclass
class _Result:
    findings: list[Finding] = field(default_factory=lambda: [])
    edges: list[tuple[str, str, str]] = field(default_factory=lambda: [])  # (where, old component, new component)


@dataclass(frozen=True)
class _Norm:
    """A schema with the spellings of the same thing folded together."""

    schema: dict[str, Any]
    ref: str | None = None  # component name, when the schema is (an alias of) a $ref
    nullable: bool = False
    variants: tuple[Any, ...] | None = None  # non-null members of a union of two or more
    kinds: frozenset[str] = frozenset({"any"})
    enum: frozenset[str] | None = None  # JSON-encoded values, null excluded


def as_dict(value: object) -> dict[str, Any] | None:
    """``value`` typed as a JSON object, or None when it is not one."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def as_list(value: object) -> list[Any] | None:
    return cast("list[Any]", value) if isinstance(value, list) else None


def _is_null(schema: object) -> bool:
    node = as_dict(schema)
    if node is None:
        return False
    return node.get("type") == "null" or node.get("enum") == [None] or ("const" in node and node["const"] is None)


def _encode(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _show(values: Iterable[str], limit: int = 8) -> str:
    ordered = sorted(values)
    shown = ", ".join(ordered[:limit])
    return shown + (f", … ({len(ordered) - limit} more)" if len(ordered) > limit else "")


def _kinds_text(kinds: frozenset[str], nullable: bool = False) -> str:
    parts = sorted(kinds)
    if nullable:
        parts.append("null")
    return " | ".join(parts)


def _covers(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    """Does every value of a ``narrow`` type also fit ``wide``?"""
    if "any" in wide:
        return True
    return all(
        k in wide or (k == "integer" and "number" in wide) or (k == "binary" and "string" in wide) for k in narrow
    )


class SchemaComparer:
    """Compares schemas of an old and a new (preprocessed) document. One instance per pair of documents."""

    def __init__(self, old_doc: dict[str, Any], new_doc: dict[str, Any]) -> None:
        self.old_doc = old_doc
        self.new_doc = new_doc
        self._old_schemas = _schemas(old_doc)
        self._new_schemas = _schemas(new_doc)
        self._memo: dict[tuple[str, str, Direction], _Result] = {}
        self._norm_memo: dict[tuple[bool, int], _Norm] = {}
        self._keep: list[Any] = []  # schemas whose id() is a memo key stay alive

    # -- public ---------------------------------------------------------------------------

    def expander(self, direction: Direction) -> Expander:
        return Expander(self, direction)

    def component(self, old: str, new: str, direction: Direction) -> _Result:
        """Local findings of two component schemas, and the component pairs they lead to."""
        key = (old, new, direction)
        result = self._memo.get(key)
        if result is None:
            result = _Result()
            self._compare(self._old_schemas.get(old, {}), self._new_schemas.get(new, {}), "", direction, result, 0)
            self._memo[key] = result
        return result

    def compare(self, old: Any, new: Any, where: str, direction: Direction) -> _Result:
        result = _Result()
        self._compare(old, new, where, direction, result, 0)
        return result

    # -- normalisation --------------------------------------------------------------------

    def _norm(self, schema: Any, old: bool) -> _Norm:
        key = (old, id(schema))
        cached = self._norm_memo.get(key)
        if cached is None:
            cached = self._normalise(schema, old, 0)
            self._norm_memo[key] = cached
            self._keep.append(schema)
        return cached

    def _normalise(self, raw: Any, old: bool, depth: int) -> _Norm:
        schema = as_dict(raw)
        if schema is None or depth > _MAX_DEPTH:
            return _Norm({})
        nullable = schema.get("nullable") is True
        ref = schema.get("$ref")
        if isinstance(ref, str):
            name = schema_name(ref)
            if name is not None:
                return _Norm(schema, ref=name, nullable=nullable)
            target = self._resolve(ref, old)
            inner = self._normalise(target, old, depth + 1)
            return replace(inner, nullable=inner.nullable or nullable)
        variants = as_list(schema.get("anyOf") or schema.get("oneOf"))
        if variants:
            members = [v for v in variants if not _is_null(v)]
            nullable = nullable or len(members) < len(variants)
            own = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf", "discriminator")}
            if len(members) == 1 and not own.get("properties"):
                inner = self._normalise(members[0], old, depth + 1)
                return replace(inner, nullable=inner.nullable or nullable)
            if not members:
                return _Norm(schema, nullable=True, kinds=frozenset({"null"}))
            return _Norm(schema, nullable=nullable, variants=tuple(members))
        all_of = as_list(schema.get("allOf"))
        if all_of is not None and len(all_of) == 1 and not schema.get("properties"):
            inner = self._normalise(all_of[0], old, depth + 1)
            return replace(inner, nullable=inner.nullable or nullable)
        enum: frozenset[str] | None = None
        values: list[Any] = [schema["const"]] if "const" in schema else as_list(schema.get("enum")) or []
        if values:
            nullable = nullable or None in values
            enum = frozenset(_encode(v) for v in values if v is not None) or None
        declared: Any = schema.get("type")
        kinds: set[str] = set()
        declared_list = as_list(declared)
        if declared_list is not None:
            nullable = nullable or "null" in declared_list
            kinds = {str(t) for t in declared_list if t != "null"}
        elif isinstance(declared, str):
            if declared == "null":
                return _Norm(schema, nullable=True, kinds=frozenset({"null"}))
            kinds = {declared}
        elif schema.get("properties") or all_of or "additionalProperties" in schema:
            kinds = {"object"}
        elif "items" in schema:
            kinds = {"array"}
        elif values:
            kinds = {_json_kind(v) for v in values if v is not None}
        if "string" in kinds and schema.get("format") == "binary":
            kinds = (kinds - {"string"}) | {"binary"}
        return _Norm(schema, nullable=nullable, kinds=frozenset(kinds or {"any"}), enum=enum)

    def _resolve(self, ref: str, old: bool) -> Any:
        try:
            return resolve_ref(self.old_doc if old else self.new_doc, ref)
        except KeyError:
            return {}

    def _component_schema(self, name: str, old: bool) -> Any:
        return (self._old_schemas if old else self._new_schemas).get(name, {})

    # -- comparison -----------------------------------------------------------------------

    def _compare(self, old: Any, new: Any, where: str, direction: Direction, out: _Result, depth: int) -> None:
        o = self._norm(old, True)
        n = self._norm(new, False)
        self._compare_nullable(o.nullable, n.nullable, where, direction, out)
        if o.ref is not None and n.ref is not None:
            if o.ref != n.ref:
                out.findings.append(
                    finding(
                        "note",
                        "type-renamed",
                        where,
                        f"type `{o.ref}` is now `{n.ref}` (the old name leaves oai.types; "
                        "model_renames in sdk.yaml can keep it)",
                    )
                )
            out.edges.append((where, o.ref, n.ref))
            return
        if depth > _MAX_DEPTH:
            return
        # One side is a component and the other inline: compare the component's content in place.
        if o.ref is not None:
            o = replace(self._norm(self._component_schema(o.ref, True), True), nullable=o.nullable)
        if n.ref is not None:
            n = replace(self._norm(self._component_schema(n.ref, False), False), nullable=n.nullable)
        if o.ref is not None or n.ref is not None:  # an alias of an alias: one more step
            self._compare(o.schema, n.schema, where, direction, out, depth + 1)
            return
        if o.variants is not None or n.variants is not None:
            self._compare_union(o, n, where, direction, out, depth)
            return
        self._compare_plain(o, n, where, direction, out, depth)

    def _compare_nullable(self, old: bool, new: bool, where: str, direction: Direction, out: _Result) -> None:
        if old == new:
            return
        if direction == "request":
            if new:
                out.findings.append(finding("feature", "null-accepted", where, "now accepts null"))
            else:
                out.findings.append(finding("breaking", "null-refused", where, "no longer accepts null"))
        elif new:
            out.findings.append(finding("breaking", "null-possible", where, "may now be null"))
        else:
            out.findings.append(finding("note", "null-gone", where, "is never null any more", "patch"))

    def _compare_plain(self, o: _Norm, n: _Norm, where: str, direction: Direction, out: _Result, depth: int) -> None:
        if o.kinds != n.kinds:
            change = f"{_kinds_text(o.kinds)} → {_kinds_text(n.kinds)}"
            if direction == "request":
                if _covers(n.kinds, o.kinds):
                    out.findings.append(finding("feature", "type-widened", where, f"type widened: {change}"))
                else:
                    out.findings.append(finding("breaking", "type-changed", where, f"type changed: {change}"))
            elif _covers(o.kinds, n.kinds):
                out.findings.append(finding("note", "type-narrowed", where, f"type narrowed: {change}", "patch"))
            else:
                out.findings.append(finding("breaking", "type-changed", where, f"type changed: {change}"))
        self._compare_enum(o.enum, n.enum, where, direction, out)
        self._compare_facts(o.schema, n.schema, where, out)
        shared = o.kinds & n.kinds
        if "any" in o.kinds and "any" in n.kinds:
            return
        if "object" in shared:
            self._compare_object(o.schema, n.schema, where, direction, out, depth)
        if "array" in shared:
            self._compare(o.schema.get("items", {}), n.schema.get("items", {}), where + "[]", direction, out, depth + 1)

    def _compare_enum(
        self, old: frozenset[str] | None, new: frozenset[str] | None, where: str, direction: Direction, out: _Result
    ) -> None:
        if old == new:
            return
        request = direction == "request"
        if old is not None and new is not None:
            removed, added = old - new, new - old
            if removed:
                text = f"enum value(s) removed: {_show(removed)}"
                if request:
                    out.findings.append(finding("breaking", "enum-value-removed", where, text))
                else:
                    out.findings.append(finding("note", "enum-value-removed", where, text, "patch"))
            if added:
                text = f"enum value(s) added: {_show(added)}"
                if request:
                    out.findings.append(finding("feature", "enum-value-added", where, text))
                else:
                    out.findings.append(
                        finding("note", "enum-value-added", where, text + " (exhaustive matches need a new case)")
                    )
        elif new is not None:  # a free value became an enum
            text = f"now restricted to {_show(new)}"
            if request:
                out.findings.append(finding("breaking", "enum-introduced", where, text))
            else:
                out.findings.append(finding("note", "enum-introduced", where, text, "patch"))
        else:
            assert old is not None
            text = f"no longer restricted to {_show(old)}"
            if request:
                out.findings.append(finding("feature", "enum-removed", where, text))
            else:
                out.findings.append(finding("breaking", "enum-removed", where, text))

    def _compare_facts(self, old: dict[str, Any], new: dict[str, Any], where: str, out: _Result) -> None:
        """Formats, defaults and limits: not part of the SDK's types, listed as notes."""
        old_format, new_format = old.get("format"), new.get("format")
        if old_format != new_format and "binary" not in (old_format, new_format):
            out.findings.append(
                finding(
                    "note",
                    "format-changed",
                    where,
                    f"format {old_format or '(none)'} → {new_format or '(none)'}",
                    "patch",
                )
            )
        if "default" in old or "default" in new:
            old_default, new_default = old.get("default"), new.get("default")
            if old_default != new_default:
                text = f"default {_encode(old_default) if 'default' in old else '(none)'} → "
                text += _encode(new_default) if "default" in new else "(none)"
                out.findings.append(finding("note", "default-changed", where, text, "patch"))
        for key in CONSTRAINT_KEYWORDS:
            if old.get(key) != new.get(key):
                text = f"{key} {_encode(old[key]) if key in old else '(none)'} → "
                text += _encode(new[key]) if key in new else "(none)"
                out.findings.append(finding("note", "constraint-changed", where, text, "patch"))

    def _flatten(self, schema: dict[str, Any], old: bool) -> tuple[dict[str, Any], set[str], Any]:
        try:
            flat = flatten_object(self.old_doc if old else self.new_doc, schema)
        except KeyError:
            return {}, set(), None
        props = {name: prop.schema for name, prop in flat.properties.items()}
        return props, set(flat.required), flat.additional

    def _compare_object(
        self, old: dict[str, Any], new: dict[str, Any], where: str, direction: Direction, out: _Result, depth: int
    ) -> None:
        old_props, old_required, old_extra = self._flatten(old, True)
        new_props, new_required, new_extra = self._flatten(new, False)
        hidden = "readOnly" if direction == "request" else "writeOnly"
        old_props = {k: v for k, v in old_props.items() if not (as_dict(v) or {}).get(hidden)}
        new_props = {k: v for k, v in new_props.items() if not (as_dict(v) or {}).get(hidden)}
        request = direction == "request"
        what = "property" if request else "field"
        for name in old_props:
            if name not in new_props:
                out.findings.append(finding("breaking", f"{what}-removed", f"{where}.{name}", f"{what} removed"))
        for name in new_props:
            if name in old_props:
                continue
            here = f"{where}.{name}"
            if not request:
                out.findings.append(finding("feature", "field-added", here, "new field"))
            elif name in new_required:
                out.findings.append(finding("breaking", "property-added-required", here, "new required property"))
            else:
                out.findings.append(finding("feature", "property-added", here, "new optional property"))
        for name, old_prop in old_props.items():
            if name not in new_props:
                continue
            here = f"{where}.{name}"
            new_prop = new_props[name]
            was, now = name in old_required, name in new_required
            if was != now:
                if request and now:
                    out.findings.append(finding("breaking", "became-required", here, "optional → required"))
                elif request:
                    out.findings.append(finding("feature", "became-optional", here, "required → optional"))
                elif now:
                    out.findings.append(
                        finding("note", "became-required", here, "optional → required (always present)", "patch")
                    )
                else:
                    out.findings.append(
                        finding("breaking", "became-optional", here, "required → optional (may be absent)")
                    )
            self.deprecation(old_prop, new_prop, here, out.findings)
            self._compare(old_prop, new_prop, here, direction, out, depth + 1)
        if as_dict(old_extra) is not None and as_dict(new_extra) is not None:
            self._compare(old_extra, new_extra, where + "{}", direction, out, depth + 1)

    @staticmethod
    def deprecation(old: Any, new: Any, where: str, into: list[Finding]) -> None:
        was = (as_dict(old) or {}).get("deprecated") is True
        now = (as_dict(new) or {}).get("deprecated") is True
        if now and not was:
            into.append(finding("note", "deprecated", where, "deprecated"))
        elif was and not now:
            into.append(finding("note", "undeprecated", where, "no longer deprecated", "patch"))

    # -- unions ---------------------------------------------------------------------------

    def _variant_keys(self, variant: Any, old: bool, tag_key: str | None) -> _MemberKeys:
        """How one union member is recognised on the other side: same content, component, tag or kind."""
        norm = self._norm(variant, old)
        target = norm
        if norm.ref is not None:
            target = self._norm(self._component_schema(norm.ref, old), old)
        tag: str | None = None
        if target.variants is None and "object" in target.kinds:
            props, _, _ = self._flatten(target.schema, old)
            for key in (tag_key, *_TAG_KEYS) if tag_key else _TAG_KEYS:
                prop = props.get(key) if key else None
                if prop is None:
                    continue
                values = self._norm(prop, old).enum
                if values is not None and len(values) == 1:
                    tag = f"{key}={json.loads(next(iter(values)))}"
                    break
        if target.variants is not None:
            kind = "union"
        elif target.enum is not None:
            kind = f"{_kinds_text(target.kinds)} enum"
        else:
            kind = _kinds_text(target.kinds)
        free = target.variants is None and target.enum is None and not target.kinds & {"object", "array", "any"}
        return _MemberKeys(_signature(variant), norm.ref, tag, kind, free, target.kinds)

    def _compare_union(self, o: _Norm, n: _Norm, where: str, direction: Direction, out: _Result, depth: int) -> None:
        old_members = list(o.variants) if o.variants is not None else [o.schema]
        new_members = list(n.variants) if n.variants is not None else [n.schema]
        tag_key = _discriminator(n.schema) or _discriminator(o.schema)
        old_keys = [self._variant_keys(v, True, tag_key) for v in old_members]
        new_keys = [self._variant_keys(v, False, tag_key) for v in new_members]
        pairs: list[tuple[int, int]] = []
        free_old = list(range(len(old_members)))
        free_new = list(range(len(new_members)))
        # Pair members by identical content, then component name, then tag, then kind where it is unique.
        for part in range(4):
            for i in list(free_old):
                key = old_keys[i].key(part)
                if key is None:
                    continue
                matches = [j for j in free_new if new_keys[j].key(part) == key]
                if part == 3 and (len(matches) != 1 or sum(old_keys[k].kind == key for k in free_old) != 1):
                    continue
                if matches:
                    pairs.append((i, matches[0]))
                    free_old.remove(i)
                    free_new.remove(matches[0])
        request = direction == "request"
        for i in free_old:
            text = f"member {old_keys[i].name}"
            if request:
                out.findings.append(finding("breaking", "variant-removed", where, f"{text} no longer accepted"))
            else:
                out.findings.append(finding("note", "variant-removed", where, f"{text} no longer returned", "patch"))
        for j in free_new:
            text = f"member {new_keys[j].name}"
            if request:
                out.findings.append(finding("feature", "variant-added", where, f"{text} now accepted"))
            elif o.variants is None:
                out.findings.append(finding("breaking", "type-widened", where, f"type widened: may now be a {text}"))
            else:
                out.findings.append(
                    finding("note", "variant-added", where, f"new {text} (exhaustive matches need a new case)", "minor")
                )
        # `anyOf: [string, {enum: [...]}]` lists known values of a free string: a value that leaves the list
        # is still accepted, so its removal is not breaking.
        open_kinds: set[str] = set()
        for keys in new_keys:
            if keys.free:
                open_kinds |= keys.kinds
        single = (o.variants is None or n.variants is None) and len(pairs) == 1
        for i, j in sorted(pairs, key=lambda p: p[1]):
            here = where if single else f"{where}({new_keys[j].name})"
            if not request or not new_keys[j].kinds <= open_kinds or new_keys[j].free:
                self._compare(old_members[i], new_members[j], here, direction, out, depth + 1)
                continue
            inner = _Result()
            self._compare(old_members[i], new_members[j], here, direction, inner, depth + 1)
            for item in inner.findings:
                if item.code == "enum-value-removed" and item.where == here:
                    item = finding(
                        "note", item.code, item.where, item.message + " (still accepted as any string)", "patch"
                    )
                out.findings.append(item)
            out.edges.extend(inner.edges)


@dataclass(frozen=True)
class _MemberKeys:
    signature: str
    ref: str | None
    tag: str | None
    kind: str
    free: bool  # a plain scalar without an enum: accepts any value of its kinds
    kinds: frozenset[str]

    def key(self, part: int) -> str | None:
        return (self.signature, self.ref, self.tag, self.kind)[part]

    @property
    def name(self) -> str:
        return self.ref or self.tag or self.kind


_PROSE = frozenset({"description", "title", "summary", "example", "examples", "$comment", "externalDocs"})


def _signature(schema: Any) -> str:
    """The facts of an inline schema as text (prose left out): equal signatures, equal schemas."""
    return json.dumps(_facts(schema), sort_keys=True, ensure_ascii=False, default=str)


def _facts(node: Any) -> Any:
    mapping, items = as_dict(node), as_list(node)
    if mapping is not None:
        return {k: _facts(v) for k, v in mapping.items() if k not in _PROSE and not str(k).startswith("x-oai")}
    if items is not None:
        return [_facts(v) for v in items]
    return node


def _discriminator(schema: dict[str, Any]) -> str | None:
    name = (as_dict(schema.get("discriminator")) or {}).get("propertyName")
    return name if isinstance(name, str) else None


def _schemas(doc: dict[str, Any]) -> dict[str, Any]:
    return as_dict((as_dict(doc.get("components")) or {}).get("schemas")) or {}


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


class Expander:
    """Findings of one method in one direction: roots compared, component pairs expanded once each."""

    def __init__(self, comparer: SchemaComparer, direction: Direction) -> None:
        self.comparer = comparer
        self.direction: Direction = direction
        self._seen: set[tuple[str, str]] = set()

    def root(self, old: Any, new: Any, where: str) -> list[Finding]:
        return self._expand(self.comparer.compare(old, new, where, self.direction))

    def component(self, old: str, new: str, where: str) -> list[Finding]:
        return self._expand(_Result(edges=[(where, old, new)]))

    def _expand(self, start: _Result) -> list[Finding]:
        found = list(start.findings)
        queue = deque(start.edges)
        while queue:
            where, old, new = queue.popleft()
            if (old, new) in self._seen:
                continue
            self._seen.add((old, new))
            result = self.comparer.component(old, new, self.direction)
            found.extend(replace(f, where=where + f.where) for f in result.findings)
            queue.extend((where + w, o, n) for w, o, n in result.edges)
        return found
