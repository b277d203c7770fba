#!/usr/bin/env python3
"""Converts CustomResourceDefinitions into the JSON schemas kubeconform reads, in strict form.

    crd2schema.py OUT_DIR CRD.yaml...

For each served version of each CRD it writes OUT_DIR/<group>/<kind lower-case>_<version>.json, the layout of
kubeconform's -schema-location '{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'. Strict means what the
API server does with unknown fields: every object schema that lists properties and neither allows additional
properties nor preserves unknown fields gets additionalProperties: false, so a misspelt field is an error.
Kubernetes' OpenAPI extensions become plain JSON schema (int-or-string -> string or integer)."""
import json
import os
import sys

import yaml


def strict(node):
    if isinstance(node, list):
        return [strict(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: strict(v) for k, v in node.items()}
    if out.pop("x-kubernetes-int-or-string", False):
        out.pop("type", None)
        out["oneOf"] = [{"type": "string"}, {"type": "integer"}]
    preserve = out.get("x-kubernetes-preserve-unknown-fields", False)
    if "properties" in out and "additionalProperties" not in out and not preserve:
        out["additionalProperties"] = False
    return out


def main(out_dir, files):
    written = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            for doc in yaml.safe_load_all(f):
                if not doc or doc.get("kind") != "CustomResourceDefinition":
                    continue
                spec = doc["spec"]
                kind = spec["names"]["kind"].lower()
                for version in spec["versions"]:
                    if not version.get("served", True):
                        continue
                    schema = version.get("schema", {}).get("openAPIV3Schema")
                    if schema is None:
                        sys.exit(f"{path}: {spec['group']}/{version['name']} {kind} has no openAPIV3Schema")
                    schema = strict(schema)
                    # The API server knows these fields on every object; CRDs often omit their schema.
                    props = schema.setdefault("properties", {})
                    props.setdefault("apiVersion", {"type": "string"})
                    props.setdefault("kind", {"type": "string"})
                    props.setdefault("metadata", {"type": "object"})
                    target = os.path.join(out_dir, spec["group"], f"{kind}_{version['name']}.json")
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    with open(target, "w", encoding="utf-8") as out:
                        json.dump(schema, out, indent=1, sort_keys=True)
                    written += 1
                    print(f"crd2schema: {target}")
    if not written:
        sys.exit("crd2schema: no CustomResourceDefinition found")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
