#!/usr/bin/env python3
"""Audit spec/msgraph-sync.yaml against an official Microsoft Graph CSDL document.

Reads one CSDL file (v1.0 or beta) and the spec, walks the synchronization tree the metadata defines
(every `synchronization` containment navigation property and everything reachable from it: types,
properties, enums, bound actions and functions, capability and deprecation annotations), derives the
operations an OData-to-OpenAPI conversion would produce for it, and compares all of that with the spec.

Usage: python3 spec/audit/audit.py CSDL_PATH --version {v1.0,beta} [--spec PATH] [--type-mappings PREFIX] [--json]

Exit status: 0 when every difference is explained (or there is none), 1 otherwise, 2 on bad input.
See spec/audit/README.md for what counts as a difference and where the CSDL files come from.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

try:
    import yaml
except ImportError:  # pragma: no cover - reported to the user
    sys.exit("audit.py needs PyYAML (pip install pyyaml)")

EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
GRAPH = "microsoft.graph"
ROOT_TYPE = f"{GRAPH}.synchronization"

# Spec schemas that stand for protocol envelopes, not CSDL types: they are expected to be absent from the metadata.
PROTOCOL_SCHEMAS = {
    "odataError": "OData JSON error envelope",
    "mainError": "OData JSON error envelope",
    "errorDetails": "OData JSON error envelope",
    "innerError": "OData JSON error envelope (Graph inner error)",
    "pingResponse": "OData wrapper {value} of a function that returns a primitive (Ping)",
}
# A spec-only property is explained when its description cites the docs page that shows it.
DOCS_PAGE = re.compile(r"api-reference/(?:v1\.0|beta)/(?:api|resources)/[\w.-]+\.md")
# Spec schema kinds that have no CSDL type of their own.
NON_TYPE_KINDS = {"collection-response", "action-parameters", "scim"}

PRIMITIVES = {
    "Edm.String": ("string", None),
    "Edm.Boolean": ("boolean", None),
    "Edm.Int32": ("integer", "int32"),
    "Edm.Int64": ("integer", "int64"),
    "Edm.Int16": ("integer", "int16"),
    "Edm.Byte": ("integer", "uint8"),
    "Edm.Double": ("number", "double"),
    "Edm.Single": ("number", "float"),
    "Edm.Decimal": ("number", "decimal"),
    "Edm.DateTimeOffset": ("string", "date-time"),
    "Edm.Date": ("string", "date"),
    "Edm.TimeOfDay": ("string", "time"),
    "Edm.Duration": ("string", "duration"),
    "Edm.Guid": ("string", "uuid"),
    "Edm.Binary": ("string", "base64url"),
    "Edm.Stream": ("string", "binary"),
    "Edm.Untyped": ("object", "free-form"),
    f"{GRAPH}.Json": ("object", "free-form"),
}


class InputError(Exception):
    """A file the audit needs cannot be read or is not what it should be (exit status 2)."""


# ---------------------------------------------------------------------------------------------------------------
# CSDL model


@dataclass
class Prop:
    name: str
    type: str  # fully qualified element type (Collection() removed)
    collection: bool
    nullable: bool
    nav: bool = False
    contains: bool = False


@dataclass
class StructType:
    name: str  # fully qualified
    kind: str  # entity | complex
    base: str | None
    abstract: bool
    has_stream: bool
    open: bool
    props: list[Prop] = field(default_factory=list)


@dataclass
class EnumType:
    name: str
    flags: bool
    members: list[tuple[str, int]]


@dataclass
class Operation:
    name: str  # fully qualified
    kind: str  # action | function
    binding: str  # fully qualified binding type
    binding_collection: bool
    params: list[Prop]
    returns: Prop | None


@dataclass
class Csdl:
    structs: dict[str, StructType]
    enums: dict[str, EnumType]
    operations: list[Operation]
    annotations: dict[str, list[ET.Element]]  # target -> Annotation elements
    entity_sets: dict[str, str]  # set name -> entity type


def load_csdl(path: Path) -> Csdl:
    try:
        tree = ET.parse(path)
    except (OSError, ET.ParseError) as error:
        raise InputError(f"cannot read CSDL {path}: {error}") from None
    schemas = list(tree.getroot().iter(f"{EDM}Schema"))
    if not schemas:
        raise InputError(f"{path} has no <Schema> element; is it a CSDL (edmx) document?")
    aliases = {}
    for schema in schemas:
        if schema.get("Alias"):
            aliases[schema.get("Alias")] = schema.get("Namespace")

    def qualify(name: str, namespace: str) -> str:
        head, dot, tail = name.rpartition(".")
        if not dot:
            return f"{namespace}.{name}"
        return f"{aliases.get(head, head)}.{tail}"

    def element_type(raw: str, namespace: str) -> tuple[str, bool]:
        match = re.fullmatch(r"Collection\((.+)\)", raw)
        inner = match.group(1) if match else raw
        if inner.startswith("Edm."):
            return inner, bool(match)
        return qualify(inner, namespace), bool(match)

    def prop(element: ET.Element, namespace: str, nav: bool) -> Prop:
        type_name, collection = element_type(element.get("Type"), namespace)
        return Prop(
            name=element.get("Name"),
            type=type_name,
            collection=collection,
            nullable=element.get("Nullable", "true") != "false",
            nav=nav,
            contains=element.get("ContainsTarget") == "true",
        )

    structs: dict[str, StructType] = {}
    enums: dict[str, EnumType] = {}
    operations: list[Operation] = []
    annotations: dict[str, list[ET.Element]] = {}
    entity_sets: dict[str, str] = {}

    def inline_annotations(element: ET.Element, target: str) -> None:
        for annotation in element.findall(f"{EDM}Annotation"):
            annotations.setdefault(target, []).append(annotation)

    for schema in schemas:
        namespace = schema.get("Namespace")
        for kind, tag in (("entity", "EntityType"), ("complex", "ComplexType")):
            for element in schema.findall(f"{EDM}{tag}"):
                name = f"{namespace}.{element.get('Name')}"
                base = element.get("BaseType")
                struct = StructType(
                    name=name,
                    kind=kind,
                    base=qualify(base, namespace) if base else None,
                    abstract=element.get("Abstract") == "true",
                    has_stream=element.get("HasStream") == "true",
                    open=element.get("OpenType") == "true",
                )
                for child in element:
                    if child.tag == f"{EDM}Property":
                        struct.props.append(prop(child, namespace, nav=False))
                        inline_annotations(child, f"{name}/{child.get('Name')}")
                    elif child.tag == f"{EDM}NavigationProperty":
                        struct.props.append(prop(child, namespace, nav=True))
                        inline_annotations(child, f"{name}/{child.get('Name')}")
                inline_annotations(element, name)
                structs[name] = struct
        for element in schema.findall(f"{EDM}EnumType"):
            name = f"{namespace}.{element.get('Name')}"
            members = []
            for index, member in enumerate(element.findall(f"{EDM}Member")):
                members.append((member.get("Name"), int(member.get("Value", index))))
                inline_annotations(member, f"{name}/{member.get('Name')}")
            enums[name] = EnumType(name, element.get("IsFlags") == "true", members)
            inline_annotations(element, name)
        for kind, tag in (("action", "Action"), ("function", "Function")):
            for element in schema.findall(f"{EDM}{tag}"):
                if element.get("IsBound") != "true":
                    continue
                params = [prop(p, namespace, nav=False) for p in element.findall(f"{EDM}Parameter")]
                if not params:
                    continue
                returns = element.find(f"{EDM}ReturnType")
                ret = None
                if returns is not None:
                    type_name, collection = element_type(returns.get("Type"), namespace)
                    ret = Prop("return", type_name, collection, returns.get("Nullable", "true") != "false")
                operation = Operation(
                    name=f"{namespace}.{element.get('Name')}",
                    kind=kind,
                    binding=params[0].type,
                    binding_collection=params[0].collection,
                    params=params[1:],
                    returns=ret,
                )
                operations.append(operation)
                inline_annotations(element, signature(operation))
        for block in schema.findall(f"{EDM}Annotations"):
            target = block.get("Target")
            head, _, tail = target.partition("/")
            head = re.sub(r"^([^.(]+)\.", lambda m: aliases.get(m.group(1), m.group(1)) + ".", head)
            target = head + ("/" + tail if tail else "")
            for annotation in block.findall(f"{EDM}Annotation"):
                annotations.setdefault(target, []).append(annotation)
        for container in schema.findall(f"{EDM}EntityContainer"):
            for entity_set in container.findall(f"{EDM}EntitySet"):
                entity_sets[entity_set.get("Name")] = qualify(entity_set.get("EntityType"), namespace)
    return Csdl(structs, enums, operations, annotations, entity_sets)


def short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def record_values(annotation: ET.Element) -> dict[str, str]:
    """PropertyValue name -> value (attribute or EnumMember text) of an annotation's first Record."""
    values = {}
    record = annotation.find(f"{EDM}Record")
    if record is None:
        return values
    for value in record.findall(f"{EDM}PropertyValue"):
        text = None
        for attribute in ("Bool", "String", "Date", "Int"):
            if value.get(attribute) is not None:
                text = value.get(attribute)
        member = value.find(f"{EDM}EnumMember")
        if member is not None and member.text:
            text = member.text.strip().rsplit("/", 1)[-1]
        values[value.get("Property")] = text
    return values


