#!/usr/bin/env python3
"""Makes kubeconform-readable schemas from the Kubernetes JSON schemas that the kubernetes-validate package ships.

    k8s-schemas.py SRC_DIR OUT_DIR

kubernetes-validate keeps one shared _definitions.json that each kind's schema refers to by an id under its own
web address, which kubeconform would try to fetch. Each kind's schema is written standalone instead: the
definitions it reaches (transitively) are copied into its own $defs and the references made local. The schemas
are the package's "-local-strict" variant: additionalProperties false, so unknown fields are errors."""
import json
import os
import re
import sys

PREFIX = "/api/_definitions.json#/$defs/"


def main(src, out):
    with open(os.path.join(src, "_definitions.json"), encoding="utf-8") as f:
        defs = json.load(f)["$defs"]
    os.makedirs(out, exist_ok=True)
    ref_re = re.compile(r'"\$ref": "' + re.escape(PREFIX) + r'([^"]+)"')
    # Inside the definitions file references are either local (#/$defs/X) or by the file's id.
    local_re = re.compile(r'"\$ref": "#/\$defs/([^"]+)"')
    def_refs = {}
    for name, body in defs.items():
        text = json.dumps(body)
        def_refs[name] = set(ref_re.findall(text)) | set(local_re.findall(text))
    written = 0
    for name in sorted(os.listdir(src)):
        if not name.endswith(".json") or name in ("_definitions.json", "all.json"):
            continue
        with open(os.path.join(src, name), encoding="utf-8") as f:
            text = f.read()
        needed, todo = set(), set(ref_re.findall(text))
        while todo:
            d = todo.pop()
            if d not in needed:
                needed.add(d)
                todo |= def_refs.get(d, set()) - needed
        schema = json.loads(text.replace(PREFIX, "#/$defs/"))
        schema.pop("$id", None)
        if needed:
            schema["$defs"] = json.loads(json.dumps({d: defs[d] for d in sorted(needed)}).replace(PREFIX, "#/$defs/"))
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(schema, f, separators=(",", ":"))
        written += 1
    print(f"k8s-schemas: {written} standalone schemas in {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
