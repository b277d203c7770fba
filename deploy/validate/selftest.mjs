// The project-specific checks can fail: each mutation below breaks one rule in a copy of the rendered prod overlay
// (or the Dockerfile), and the matching checker must exit 1 naming that rule. An unmutated copy must pass.
// Mutations of what standard tools check (schemas, container security, Dockerfile lint) are in ci/selftest-gates.py.
//   node selftest.mjs --render prod.yaml --cluster cluster.yaml --secrets secrets.yaml --app-config application.yml \
//        --dockerfile Dockerfile --dockerignore .dockerignore
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { parse as parseYaml } from "yaml";
import { loadDocs, podSpecOf } from "./lib.mjs";
import { evaluatePolicy } from "./policy.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const arg = (k) => argv[argv.indexOf(`--${k}`) + 1];
const base = loadDocs(arg("render"));
const dir = mkdtempSync(join(tmpdir(), "k8s-selftest-"));

const get = (docs, kind, name) => docs.find((o) => o.kind === kind && o.metadata.name === name);
const api = (docs) => docs.find((o) => ["Deployment", "Rollout"].includes(o.kind) && o.metadata.name === "employee-api");
const apiC = (docs) => podSpecOf(api(docs)).containers[0];
const env = (docs, name) => apiC(docs).env.find((e) => e.name === name);