def deprecations(csdl: Csdl, target: str) -> list[dict[str, str]]:
    found = []
    for annotation in csdl.annotations.get(target, []):
        if annotation.get("Term") != "Org.OData.Core.V1.Revisions":
            continue
        for record in annotation.iter(f"{EDM}Record"):
            wrapper = ET.Element("x")
            wrapper.append(record)
            values = record_values(wrapper)
            if values.get("Kind") == "Deprecated":
                found.append(values)
    return found


def restriction(csdl: Csdl, targets: list[str], term: str) -> dict[str, str]:
    for target in targets:
        for annotation in csdl.annotations.get(target, []):
            if annotation.get("Term") == f"Org.OData.Capabilities.V1.{term}":
                return record_values(annotation)
    return {}


# ---------------------------------------------------------------------------------------------------------------
# The synchronization tree of the metadata


def all_props(csdl: Csdl, struct: StructType) -> list[Prop]:
    chain = []
    current: StructType | None = struct
    while current is not None:
        chain.append(current)
        current = csdl.structs.get(current.base) if current.base else None
    props = []
    for item in reversed(chain):
        props.extend(item.props)
    return props


def is_a(csdl: Csdl, type_name: str, ancestor: str) -> bool:
    current = csdl.structs.get(type_name)
    while current is not None:
        if current.name == ancestor:
            return True
        current = csdl.structs.get(current.base) if current.base else None
    return False


