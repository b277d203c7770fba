// Proof 4, first half: extracts from the rendered manifests what the running service must honour, in files the
// shell runner (deploy/consistency-check.sh) uses without interpretation:
//   app.env0     the employee-api container's environment exactly as the kubelet would build it (envFrom ConfigMap,
//                then env; secretKeyRef values from the Secrets deploy/create-secrets.sh makes), NUL-separated
//   probes.tsv   kind <TAB> port <TAB> path <TAB> expected status <TAB> timeoutSeconds (named ports resolved)
//   scrape.tsv   port <TAB> path    (from the prometheus.io/* annotations)
//   hosts        /etc/hosts lines mapping every Service the environment names (postgres, redis) to 127.0.0.1
//   deps.env     PG_PORT, PG_DB, PG_USER, PG_PASSWORD, REDIS_PORT, REDIS_ARGS0 (file name) for the local servers
//   redis.args0  the redis container's args with $(VAR) expanded, NUL-separated
//   node deploy/validate/runtime-extract.mjs --render prod.yaml --secrets secrets.yaml --out DIR
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadDocs, podSpecOf, podMetaOf, resolvePort, find, apiWorkload } from "./lib.mjs";

const argv = process.argv.slice(2);
const arg = (k) => argv[argv.indexOf(`--${k}`) + 1];
const docs = loadDocs(arg("render"));
const secrets = loadDocs(arg("secrets"));
const out = arg("out");
const problems = [];

const secretValue = (name, key) => {
  const s = secrets.find((x) => x.metadata.name === name);
  const b64 = s?.data?.[key];
  if (b64 === undefined) {
    problems.push(`secret ${name}/${key} is not created by deploy/create-secrets.sh`);
    return "";
  }
  return Buffer.from(b64, "base64").toString("utf8");
};

// The environment of a container, as the kubelet builds it: envFrom first, then env (later wins), then $(VAR)
// references in values expanded against what is defined before them.
function containerEnv(c) {
  const env = new Map();
  for (const ef of c.envFrom ?? []) {
    if (ef.configMapRef) {
      const cm = find(docs, "ConfigMap", ef.configMapRef.name);
      if (!cm) problems.push(`ConfigMap ${ef.configMapRef.name} missing`);
      for (const [k, v] of Object.entries(cm?.data ?? {})) env.set((ef.prefix ?? "") + k, v);
    }
    if (ef.secretRef) {
      const s = secrets.find((x) => x.metadata.name === ef.secretRef.name);
      for (const k of Object.keys(s?.data ?? {})) env.set((ef.prefix ?? "") + k, secretValue(ef.secretRef.name, k));
    }
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env.set(e.name, e.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n) => env.get(n) ?? m));
    else if (e.valueFrom?.secretKeyRef) env.set(e.name, secretValue(e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key));
    else if (e.valueFrom?.configMapKeyRef)
      env.set(e.name, find(docs, "ConfigMap", e.valueFrom.configMapKeyRef.name)?.data?.[e.valueFrom.configMapKeyRef.key] ?? "");
    else problems.push(`env ${e.name}: unsupported source ${JSON.stringify(e.valueFrom)}`);
  }
  return env;
}
const expand = (s, env) => s.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n) => env.get(n) ?? m);

const api = apiWorkload(docs);
const c = podSpecOf(api).containers.find((x) => x.name === "employee-api");
const env = containerEnv(c);
writeFileSync(join(out, "app.env0"), [...env].map(([k, v]) => `${k}=${v}\0`).join(""));

// The ports the service listens on (its own defaults when PORT/MANAGEMENT_PORT are unset) must be the
// container ports the probes and the scrape annotation name.
const listenApi = Number(env.get("PORT") ?? 8080);
const listenMgmt = Number(env.get("MANAGEMENT_PORT") ?? 9091);
if (resolvePort(c, "http") !== listenApi) problems.push(`container port http ${resolvePort(c, "http")} != PORT ${listenApi}`);
if (resolvePort(c, "management") !== listenMgmt)
  problems.push(`container port management ${resolvePort(c, "management")} != MANAGEMENT_PORT ${listenMgmt}`);

