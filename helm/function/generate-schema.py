#!/usr/bin/env python3
"""Writes helm/function/values.schema.json from the CRDs in helm/surge/crds (copied from operator/api's build).

The chart's schema holds the CRDs' spec schemas field by field: the Function's without `path` (local mode's) and
with `name` (its metadata.name); a Trigger's without its target (`function`, `uri`: always this Function) and with
`name`. Unlike the CRDs it refuses unknown keys (the API server would prune them silently). FunctionChartTest
compares the result with the generated CRDs, so run this after copying new CRDs:

    python3 helm/function/generate-schema.py      (needs PyYAML: apt-get install python3-yaml)
"""
import copy
import json
import pathlib

import yaml

HELM = pathlib.Path(__file__).resolve().parent.parent


class Loader(yaml.SafeLoader):
    pass


# YAML 1.1's float rule (PyYAML's) wants a sign in the exponent: the generator writes 2.147483647E9
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    __import__("re").compile(r"^[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."))


def root(plural):
    crd = yaml.load((HELM / "surge" / "crds" / f"{plural}.surge.dev-v1.yml").read_text(), Loader=Loader)
    return crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]


def spec(plural):
    return copy.deepcopy(root(plural)["spec"])


def name(plural, description, empty):
    """The CRD's rule for metadata.name; empty: also "" (the chart's default then, the release name)."""
    rule = copy.deepcopy(root(plural)["metadata"]["properties"]["name"])
    if empty:
        rule["pattern"] = "^$|" + rule["pattern"]
    rule["description"] = description
    return rule


def strict(node):
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node \
                and not node.get("x-kubernetes-preserve-unknown-fields"):
            node["additionalProperties"] = False
        for key, value in node.items():
            if key == "properties":
                for field in value.values():
                    strict(field)
            elif isinstance(value, (dict, list)):
                strict(value)
    elif isinstance(node, list):
        for item in node:
            strict(item)
    return node


function = spec("functions")
del function["properties"]["path"]
function.pop("x-kubernetes-validations", None)  # image or path: image is required here instead
function["properties"] = dict({"name": name("functions", "The Function's name; empty: the release name", True)},
                              **function["properties"])
function["required"] = ["image"]
function["description"] = "The Function's name and spec (the CRD's, without path)"

trigger = spec("triggers")
del trigger["properties"]["function"]
del trigger["properties"]["uri"]
trigger.pop("x-kubernetes-validations", None)  # function or uri: always this Function here
trigger["properties"] = dict({"name": name("triggers", "The Trigger's name", False)}, **trigger["properties"])
trigger["required"] = ["name"] + trigger.get("required", [])
trigger["description"] = "A Trigger's name and spec (the CRD's, without function and uri: its target is this Function)"

schema = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Values of the function chart",
    "type": "object",
    "additionalProperties": False,
    "required": ["function", "triggers"],
    "properties": {
        # Shared with the surge chart; imageRegistry replaces the registry and path of function.image.
        "global": {"type": "object", "properties": {"imageRegistry": {
            "type": "string",
            "pattern": "^$|^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$",
            "description": "a registry host[:port] and an optional path, e.g. registry.example.com/acme: no scheme, "
                           "no trailing /; the Function's image is then <imageRegistry>/<name:tag of function.image>"}}},
        "function": strict(function),
        "triggers": {"type": "array", "items": strict(trigger), "description": "Triggers to this Function"},
    },
}
(HELM / "function" / "values.schema.json").write_text(json.dumps(schema, indent=2) + "\n")