def bound_to(csdl: Csdl, type_name: str, collection: bool) -> list[Operation]:
    return sorted(
        (
            op
            for op in csdl.operations
            if op.binding_collection == collection and is_a(csdl, type_name, op.binding)
        ),
        key=lambda op: (short(op.name), op.kind),
    )


def tree_types(csdl: Csdl) -> tuple[set[str], set[str]]:
    """Struct and enum types reachable from the synchronization entity (properties, navigation properties,
    base types, parameters and return types of operations bound to tree entities)."""
    structs: set[str] = set()
    enums: set[str] = set()
    pending = [ROOT_TYPE]
    while pending:
        name = pending.pop()
        if name in csdl.enums:
            enums.add(name)
            continue
        struct = csdl.structs.get(name)
        if struct is None or name in structs:
            continue
        structs.add(name)
        if struct.base:
            pending.append(struct.base)
        for item in all_props(csdl, struct):
            pending.append(item.type)
        if struct.kind == "entity":
            for collection in (False, True):
                for op in bound_to(csdl, name, collection):
                    pending.extend(p.type for p in op.params)
                    if op.returns:
                        pending.append(op.returns.type)
    return structs, enums


@dataclass(frozen=True)
class DerivedOp:
    method: str
    path: str
    kind: str  # operation | action | function | complex-property | stream
    source: str = ""  # annotation target of the bound action or function, e.g. `microsoft.graph.start(...)`
    type: str = ""  # the entity type a CRUD operation reads or writes
    collection: bool = False  # a CRUD operation on a collection (list, create)


