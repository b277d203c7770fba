// Overlays differ only where environments must: compares each overlay's render with prod's, object by object, and
// fails on any difference outside the allowed paths (replicas / HPA bounds, resources, hostnames, CORS origins,
// image tag, and the dev-only demo-data feature flag). Namespaces, the instance label and ConfigMap hash suffixes
// are normalised first.
//   node overlay-diff.mjs prod.yaml dev.yaml staging.yaml
import { loadDocs, id } from "./lib.mjs";

const [prodFile, ...others] = process.argv.slice(2);
const ALLOWED = [
  /^Deployment\/employee-api spec\.replicas$/,
  /^Deployment\/employee-api spec\.template\.spec\.containers\.\d+\.resources\./,
  /^Deployment\/employee-api spec\.template\.spec\.containers\.\d+\.image$/,
  /^HorizontalPodAutoscaler\/employee-api spec\.(minReplicas|maxReplicas)$/,
  /^Ingress\/employee-api spec\.(rules\.\d+\.host|tls\.\d+\.hosts\.\d+)$/,
  /^Ingress\/employee-api metadata\.annotations\.nginx\.ingress\.kubernetes\.io\/cors-allow-origin$/,
  /^ConfigMap\/employee-api-config data\.EMPLOYEE_MGMT_DEMO_DATA_ENABLED$/,
  // PostgreSQL: prod on CloudNativePG (write URL -rw, read replicas -ro), dev and staging on the base's StatefulSet.
  /^ConfigMap\/employee-api-config data\.(SPRING_DATASOURCE_URL|EMPLOYEE_MGMT_DATASOURCE_READ_REPLICAS_URLS)$/,
  // prod releases blue-green (k8s/overlays/prod/blue-green): the HPA scales the Rollout there.
  /^HorizontalPodAutoscaler\/employee-api spec\.scaleTargetRef\.(apiVersion|kind)$/,
];
// Objects that exist on one side only because prod runs PostgreSQL on CloudNativePG (k8s/overlays/prod/cloudnative-pg).
const DATABASE_ONLY_IN_PROD = ["Cluster/employee-mgmt-db", "NetworkPolicy/cloudnative-pg-instances"];
const DATABASE_NOT_IN_PROD = ["StatefulSet/postgres", "Service/postgres", "Service/postgres-headless"];
// Objects only prod has (the blue-green component), and the Deployment prod turns into that Rollout; the Rollout's
// pod template is compared with the other overlays' Deployment below.
const PROD_ONLY = /^(Rollout\/employee-api|Service\/employee-api-preview|AnalysisTemplate\/employee-api-[a-z-]+|ConfigMap\/employee-api-smoke-test|NetworkPolicy\/(employee-api-smoke-test|employee-api-from-smoke-test|prometheus-from-argo-rollouts))$/;

function normalise(docs) {
  const text = JSON.stringify(docs)
    .replace(/employee-mgmt-(dev|staging|prod)\b/g, "employee-mgmt-ENV")
    .replace(/"([a-z0-9-]+)-[bcdfghkmt2-9]{10}"/g, '"$1"'); // kustomize name hashes
  return new Map(JSON.parse(text).map((o) => [id(o), o]));
}
function diff(a, b, path, out) {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[k], b[k], path ? `${path}.${k}` : k, out);
    return;
  }
  out.push(path);
}

const prod = normalise(loadDocs(prodFile));
let failed = 0;
let passed = 0;
for (const f of others) {
  const env = normalise(loadDocs(f));
  for (const k of new Set([...prod.keys(), ...env.keys()])) {
    const prodOnCloudNativePg = prod.has("Cluster/employee-mgmt-db");
    if (prodOnCloudNativePg && (prod.has(k) ? DATABASE_ONLY_IN_PROD : DATABASE_NOT_IN_PROD).includes(k) && prod.has(k) !== env.has(k)) {
      passed++;
      continue;
    }
    if (PROD_ONLY.test(k) && prod.has(k) && !env.has(k)) {
      passed++;
      continue;
    }
    if (k === "Deployment/employee-api" && !prod.has(k) && prod.has("Rollout/employee-api")) {
      // Same pod template and selector as prod's Rollout; the Rollout spreads per rollouts-pod-template-hash.
      const ro = prod.get("Rollout/employee-api");
      const paths = [];
      diff({ selector: ro.spec.selector, template: ro.spec.template },
        { selector: env.get(k).spec.selector, template: env.get(k).spec.template }, "spec", paths);
      for (const p of paths) {
        const rel = `${k} ${p}`;
        if (ALLOWED.some((r) => r.test(rel)) || /^spec\.template\.spec\.topologySpreadConstraints\.\d+\.matchLabelKeys\.0$/.test(p)) passed++;
        else {
          console.error(`FAIL ${f}: ${k} differs from prod's Rollout at ${p} (not an environment-specific setting)`);
          failed++;
        }
      }
      continue;
    }
    if (k === "Rollout/employee-api" && !env.has(k)) continue; // compared as Deployment/employee-api
    if (!prod.has(k) || !env.has(k)) {
      console.error(`FAIL ${f}: ${k} exists only in ${prod.has(k) ? "prod" : f}`);
      failed++;
      continue;
    }
    const paths = [];
    diff(prod.get(k), env.get(k), "", paths);
    for (const p of paths) {
      if (ALLOWED.some((r) => r.test(`${k} ${p}`))) passed++;
      else {
        console.error(`FAIL ${f}: ${k} differs from prod at ${p} (not an environment-specific setting)`);
        failed++;
      }
    }
  }
}
console.log(`overlay-diff: ${passed} allowed differences, ${failed} failed`);
process.exit(failed ? 1 : 0);
