// monitoring/kustomization.yaml lists every monitoring file Kubernetes must mount (Kustomize takes no globs):
// each listed file exists, and every rule file, dashboard and provisioning file on disk is listed.
//   node monitoring-check.mjs monitoring/
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";

const dir = process.argv[2];
const k = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8"));
const listed = new Map();
for (const g of k.configMapGenerator ?? []) for (const f of g.files ?? []) listed.set(f.replace(/^[^=]+=/, ""), g.name);

const walk = (d) =>
  existsSync(d)
    ? readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]))
    : [];
const rel = (p) => relative(dir, p);
const mustList = [
  ...walk(join(dir, "prometheus/rules")).filter((p) => /^[^/]+\.ya?ml$/.test(relative(join(dir, "prometheus/rules"), p))),
  ...walk(join(dir, "grafana/dashboards")).filter((p) => p.endsWith(".json")),
  ...walk(join(dir, "grafana/provisioning")).filter((p) => /\.ya?ml$/.test(p)),
  ...walk(join(dir, "alertmanager/templates")).filter((p) => p.endsWith(".tmpl")),
  ...walk(join(dir, "postgres-exporter")).filter((p) => /\.ya?ml$/.test(p)),
  join(dir, "prometheus/prometheus.yml"),
  join(dir, "alertmanager/alertmanager.yml"),
].map(rel);

let failed = 0;
let passed = 0;
for (const [f, cm] of listed) {
  if (existsSync(join(dir, f))) passed++;
  else {
    console.error(`FAIL monitoring/kustomization.yaml: ${cm} lists ${f}, which does not exist`);
    failed++;
  }
}
const generatorFor = (f) =>
  f.startsWith("prometheus/rules/") ? "prometheus-rules"
  : f.startsWith("grafana/dashboards/") ? "grafana-dashboards"
  : f.startsWith("grafana/provisioning/datasources/") ? "grafana-datasources"
  : f.startsWith("grafana/provisioning/dashboards/") ? "grafana-dashboard-providers"
  : f.startsWith("alertmanager/templates/") ? "alertmanager-templates"
  : f.startsWith("postgres-exporter/") ? "postgres-exporter-queries"
  : "?";
for (const f of mustList) {
  if (listed.has(f)) passed++;
  else {
    console.error(`FAIL monitoring/kustomization.yaml does not list ${f} (add "- ${f}" under ${generatorFor(f)})`);
    failed++;
  }
}
console.log(`monitoring-kustomization: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