def derive_operations(csdl: Csdl) -> tuple[list[DerivedOp], list[str]]:
    """Operations derived from the metadata under every entity set whose type has a `synchronization`
    containment navigation property (and its alternate parents, reported by name)."""
    parents = []
    for set_name, type_name in sorted(csdl.entity_sets.items()):
        struct = csdl.structs.get(type_name)
        if struct is None:
            continue
        for item in all_props(csdl, struct):
            if item.nav and item.type == ROOT_TYPE and not item.collection:
                parents.append((set_name, struct, item))
    ops: list[DerivedOp] = []

    def update_method(targets: list[str]) -> str | None:
        values = restriction(csdl, targets, "UpdateRestrictions")
        if values.get("Updatable") == "false":
            return None
        return "PUT" if values.get("UpdateMethod") == "PUT" else "PATCH"

    def entity(path: str, type_name: str, nav_target: str | None, single_nav: bool) -> None:
        struct = csdl.structs[type_name]
        targets = ([nav_target] if nav_target else []) + [type_name]
        if restriction(csdl, targets, "ReadRestrictions").get("Readable") != "false":
            ops.append(DerivedOp("GET", path, "operation", type=type_name))
        method = update_method(targets)
        if method:
            ops.append(DerivedOp(method, path, "operation", type=type_name))
        if restriction(csdl, targets, "DeleteRestrictions").get("Deletable") != "false":
            ops.append(DerivedOp("DELETE", path, "operation", type=type_name))
        if struct.has_stream:
            ops.append(DerivedOp("GET", path + "/$value", "stream"))
            ops.append(DerivedOp("PUT", path + "/$value", "stream"))
        for item in all_props(csdl, struct):
            child = f"{path}/{item.name}"
            prop_target = f"{type_name}/{item.name}"
            if item.nav:
                if not item.contains:
                    continue
                if item.collection:
                    collection(child, item.type, f"{type_name}/{item.name}")
                else:
                    entity(child, item.type, f"{type_name}/{item.name}", True)
            elif item.type in csdl.structs:
                ops.append(DerivedOp("GET", child, "complex-property"))
                method = update_method([prop_target])
                if method:
                    ops.append(DerivedOp(method, child, "complex-property"))
        for op in bound_to(csdl, type_name, False):
            ops.append(operation_of(op, path))

    def collection(path: str, type_name: str, nav_target: str) -> None:
        ops.append(DerivedOp("GET", path, "operation", type=type_name, collection=True))
        if restriction(csdl, [nav_target], "InsertRestrictions").get("Insertable") != "false":
            ops.append(DerivedOp("POST", path, "operation", type=type_name, collection=True))
        for op in bound_to(csdl, type_name, True):
            ops.append(operation_of(op, path))
        entity(f"{path}/{{{short(type_name)}-id}}", type_name, None, False)

    def operation_of(op: Operation, path: str) -> DerivedOp:
        source = signature(op)
        if op.kind == "action":
            return DerivedOp("POST", f"{path}/{short(op.name)}", "action", source)
        # Compared without `()`: the spec writes parameterless functions either way (see normalise_path).
        return DerivedOp("GET", f"{path}/{short(op.name)}", "function", source)

    roots = []
    for set_name, struct, item in parents:
        root = f"/{set_name}/{{{short(struct.name)}-id}}/{item.name}"
        roots.append(root)
        entity(root, ROOT_TYPE, f"{struct.name}/{item.name}", True)
    return ops, roots


# ---------------------------------------------------------------------------------------------------------------
# The spec


def normalise_path(path: str) -> tuple[str, bool]:
    """Spec path -> (comparable path, alternate key used). Alternate keys map to the canonical key segment;
    `microsoft.graph.` prefixes and `()` of parameterless functions are dropped."""
    alternate = False

    def key(match: re.Match[str]) -> str:
        nonlocal alternate
        alternate = True
        return f"/{match.group(1)}/{{{match.group(1)[:-1]}-id}}"

    path = re.sub(r"/(\w+)\([A-Za-z]+='\{[^}]+\}'\)", key, path)
    segments = []
    for segment in path.split("/"):
        segment = segment.removeprefix(f"{GRAPH}.")
        segment = segment.removesuffix("()")
        segments.append(segment)
    return "/".join(segments), alternate


def spec_operations(spec: dict, version: str) -> list[tuple[str, str, str, bool, dict]]:
    found = []
    for path, item in (spec.get("paths") or {}).items():
        for method, op in item.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            versions = op.get("x-graph-versions")
            if versions is not None and version not in versions:
                continue
            comparable, alternate = normalise_path(path)
            found.append((method.upper(), path, comparable, alternate, op))
    return found


def spec_descriptor(schema: dict) -> tuple:
    """A spec property schema -> (kind, detail, nullable); kind is primitive/ref/array/free-form."""
    nullable = bool(schema.get("nullable"))
    if "$ref" in schema:
        return ("ref", schema["$ref"].rsplit("/", 1)[-1], nullable)
    if "allOf" in schema and len(schema["allOf"]) == 1 and "$ref" in schema["allOf"][0]:
        return ("ref", schema["allOf"][0]["$ref"].rsplit("/", 1)[-1], nullable)
    if schema.get("type") == "array":
        inner = spec_descriptor(schema.get("items") or {})
        return ("array", inner[:2], nullable)
    if schema.get("type") == "object":
        return ("free-form", None, nullable)
    return ("primitive", (schema.get("type"), schema.get("format")), nullable)


