// Shared helpers: reading kubectl-kustomize output and looking objects up.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

export function loadDocs(file) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  const out = [];
  for (const d of docs) {
    if (d.errors.length) throw new Error(`${file}: ${d.errors.map((e) => e.message).join("; ")}`);
    const o = d.toJS();
    if (o != null) out.push(o);
  }
  return out;
}

export const id = (o) => `${o.kind}/${o.metadata?.name}`;

// The pod template of a workload, or undefined.
export function podSpecOf(o) {
  if (["Deployment", "Rollout", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(o.kind)) return o.spec?.template?.spec;
  if (o.kind === "CronJob") return o.spec?.jobTemplate?.spec?.template?.spec;
  if (o.kind === "Pod") return o.spec;
  return undefined;
}

export function podMetaOf(o) {
  if (o.kind === "CronJob") return o.spec?.jobTemplate?.spec?.template?.metadata ?? {};
  if (o.kind === "Pod") return o.metadata ?? {};
  return o.spec?.template?.metadata ?? {};
}

// employee-api is a Deployment (dev, staging) or an Argo Rollouts Rollout (prod, k8s/overlays/prod/blue-green).
export const apiWorkload = (docs) =>
  docs.find((o) => ["Deployment", "Rollout"].includes(o.kind) && o.metadata?.name === "employee-api");

export const workloads = (docs) => docs.filter((o) => podSpecOf(o) !== undefined);

export function allContainers(spec) {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

// Resolves a probe/rule port (number or container port name) against a container's ports.
export function resolvePort(container, port) {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(String(port))) return Number(port);
  const p = (container.ports ?? []).find((cp) => cp.name === port);
  return p ? p.containerPort : undefined;
}

export function find(docs, kind, name) {
  return docs.find((o) => o.kind === kind && o.metadata?.name === name);
}

export function matchesSelector(labels, selector) {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels?.[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = labels != null && Object.hasOwn(labels, e.key);
    const val = labels?.[e.key];
    if (e.operator === "In" && !(has && e.values.includes(val))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(val)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}
