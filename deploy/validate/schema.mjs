// Proof 2: every rendered object validates against the Kubernetes API schema (kubernetes-models, JSON schema via
// ajv), CRD objects too (@kubernetes-models/cert-manager), and has no unknown field: the same objects are written
// as typed object literals into a TypeScript file and type-checked, where excess-property checks reject any field
// the API does not define (the JSON schemas of kubernetes-models allow additional properties).
//   node schema.mjs rendered-1.yaml [rendered-2.yaml ...]      exit 1 on any finding
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { loadDocs, id } from "./lib.mjs";

const here = dirname(fileURLToPath(import.meta.url));

// apiVersion -> module prefix. Core group "v1" lives at kubernetes-models/v1.
function moduleFor(apiVersion, kind) {
  if (apiVersion.endsWith("cert-manager.io/v1")) return `@kubernetes-models/cert-manager/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const files = process.argv.slice(2);
if (!files.length) {
  console.error("usage: node schema.mjs FILE...");
  process.exit(2);
}

// API groups whose schema kubernetes-models does not ship: CloudNativePG's Cluster (prod). Checked by kubeconform
// with the operator's CRD schemas instead.
const SCHEMA_ELSEWHERE = ["postgresql.cnpg.io"];
let skipped = 0;
let failures = 0;
let checked = 0;
const typed = [];
for (const file of files) {
  const docs = loadDocs(file);
  for (const [i, o] of docs.entries()) {
    const where = `${file}#${i} ${id(o)}`;
    if (!o.apiVersion || !o.kind) {
      console.error(`FAIL ${where}: no apiVersion/kind`);
      failures++;
      continue;
    }
    if (SCHEMA_ELSEWHERE.some((g) => o.apiVersion.startsWith(`${g}/`))) {
      console.log(`skip ${where}: custom resource, validated against its CRD schema by kubeconform (ci/)`);
      skipped++;
      continue;
    }
    const mod = moduleFor(o.apiVersion, o.kind);
    let Model;
    try {
      Model = (await import(mod))[o.kind];
    } catch {
      Model = undefined;
    }
    if (typeof Model !== "function") {
      console.error(`FAIL ${where}: no schema for ${o.apiVersion} ${o.kind} (unknown kind or API version)`);
      failures++;
      continue;
    }
    try {
      new Model(o).validate();
    } catch (e) {
      console.error(`FAIL ${where}: schema: ${e.message}`);
      failures++;
    }
    checked++;
    typed.push({ where, mod, kind: o.kind, o });
  }
}

// Type-check: one typed const per object.
const dir = mkdtempSync(join(tmpdir(), "k8s-typecheck-"));
try {
  const lines = [];
  typed.forEach((t, n) => {
    lines.push(`import type { I${t.kind} as T${n} } from ${JSON.stringify(t.mod)};`);
  });
  typed.forEach((t, n) => {
    lines.push(`// ${t.where}`);
    lines.push(`export const o${n}: T${n} = ${JSON.stringify(t.o, null, 2)};`);
  });
  const src = join(dir, "objects.ts");
  writeFileSync(src, lines.join("\n") + "\n");
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        skipLibCheck: true,
        typeRoots: [],
        types: [],
        baseUrl: here,
        paths: { "*": [join(here, "node_modules", "*")] },
      },
      files: [src],
    }),
  );
  // Resolve the packages from this project's node_modules.
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  rmSync(join(dir, "node_modules"), { force: true });
  spawnSync("ln", ["-s", join(here, "node_modules"), join(dir, "node_modules")]);
  const tsc = spawnSync(process.execPath, [join(here, "node_modules/typescript/bin/tsc"), "-p", dir], {
    encoding: "utf8",
  });
  const out = (tsc.stdout + tsc.stderr).trim();
  if (tsc.status !== 0) {
    // Map "objects.ts(LINE,COL): error ..." back to the object it is in.
    const srcLines = lines.join("\n").split("\n");
    for (const l of out.split("\n")) {
      const m = l.match(/objects\.ts\((\d+),\d+\): (error .*)$/);
      if (!m) {
        if (l.trim()) console.error(`FAIL typecheck: ${l}`);
        continue;
      }
      let k = Number(m[1]) - 1;
      while (k >= 0 && !srcLines[k].startsWith("// ")) k--;
      console.error(`FAIL ${k >= 0 ? srcLines[k].slice(3) : "?"}: unknown field or wrong type: ${m[2]}`);
      failures++;
    }
    if (!/objects\.ts\(\d+,\d+\)/.test(out)) failures++;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`schema: ${checked} objects checked against the API schema and type-checked, ${skipped} custom resource(s) left to kubeconform, ${failures} finding(s)`);
process.exit(failures ? 1 : 0);