def csdl_descriptor(item: Prop) -> tuple:
    if item.type in PRIMITIVES:
        kind, fmt = PRIMITIVES[item.type]
        inner = ("free-form", None) if fmt == "free-form" else ("primitive", (kind, fmt))
    else:
        inner = ("ref", short(item.type))
    if item.collection:
        return ("array", inner, item.nullable)
    return (inner[0], inner[1], item.nullable)


# ---------------------------------------------------------------------------------------------------------------
# The comparison


@dataclass
class Report:
    version: str
    counts: dict = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)
    explained: list[str] = field(default_factory=list)
    info: list[str] = field(default_factory=list)


def compare(csdl: Csdl, spec: dict, version: str, mappings: str | None) -> Report:
    report = Report(version)
    schemas = (spec.get("components") or {}).get("schemas") or {}
    structs, enums = tree_types(csdl)
    # `entity` is the abstract base; its `id` is counted on every entity type instead.
    structs = {s for s in structs if not (csdl.structs[s].abstract and short(s) == "entity")}

    spec_types = {
        name
        for name, schema in schemas.items()
        if schema.get("type") == "object" and schema.get("x-graph-csdl") not in NON_TYPE_KINDS
    }
    spec_enums = {name for name, schema in schemas.items() if "enum" in schema}
    meta_types = {short(s) for s in structs}
    meta_enums = {short(e) for e in enums}

    for name in sorted(meta_types - spec_types):
        report.differences.append(f"type {name}: in the metadata, missing from the spec")
    for name in sorted(spec_types - meta_types):
        if name in PROTOCOL_SCHEMAS:
            report.explained.append(f"type {name}: spec only ({PROTOCOL_SCHEMAS[name]})")
        else:
            report.differences.append(f"type {name}: in the spec, not in the metadata tree")
    for name in sorted(meta_enums - spec_enums):
        report.differences.append(f"enum {name}: in the metadata, missing from the spec")
    for name in sorted(spec_enums - meta_enums):
        report.differences.append(f"enum {name}: in the spec, not in the metadata tree")

    # Properties
    meta_props = spec_props = same_props = 0
    for struct_name in sorted(structs):
        struct = csdl.structs[struct_name]
        name = short(struct_name)
        props = {p.name: p for p in all_props(csdl, struct)}
        meta_props += len(props)
        schema = schemas.get(name)
        if schema is None:
            continue
        declared = schema.get("properties") or {}
        spec_props += len(declared)
        if struct.open and schema.get("additionalProperties") is not True:
            report.differences.append(f"type {name}: open type in the metadata; the spec should allow additionalProperties")
        for prop_name in sorted(set(props) - set(declared)):
            report.differences.append(f"property {name}.{prop_name}: in the metadata, missing from the spec")
        for prop_name in sorted(set(declared) - set(props)):
            text = (declared[prop_name] or {}).get("description", "")
            cited = DOCS_PAGE.search(text)
            if cited:
                report.explained.append(f"property {name}.{prop_name}: spec only, shown by {cited.group(0)}")
            else:
                report.differences.append(f"property {name}.{prop_name}: in the spec, not in the metadata")
        for prop_name in sorted(set(props) & set(declared)):
            expected = csdl_descriptor(props[prop_name])
            actual = spec_descriptor(declared[prop_name] or {})
            if expected != actual:
                report.differences.append(
                    f"property {name}.{prop_name}: metadata {expected}, spec {actual}"
                )
            else:
                same_props += 1
    report.counts["properties"] = {"metadata": meta_props, "spec": spec_props, "identical": same_props}

    # Enums
    same_enums = 0
    for enum_name in sorted(enums):
        enum = csdl.enums[enum_name]
        name = short(enum_name)
        schema = schemas.get(name)
        if schema is None:
            continue
        members = list(schema.get("enum") or [])
        alternates = (schema.get("x-graph-enum-names") or {}).get(version)
        if alternates:
            members = list(alternates)
        values = list(schema.get("x-graph-enum-values") or [])
        flags = bool((schema.get("x-ms-enum-flags") or {}).get("isFlags"))
        problems = []
        if [m for m, _ in enum.members] != members:
            missing = [m for m, _ in enum.members if m not in members]
            extra = [m for m in members if m not in [n for n, _ in enum.members]]
            problems.append(f"members differ (missing {missing}, extra {extra}, or order)")
        if [v for _, v in enum.members] != values:
            problems.append("values differ")
        if enum.flags != flags:
            problems.append(f"flags: metadata {enum.flags}, spec {flags}")
        if problems:
            report.differences.append(f"enum {name}: " + "; ".join(problems))
        else:
            same_enums += 1
    report.counts["types"] = {
        "metadata": len(meta_types),
        "spec": len(spec_types - set(PROTOCOL_SCHEMAS)),
        "spec_protocol_envelopes": len(spec_types & set(PROTOCOL_SCHEMAS)),
        "in_both": len(meta_types & spec_types),
    }
    report.counts["enums"] = {
        "metadata": len(meta_enums),
        "spec": len(spec_enums),
        "identical": same_enums,
        "members_metadata": sum(len(csdl.enums[e].members) for e in enums),
    }

    # Operations
    derived, roots = derive_operations(csdl)
    report.info.append("parents of the synchronization tree: " + ", ".join(roots))
    in_spec = spec_operations(spec, version)
    spec_keys = {(m, p) for m, _, p, alt, _ in in_spec if not alt}
    alt_keys = {(m, p) for m, _, p, alt, _ in in_spec if alt}
    omitted = {}
    for entry in spec.get("x-graph-omitted") or []:
        versions = entry.get("versions")
        if versions is not None and version not in versions:
            continue
        comparable, _ = normalise_path(entry.get("path", ""))
        omitted[(str(entry.get("method", "")).upper(), comparable)] = entry.get("reason", "")
    counted = [d for d in derived if d.kind in {"operation", "action", "function"}]
    excluded = [d for d in derived if d.kind not in {"operation", "action", "function"}]
    derived_keys = {(d.method, d.path) for d in derived}
    matched = unexplained = explained = 0
    for op in counted:
        key = (op.method, op.path)
        if key in spec_keys:
            matched += 1
        elif key in omitted:
            explained += 1
            report.explained.append(f"{op.method} {op.path}: omitted: {omitted[key]}")
        else:
            unexplained += 1
            report.differences.append(f"{op.method} {op.path}: derived from the metadata, not in the spec, no x-graph-omitted reason")
    for op in excluded:
        key = (op.method, op.path)
        state = "in the spec" if key in spec_keys else "not in the spec"
        report.info.append(f"{op.method} {op.path}: {op.kind} path (outside the audit's scope), {state}")
    spec_only = sorted(k for k in spec_keys if k not in derived_keys)
    for method, path in spec_only:
        report.info.append(f"{method} {path}: in the spec, not derived from the metadata")
    for method, path in sorted(alt_keys):
        state = "alternate key of a derived operation" if (method, path) in derived_keys else "alternate key, NOT derived"
        report.info.append(f"{method} {path}: {state}")
        if (method, path) not in derived_keys:
            report.differences.append(f"{method} {path} (alternate key): not derived from the metadata")
    for key, reason in sorted(omitted.items()):
        if key in spec_keys:
            report.differences.append(f"{key[0]} {key[1]}: listed in x-graph-omitted but present in the spec")
        elif key not in {(d.method, d.path) for d in counted}:
            report.differences.append(f"{key[0]} {key[1]}: listed in x-graph-omitted but not derived from this metadata")
    report.counts["operations"] = {
        "metadata": len(counted),
        "spec": len(spec_keys),
        "spec_alternate_key": len(alt_keys),
        "in_both": matched,
        "omitted_with_reason": explained,
        "missing_without_reason": unexplained,
        "spec_only": len(spec_only),
        "out_of_scope_metadata": len(excluded),
    }

    # Shapes of the operations both sides have: bodies and results against the metadata's types
    by_source = {signature(op): op for op in csdl.operations}
    checked = same = 0
    for derived_op in counted:
        for method, path, comparable, _, spec_op in in_spec:
            if (method, comparable) != (derived_op.method, derived_op.path):
                continue
            checked += 1
            problems = operation_shape(derived_op, by_source.get(derived_op.source), spec_op, schemas)
            for problem in problems:
                report.differences.append(f"{method} {path}: {problem}")
            same += not problems
    report.counts["operation_shapes"] = {"checked": checked, "identical": same}

    # Deprecations
    deprecated_types = 0
    for type_name in sorted(structs | enums):
        for revision in deprecations(csdl, type_name):
            deprecated_types += 1
            check_deprecation(report, f"schema {short(type_name)}", schemas.get(short(type_name)) or {}, revision, version)
        struct = csdl.structs.get(type_name)
        for item in struct.props if struct else []:
            for revision in deprecations(csdl, f"{type_name}/{item.name}"):
                report.info.append(
                    f"property {short(type_name)}.{item.name}: deprecated in {version} since {revision.get('Date')}, "
                    f"removal {revision.get('RemovalDate')} (no property-level extension; say it in the description)"
                )
    for name, schema in schemas.items():
        marker = schema.get("x-graph-deprecated")
        if marker and version in (marker.get("versions") or []):
            if not any(short(t) == name and deprecations(csdl, t) for t in structs | enums):
                report.differences.append(f"schema {name}: x-graph-deprecated for {version}, but the metadata has no deprecation")
    for op in derived:
        if not op.source:
            continue
        bare = op.source.split("(", 1)[0]
        revisions = deprecations(csdl, op.source) + deprecations(csdl, bare)
        matching = [(m, p, o) for m, p, c, _, o in in_spec if (m, c) == (op.method, op.path)]
        for revision in revisions:
            for method, path, spec_op in matching:
                check_deprecation(report, f"{method} {path}", spec_op, revision, version)
        if not revisions:
            for method, path, spec_op in matching:
                marker = spec_op.get("x-graph-deprecated")
                if marker and version in (marker.get("versions") or []):
                    report.differences.append(f"{method} {path}: x-graph-deprecated for {version}, but the metadata has no deprecation")
    report.counts["deprecated_types"] = deprecated_types

    if mappings:
        check_type_mappings(report, mappings, structs, enums, csdl)
    return report


