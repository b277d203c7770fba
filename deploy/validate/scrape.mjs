// Which pods of the render each pod-discovering scrape job of prometheus.yml selects, and whether this namespace's
// Prometheus can reach them. Implements Kubernetes pod discovery's meta labels (one target per container port) and
// the keep/drop/replace relabel actions the jobs use.
import { podSpecOf, podMetaOf, workloads } from "./lib.mjs";
import { allowed } from "./netpol.mjs";

const sanitize = (s) => s.replace(/[^a-zA-Z0-9_]/g, "_");

function podTargets(docs, ns) {
  const nsObj = docs.find((o) => o.kind === "Namespace" && o.metadata.name === ns);
  const nsLabels = { ...(nsObj?.metadata?.labels ?? {}), "kubernetes.io/metadata.name": ns };
  const out = [];
  for (const w of workloads(docs)) {
    const meta = podMetaOf(w);
    const spec = podSpecOf(w);
    const base = {
      __meta_kubernetes_namespace: ns,
      __meta_kubernetes_pod_name: `${w.metadata.name}-0`,
    };
    for (const [k, v] of Object.entries(meta.labels ?? {})) {
      base[`__meta_kubernetes_pod_label_${sanitize(k)}`] = v;
      base[`__meta_kubernetes_pod_labelpresent_${sanitize(k)}`] = "true";
    }
    for (const [k, v] of Object.entries(meta.annotations ?? {})) {
      base[`__meta_kubernetes_pod_annotation_${sanitize(k)}`] = v;
      base[`__meta_kubernetes_pod_annotationpresent_${sanitize(k)}`] = "true";
    }
    for (const c of spec.containers) {
      const ports = c.ports?.length ? c.ports : [undefined];
      for (const p of ports) {
        out.push({
          workload: w,
          container: c,
          port: p?.containerPort,
          pod: { name: meta.labels?.["app.kubernetes.io/name"], ns, nsLabels, labels: meta.labels ?? {}, ports: spec.containers.flatMap((x) => x.ports ?? []) },
          labels: {
            ...base,
            __address__: p ? `10.0.0.1:${p.containerPort}` : "10.0.0.1",
            __meta_kubernetes_pod_container_name: c.name,
            __meta_kubernetes_pod_container_port_number: p ? String(p.containerPort) : "",
            __meta_kubernetes_pod_container_port_name: p?.name ?? "",
            __meta_kubernetes_pod_container_port_protocol: p ? (p.protocol ?? "TCP") : "",
          },
        });
      }
    }
  }
  return out;
}

// Applies relabel_configs; returns the final label set or null when dropped.
export function relabel(labels, rules) {
  const l = { ...labels };
  for (const r of rules ?? []) {
    const action = r.action ?? "replace";
    const value = (r.source_labels ?? []).map((s) => l[s] ?? "").join(r.separator ?? ";");
    const re = new RegExp(`^(?:${r.regex ?? "(.*)"})$`);
    const m = value.match(re);
    if (action === "keep" && !m) return null;
    if (action === "drop" && m) return null;
    if (action === "replace" && m && r.target_label) {
      const rep = (r.replacement ?? "$1").replace(/\$\{?(\d+)\}?/g, (_, i) => m[Number(i)] ?? "");
      if (rep === "") delete l[r.target_label];
      else l[r.target_label] = rep;
    }
    if (action === "labelmap") {
      const lre = new RegExp(`^(?:${r.regex})$`);
      for (const [k, v] of Object.entries(l)) {
        const mm = k.match(lre);
        if (mm) l[(r.replacement ?? "$1").replace(/\$\{?(\d+)\}?/g, (_, i) => mm[Number(i)] ?? "")] = v;
      }
    }
  }
  return l;
}

// Returns [name, ok, detail] results.
export function checkScrapeJobs(docs, ns, promConfig) {
  const results = [];
  const policies = docs.filter((o) => o.kind === "NetworkPolicy");
  const targets = podTargets(docs, ns);
  const prom = targets.find((t) => t.pod.name === "prometheus")?.pod;
  const selectedBy = new Map();
  for (const job of promConfig?.scrape_configs ?? []) {
    for (const sd of job.kubernetes_sd_configs ?? []) {
      if (sd.role !== "pod") continue;
      const ownOnly = sd.namespaces?.own_namespace === true || (sd.namespaces?.names ?? []).includes(ns);
      const kept = targets.filter((t) => relabel(t.labels, job.relabel_configs) !== null);
      for (const t of kept) {
        const key = `${t.pod.name}[${t.container.name}]:${t.port}`;
        selectedBy.set(key, [...(selectedBy.get(key) ?? []), job.job_name]);
        results.push([`Prometheus can reach ${key} (job ${job.job_name})`, !!prom && allowed(policies, prom, t.pod, t.port), ""]);
        if (!ownOnly) {
          // The same pod in another environment's namespace, under that namespace's (identical) policies.
          const otherNs = "employee-mgmt-other";
          const moved = policies.map((p) => ({ ...p, metadata: { ...p.metadata, namespace: otherNs } }));
          const twin = { ...t.pod, ns: otherNs, nsLabels: { ...t.pod.nsLabels, "kubernetes.io/metadata.name": otherNs } };
          results.push([
            `job ${job.job_name} discovers ${t.pod.name} pods of every namespace, which other environments' NetworkPolicies ` +
              `do not let this Prometheus scrape (up == 0): restrict it with namespaces: {own_namespace: true}`,
            allowed([...policies, ...moved], prom, twin, t.port),
            "",
          ]);
        }
      }
    }
  }
  // Every pod that exposes metrics is scraped by some job.
  for (const t of targets) {
    // Metrics ports: named metrics/management, or the one the pod's prometheus.io/port annotation names.
    const portName = t.container.ports?.find((p) => p.containerPort === t.port)?.name;
    const annotated = podMetaOf(t.workload).annotations?.["prometheus.io/port"];
    const wants = t.port !== undefined && (["metrics", "management"].includes(portName) || annotated === String(t.port));
    if (wants) {
      const key = `${t.pod.name}[${t.container.name}]:${t.port}`;
      results.push([`metrics port ${key} is scraped by a job of prometheus.yml`, selectedBy.has(key), ""]);
    }
  }
  return results;
}