const policyMutations = [
  ["readiness probe = liveness probe", "readiness path != liveness path", (d) => (apiC(d).readinessProbe = { ...apiC(d).livenessProbe })],
  ["readiness on a path the service lacks", "probes on the service's health paths", (d) => (apiC(d).readinessProbe.httpGet.path = "/api/v1/health/readiness")],
  ["no default-deny NetworkPolicy", "default deny", (d) => d.splice(d.indexOf(get(d, "NetworkPolicy", "default-deny-all")), 1)],
  ["HPA max 11", "HPA min/max", (d) => (get(d, "HorizontalPodAutoscaler", "employee-api").spec.maxReplicas = 11)],
  ["HPA CPU target 80", "HPA CPU 70", (d) => (get(d, "HorizontalPodAutoscaler", "employee-api").spec.metrics[0].resource.target.averageUtilization = 80)],
  ["HPA scale-down 5 pods/min", "scale-down at most 2 pods", (d) => (get(d, "HorizontalPodAutoscaler", "employee-api").spec.behavior.scaleDown.policies[1].value = 5)],
  ["HPA scale-up Max policy", "scale-up takes the most restrictive", (d) => (get(d, "HorizontalPodAutoscaler", "employee-api").spec.behavior.scaleUp.selectPolicy = "Max")],
  ["rate limit 1000/min", "rate limit 100", (d) => (get(d, "Ingress", "employee-api").metadata.annotations["nginx.ingress.kubernetes.io/limit-rpm"] = "1000")],
  ["body size 100m", "body size limit", (d) => (get(d, "Ingress", "employee-api").metadata.annotations["nginx.ingress.kubernetes.io/proxy-body-size"] = "100m")],
  ["proxy read timeout 600", "proxy read timeout", (d) => (get(d, "Ingress", "employee-api").metadata.annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"] = "600")],
  ["CORS *", "CORS origins", (d) => (get(d, "Ingress", "employee-api").metadata.annotations["nginx.ingress.kubernetes.io/cors-allow-origin"] = "*")],
  ["Ingress without TLS", "TLS covers every host", (d) => delete get(d, "Ingress", "employee-api").spec.tls],
  ["hostPath volume", "type allowed by PSS", (d) => podSpecOf(api(d)).volumes.push({ name: "host", hostPath: { path: "/var" } })],
  ["namespace PSS baseline", "PSS enforce=restricted", (d) => (d.find((o) => o.kind === "Namespace").metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline")],
  ["no PDB", "has a PodDisruptionBudget", (d) => d.splice(d.indexOf(get(d, "PodDisruptionBudget", "employee-api")), 1)],
  ["password inline in env", "from a Secret", (d) => (env(d, "SPRING_DATASOURCE_PASSWORD").value = "hunter2hunter2") && delete env(d, "SPRING_DATASOURCE_PASSWORD").valueFrom],
  ["a Secret object in the manifests", "no Secret object", (d) => d.push({ apiVersion: "v1", kind: "Secret", metadata: { name: "x", namespace: d[1].metadata.namespace }, stringData: { password: "x" } })],
  ["password in the ConfigMap", "is no credential", (d) => (d.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("employee-api-config")).data.SPRING_DATASOURCE_PASSWORD = "hunter2hunter2")],
  ["secretKeyRef to a key nobody creates", "is created", (d) => (env(d, "SPRING_DATASOURCE_PASSWORD").valueFrom.secretKeyRef.key = "passwd")],
  ["API memory limit 1Gi", "employee-api limits", (d) => (apiC(d).resources.limits.memory = "1Gi")],
  ["scrape annotation on the API port", "prometheus.io/port", (d) => (api(d).spec.template.metadata.annotations["prometheus.io/port"] = "8080")],
  ["grace period 20 s", "terminationGracePeriodSeconds", (d) => (podSpecOf(api(d)).terminationGracePeriodSeconds = 20)],
  ["readiness timeout 1 s", "Hikari connection-timeout", (d) => (apiC(d).readinessProbe.timeoutSeconds = 1)],
  ["probe on a port name the container lacks", "is a container port", (d) => (apiC(d).livenessProbe.httpGet.port = "https")],
  ["Role can list pods", "Role grants nothing else", (d) => get(d, "Role", "employee-api").rules.push({ apiGroups: [""], resources: ["pods"], verbs: ["list"] })],
  ["Role reads every Secret", "Role secrets = exactly", (d) => delete get(d, "Role", "employee-api").rules[1].resourceNames],
  ["token automounted", "token not mounted", (d) => (podSpecOf(api(d)).automountServiceAccountToken = true)],
  ["Service without session affinity", "sessionAffinity ClientIP", (d) => (get(d, "Service", "employee-api").spec.sessionAffinity = "None")],
  ["Service exposes the management port", "does not expose the management port", (d) => get(d, "Service", "employee-api").spec.ports.push({ name: "mgmt", port: 9091, targetPort: "management" })],
  ["Service targetPort name nobody has", "targetPort", (d) => (get(d, "Service", "redis").spec.ports[0].targetPort = "redis-tls")],
  ["Redis maxmemory 600mb", "maxmemory below", (d) => (podSpecOf(get(d, "Deployment", "redis")).containers[0].args[1] = "600mb")],
  ["Prometheus retention 15d", "retention 30 days", (d) => (podSpecOf(get(d, "Deployment", "prometheus")).containers[0].args[2] = "--storage.tsdb.retention.time=15d")],
  ["Prometheus rules not mounted", "rule_files", (d) => (podSpecOf(get(d, "Deployment", "prometheus")).containers[0].volumeMounts[1].mountPath = "/etc/prometheus/alerts")],
  ["Alertmanager webhook Secret renamed", "Alertmanager api_url_file", (d) => (podSpecOf(get(d, "Deployment", "alertmanager")).volumes.find((v) => v.secret).secret.secretName = "alertmanager-hooks")],
  ["Alertmanager templates mounted elsewhere", "Alertmanager templates", (d) => (podSpecOf(get(d, "Deployment", "alertmanager")).containers[0].volumeMounts.find((m) => m.name === "templates").mountPath = "/etc/alertmanager/tmpl")],
  ["Grafana dashboards mounted elsewhere", "dashboard provider", (d) => (podSpecOf(get(d, "Deployment", "grafana")).containers[0].volumeMounts.find((m) => m.name === "dashboards").mountPath = "/etc/grafana/dashboards")],
  ["Prometheus without its service account token", "is provided in the pod", (d) => (podSpecOf(get(d, "Deployment", "prometheus")).automountServiceAccountToken = false)],
  ["Grafana data source Service missing", "Grafana data source", (d) => (get(d, "Service", "prometheus").spec.ports[0].port = 80)],
  ["metrics port renamed (the employee-api job keeps port name management)", "is scraped by a job", (d) => (apiC(d).ports[1].name = "admin")],
  ["Prometheus may not reach the exporters", "Prometheus can reach redis[redis-exporter]", (d) => (get(d, "NetworkPolicy", "redis").spec.ingress.splice(1, 1))],
  ["PostgreSQL open to every pod", "blocks ingress-nginx -> postgres:5432", (d) => (get(d, "NetworkPolicy", "postgres").spec.ingress = [{}])],
  ["API open to every namespace", "blocks unlabelled pod in another namespace -> employee-api:8080", (d) => (get(d, "NetworkPolicy", "employee-api").spec.ingress[0].from = [{ namespaceSelector: {} }])],
  ["API egress to Redis removed", "allows employee-api -> redis:6379", (d) => get(d, "NetworkPolicy", "employee-api").spec.egress.splice(1, 1)],
  ["metrics rule on the wrong named port", "allows prometheus -> employee-api:9091", (d) => (get(d, "NetworkPolicy", "employee-api").spec.ingress[1].ports[0].port = "http")],
];

// PostgreSQL: the base's StatefulSet, or CloudNativePG where the render has a Cluster (prod).
const cm = (d) => d.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("employee-api-config")).data;
const statefulSetMutations = [
  ["PostgreSQL 10Gi", "20Gi volume claim", (d) => (get(d, "StatefulSet", "postgres").spec.volumeClaimTemplates[0].spec.resources.requests.storage = "10Gi")],
  ["datasource host that is no Service", "names the postgres Service", (d) => (cm(d).SPRING_DATASOURCE_URL = "jdbc:postgresql://postgresql:5432/employee_mgmt")],
  ["postgres-exporter queries not mounted", "extend.query-path", (d) => (podSpecOf(get(d, "StatefulSet", "postgres")).containers[1].volumeMounts = [])],
];
const cnpg = (d) => d.find((o) => o.kind === "Cluster");
const cloudNativePgMutations = [
  ["CloudNativePG with 2 instances", "3 instances", (d) => (cnpg(d).spec.instances = 2)],
  ["CloudNativePG 10Gi", "20Gi storage", (d) => (cnpg(d).spec.storage.size = "10Gi")],
  ["CloudNativePG PostgreSQL 17", "PostgreSQL 16 image", (d) => (cnpg(d).spec.imageName = "ghcr.io/cloudnative-pg/postgresql:17.5")],
  ["write URL at the read-only Service", "SPRING_DATASOURCE_URL names the Cluster's -rw", (d) => (cm(d).SPRING_DATASOURCE_URL = cm(d).SPRING_DATASOURCE_URL.replace("-rw:", "-ro:"))],
  ["no read replicas configured", "READ_REPLICAS_URLS names the Cluster's -ro", (d) => delete cm(d).EMPLOYEE_MGMT_DATASOURCE_READ_REPLICAS_URLS],
  ["database owner differs from the Secret's user", "owner is the postgres-credentials username", (d) => (cnpg(d).spec.bootstrap.initdb.owner = "app")],
  ["instances without the postgres label", "inheritedMetadata", (d) => delete cnpg(d).spec.inheritedMetadata],
  ["superuser access on", "superuser access off", (d) => (cnpg(d).spec.enableSuperuserAccess = true)],
  ["operator cannot reach the instances", "allows cloudnative-pg-operator -> postgres:8000", (d) => get(d, "NetworkPolicy", "cloudnative-pg-instances").spec.ingress.splice(0, 1)],
  ["no replication between instances", "allows postgres -> postgres:5432", (d) => get(d, "NetworkPolicy", "cloudnative-pg-instances").spec.egress.splice(0, 1)],
  ["instance metrics not scraped", "CloudNativePG instance metrics scraped", (d) => {
    const c = d.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("prometheus-config"));
    const key = Object.keys(c.data).find((k) => k.endsWith(".yml"));
    c.data[key] = c.data[key].replace("regex: instance;metrics", "regex: instance;monitoring");
  }],
];
policyMutations.push(...(base.some((o) => o.kind === "Cluster") ? cloudNativePgMutations : statefulSetMutations));


const dockerMutations = [
  ["USER root", "USER 1000:1000", (t) => t.replace("USER 1000:1000", "USER root")],
  ["EXPOSE 8081", "EXPOSE matches", (t) => t.replace("EXPOSE 8080 9091", "EXPOSE 8081 9091")],
  ["base image latest", "pinned (no latest)", (t) => t.replace(/ARG RUNTIME_IMAGE=\S+/, "ARG RUNTIME_IMAGE=eclipse-temurin:latest")],
  ["no ExitOnOutOfMemoryError", "OutOfMemoryError", (t) => t.replace('"-XX:+ExitOnOutOfMemoryError", ', "")],
  ["no AOT cache training", "trained in the final stage", (t) => t.replace("-XX:AOTCacheOutput=app.aot", "-XX:+UseSerialGC")],
  ["launcher instead of app.jar", "runs the extracted jar", (t) => t.replace('"-jar", "app.jar"]', '"org.springframework.boot.loader.launch.JarLauncher"]')],
];

let passed = 0;
let failed = 0;
function run(script, extra) {
  return spawnSync(process.execPath, [join(here, script), ...extra], { encoding: "utf8" });
}
function expectFailure(label, res, needle) {
  const out = res.stdout + res.stderr;
  if (res.status === 1 && out.includes(needle)) {
    passed++;
    console.log(`ok   caught: ${label}`);
  } else {
    failed++;
    console.error(`FAIL not caught: ${label} (exit ${res.status}, expected a finding with "${needle}")\n${out.slice(0, 600)}`);
  }
}
const cluster = loadDocs(arg("cluster"));
const secrets = loadDocs(arg("secrets"));
const appConfig = parseYaml(readFileSync(arg("app-config"), "utf8"));
const policy = (docs) => {
  const r = evaluatePolicy("prod", docs, cluster, secrets, appConfig);
  return { status: r.failed.length ? 1 : 0, stdout: "", stderr: r.failed.join("\n") };
};

try {
  // Baseline: the unmutated copy passes (so a failure below is the mutation's doing).
  const p0 = policy(structuredClone(base));
  if (p0.status === 0) {
    passed++;
    console.log("ok   baseline copy passes the policy");
  } else {
    failed++;
    console.error(`FAIL baseline copy does not pass:\n${p0.stderr}`);
  }
  for (const [label, needle, mutate] of policyMutations) {
    const docs = structuredClone(base);
    mutate(docs);
    expectFailure(label, policy(docs), needle);
  }
  const dockerText = readFileSync(arg("dockerfile"), "utf8");
  for (const [i, [label, needle, mutate]] of dockerMutations.entries()) {
    const mutated = mutate(dockerText);
    if (mutated === dockerText) {
      failed++;
      console.error(`FAIL mutation "${label}" did not apply to the Dockerfile`);
      continue;
    }
    const f = join(dir, `Dockerfile.${i}`);
    writeFileSync(f, mutated);
    expectFailure(`Dockerfile: ${label}`, run("dockerfile-check.mjs", [f, arg("dockerignore"), arg("render")]), needle);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`selftest: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