def body_schema(node: dict) -> str | None:
    """Name of the `$ref` schema of a request body or response's (only) media type; None without content."""
    for media in ((node or {}).get("content") or {}).values():
        ref = (media.get("schema") or {}).get("$ref", "")
        return ref.rsplit("/", 1)[-1] or "(inline)"
    return None


def success_schemas(spec_op: dict) -> list[str | None]:
    return [body_schema(r) for code, r in (spec_op.get("responses") or {}).items() if str(code).startswith("2")]


def operation_shape(derived: DerivedOp, op: Operation | None, spec_op: dict, schemas: dict) -> list[str]:
    """How the spec's request body and success responses differ from what the metadata says."""
    problems = []
    request = body_schema(spec_op.get("requestBody"))
    results = [r for r in success_schemas(spec_op) if r is not None]

    def page_of(name: str | None) -> str | None:
        schema = schemas.get(name or "") or {}
        if schema.get("x-graph-csdl") != "collection-response":
            return None
        return (((schema.get("properties") or {}).get("value") or {}).get("items") or {}).get("$ref", "").rsplit("/", 1)[-1]

    if derived.kind == "operation":
        name = short(derived.type)
        if derived.method == "GET":
            wanted = [page_of(r) for r in results] if derived.collection else results
            if not wanted or any(w != name for w in wanted):
                problems.append(f"response {results}, metadata {'a page of ' if derived.collection else ''}{name}")
        elif derived.method in {"POST", "PUT", "PATCH"} and request != name:
            problems.append(f"request body {request}, metadata {name}")
        return problems
    if op is None:
        return problems
    if op.params:
        props = ((schemas.get(request or "") or {}).get("properties")) or {}
        expected = {p.name: csdl_descriptor(p) for p in op.params}
        actual = {k: spec_descriptor(v or {}) for k, v in props.items()}
        if request is None:
            problems.append(f"no request body; metadata parameters {sorted(expected)}")
        elif {k: v[:2] for k, v in expected.items()} != {k: v[:2] for k, v in actual.items()}:
            problems.append(f"request body {request} {actual}, metadata parameters {expected}")
    elif request is not None and op.kind == "action":
        problems.append(f"request body {request}, metadata action takes no parameter")
    if op.returns is None:
        if results:
            problems.append(f"response {results}, metadata returns nothing")
    else:
        ret = op.returns
        for result in results or [None]:
            if ret.type in PRIMITIVES:
                value = ((schemas.get(result or "") or {}).get("properties") or {}).get("value") or {}
                shape = spec_descriptor(value)[:2]
                expected = csdl_descriptor(Prop("value", ret.type, ret.collection, True))[:2]
                if shape != expected:
                    problems.append(f"response {result}, metadata {{value: {ret.type}}}")
            elif ret.collection:
                if page_of(result) != short(ret.type):
                    problems.append(f"response {result}, metadata a collection of {short(ret.type)}")
            elif result != short(ret.type):
                problems.append(f"response {result}, metadata {short(ret.type)}")
    return problems