const probes = [];
for (const kind of ["startupProbe", "readinessProbe", "livenessProbe"]) {
  const p = c[kind];
  if (!p?.httpGet) {
    problems.push(`${kind} is not an httpGet probe`);
    continue;
  }
  const port = resolvePort(c, p.httpGet.port);
  if (port === undefined) problems.push(`${kind} port ${p.httpGet.port} is no container port`);
  probes.push([kind, port, p.httpGet.path, 200, p.timeoutSeconds ?? 1].join("\t"));
}
writeFileSync(join(out, "probes.tsv"), probes.join("\n") + "\n");

const ann = podMetaOf(api).annotations ?? {};
if (ann["prometheus.io/scrape"] !== "true") problems.push("pod is not annotated for scraping");
writeFileSync(join(out, "scrape.tsv"), `${Number(ann["prometheus.io/port"])}\t${ann["prometheus.io/path"] ?? "/metrics"}\n`);

// Dependencies named by the environment: they must be Services of the render.
const url = env.get("SPRING_DATASOURCE_URL") ?? "";
const m = url.match(/^jdbc:postgresql:\/\/([^:/]+)(?::(\d+))?\/([^?]+)/);
if (!m) problems.push(`SPRING_DATASOURCE_URL not a PostgreSQL JDBC URL: ${url}`);
const [, pgHost, pgPort = "5432", pgDb] = m ?? [];
const redisHost = env.get("SPRING_DATA_REDIS_HOST");
const redisPort = env.get("SPRING_DATA_REDIS_PORT") ?? "6379";
// Read replicas (prod on CloudNativePG): their hosts resolve to the same local PostgreSQL, which is no standby, so
// the service must keep serving reads from the primary.
const replicaHosts = (env.get("EMPLOYEE_MGMT_DATASOURCE_READ_REPLICAS_URLS") ?? "")
  .split(",")
  .filter(Boolean)
  .map((u) => u.match(/^jdbc:postgresql:\/\/([^:/]+)(?::(\d+))?\//) ?? [null, u, "?"])
  .map(([, h, p = "5432"]) => [h, p]);
// A CloudNativePG Cluster's -rw/-ro/-r Services are created by its operator, on port 5432.
const operatorService = (h, p) =>
  docs.some((o) => o.kind === "Cluster" && ["rw", "ro", "r"].some((t) => h === `${o.metadata.name}-${t}`)) && p === "5432";
for (const [h, p] of [[pgHost, pgPort], [redisHost, redisPort], ...replicaHosts]) {
  const svc = find(docs, "Service", h);
  if (!svc?.spec?.ports?.some((sp) => sp.port === Number(p)) && !operatorService(h, p)) problems.push(`no Service ${h} with port ${p}`);
}
const hostNames = [...new Set([pgHost, redisHost, ...replicaHosts.map(([h]) => h)])].join(" ");
writeFileSync(join(out, "hosts"), `127.0.0.1 localhost\n::1 localhost\n127.0.0.1 ${hostNames}\n`);

const rd = find(docs, "Deployment", "redis");
const rc = podSpecOf(rd).containers.find((x) => x.name === "redis");
const renv = containerEnv(rc);
writeFileSync(join(out, "redis.args0"), (rc.args ?? []).map((a) => expand(a, renv) + "\0").join(""));
const shq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
writeFileSync(
  join(out, "deps.env"),
  [
    `PG_HOST=${shq(pgHost)}`,
    `PG_PORT=${shq(pgPort)}`,
    `PG_DB=${shq(pgDb)}`,
    `PG_USER=${shq(env.get("SPRING_DATASOURCE_USERNAME"))}`,
    `PG_PASSWORD=${shq(env.get("SPRING_DATASOURCE_PASSWORD"))}`,
    `REDIS_PORT=${shq(redisPort)}`,
    `REDIS_PASSWORD=${shq(env.get("SPRING_DATA_REDIS_PASSWORD"))}`,
    `API_PORT=${shq(listenApi)}`,
    `MGMT_PORT=${shq(listenMgmt)}`,
  ].join("\n") + "\n",
);

for (const p of problems) console.error(`FAIL manifests: ${p}`);
console.log(`runtime-extract: ${env.size} env vars, ${probes.length} probes, ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