def signature(op: Operation) -> str:
    """The annotation target of a bound operation: its name and parameter types, binding parameter first."""
    types = [f"Collection({op.binding})" if op.binding_collection else op.binding]
    types += [f"Collection({p.type})" if p.collection else p.type for p in op.params]
    return f"{op.name}({', '.join(types)})"


def check_deprecation(report: Report, what: str, node: dict, revision: dict, version: str) -> None:
    marker = node.get("x-graph-deprecated")
    expected = f"date {revision.get('Date')}, removal {revision.get('RemovalDate')}"
    if not marker or version not in (marker.get("versions") or []):
        report.differences.append(f"{what}: deprecated in {version} metadata ({expected}); the spec has no x-graph-deprecated for it")
        return
    if str(marker.get("date")) != str(revision.get("Date")) or str(marker.get("removalDate")) != str(revision.get("RemovalDate")):
        report.differences.append(
            f"{what}: x-graph-deprecated says date {marker.get('date')}, removal {marker.get('removalDate')}; metadata {expected}"
        )
    else:
        report.explained.append(f"{what}: deprecated in {version} ({expected}), recorded")


def check_type_mappings(report: Report, prefix: str, structs: set[str], enums: set[str], csdl: Csdl) -> None:
    """Names-only cross-check against msgraph-metadata's schemas/type-mappings/<version>-*.json."""
    tables = {}
    for kind in ("entity", "complex", "enum"):
        path = Path(f"{prefix}-{kind}-types.json")
        try:
            tables[kind] = json.loads(path.read_text()).get(GRAPH, {})
        except (OSError, ValueError) as error:
            raise InputError(f"cannot read type mapping {path}: {error}") from None
    mismatches = 0
    for type_name in sorted(structs):
        struct = csdl.structs[type_name]
        entry = tables[struct.kind].get(short(type_name))
        if entry is None:
            report.differences.append(f"type-mappings: {short(type_name)} absent")
            mismatches += 1
            continue
        own = sorted(p.name for p in struct.props if not p.nav)
        navs = sorted(p.name for p in struct.props if p.nav)
        if sorted(entry.get("properties", [])) != own or sorted(entry.get("navigationProperties", [])) != navs:
            report.differences.append(f"type-mappings: {short(type_name)} property names differ from this CSDL")
            mismatches += 1
    for enum_name in sorted(enums):
        names = tables["enum"].get(short(enum_name))
        if names is None or sorted(names) != sorted(m for m, _ in csdl.enums[enum_name].members):
            report.differences.append(f"type-mappings: enum {short(enum_name)} member names differ from this CSDL")
            mismatches += 1
    report.counts["type_mappings_mismatches"] = mismatches


def print_report(report: Report) -> None:
    print(f"# synchronization audit, {report.version}")
    for key, value in report.counts.items():
        print(f"{key}: {json.dumps(value)}")
    for title, lines in (("differences", report.differences), ("explained", report.explained), ("info", report.info)):
        print(f"\n## {title} ({len(lines)})")
        for line in lines:
            print(f"- {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csdl", type=Path, help="path of a downloaded CSDL file (v1.0 or beta)")
    parser.add_argument("--version", required=True, choices=["v1.0", "beta"], help="API version of that CSDL")
    default_spec = Path(__file__).resolve().parent.parent / "msgraph-sync.yaml"
    parser.add_argument("--spec", type=Path, default=default_spec, help="spec to audit (default: %(default)s)")
    parser.add_argument("--type-mappings", metavar="PREFIX", help="also compare names with PREFIX-{entity,complex,enum}-types.json")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        spec = yaml.safe_load(args.spec.read_text())
    except (OSError, yaml.YAMLError) as error:
        print(f"error: cannot read spec {args.spec}: {error}", file=sys.stderr)
        return 2
    try:
        csdl = load_csdl(args.csdl)
        if ROOT_TYPE not in csdl.structs:
            raise InputError(f"{args.csdl} defines no {ROOT_TYPE} entity type")
        report = compare(csdl, spec, args.version, args.type_mappings)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.__dict__, indent=2))
    else:
        print_report(report)
    return 1 if report.differences else 0


if __name__ == "__main__":
    sys.exit(main())
