// A small NetworkPolicy evaluator (the semantics of networking.k8s.io/v1 for pod-to-pod traffic): decides whether a
// connection src -> dst:port/protocol is allowed by the rendered policies, then asserts the flows the system needs
// and a set of flows that must stay blocked. Pods outside the namespace (ingress controller, DNS, a collector, an
// attacker in another namespace) are modelled with the labels the policies expect.
import { podSpecOf, podMetaOf, workloads, matchesSelector } from "./lib.mjs";

// CloudNativePG instance pods, which the operator creates from a Cluster: its labels (cnpg.io/*), the Cluster's
// inheritedMetadata labels, and the instance manager's ports.
export function cloudNativePgPods(docs, ns, nsLabels) {
  return docs
    .filter((o) => o.kind === "Cluster" && /^postgresql\.cnpg\.io\//.test(o.apiVersion))
    .map((c) => {
      const labels = {
        ...(c.spec?.inheritedMetadata?.labels ?? {}),
        "cnpg.io/cluster": c.metadata.name,
        "cnpg.io/podRole": "instance",
        "cnpg.io/instanceRole": "primary",
      };
      return {
        name: labels["app.kubernetes.io/name"] ?? c.metadata.name,
        ns,
        nsLabels,
        labels,
        ports: [
          { name: "postgresql", containerPort: 5432 },
          { name: "metrics", containerPort: 9187 },
          { name: "status", containerPort: 8000 },
        ],
        cloudNativePg: true,
      };
    });
}

function podsOf(docs, ns) {
  const nsObj = docs.find((o) => o.kind === "Namespace" && o.metadata.name === ns);
  const nsLabels = { ...(nsObj?.metadata?.labels ?? {}), "kubernetes.io/metadata.name": ns };
  return workloads(docs)
    .map((w) => ({
      name: w.metadata.labels?.["app.kubernetes.io/name"] ?? w.metadata.name,
      ns,
      nsLabels,
      labels: podMetaOf(w).labels ?? {},
      ports: podSpecOf(w).containers.flatMap((c) => c.ports ?? []),
    }))
    .concat(cloudNativePgPods(docs, ns, nsLabels));
}

const external = (name, ns, labels, ports = []) => ({
  name,
  ns,
  nsLabels: { "kubernetes.io/metadata.name": ns },
  labels,
  ports,
  external: true,
});

function portMatches(rulePorts, dst, port, proto) {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((p) => {
    if ((p.protocol ?? "TCP") !== proto) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === "number") return p.endPort ? port >= p.port && port <= p.endPort : port === p.port;
    // Named port: resolved against the destination pod's container ports.
    return dst.ports.some((cp) => cp.name === p.port && cp.containerPort === port && (cp.protocol ?? "TCP") === proto);
  });
}

function peerMatches(peers, policyNs, pod) {
  if (!peers || peers.length === 0) return true;
  return peers.some((peer) => {
    if (peer.ipBlock) return false; // addresses outside the pod network, never a pod here
    if (peer.namespaceSelector) {
      if (!matchesSelector(pod.nsLabels, peer.namespaceSelector)) return false;
      return peer.podSelector ? matchesSelector(pod.labels, peer.podSelector) : true;
    }
    return pod.ns === policyNs && matchesSelector(pod.labels, peer.podSelector ?? {});
  });
}

function selecting(policies, pod, type) {
  return policies.filter((p) => {
    if (p.metadata.namespace !== pod.ns) return false;
    const types = p.spec.policyTypes ?? (p.spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);
    return types.includes(type) && matchesSelector(pod.labels, p.spec.podSelector ?? {});
  });
}

export function allowed(policies, src, dst, port, proto = "TCP") {
  let egressOk = true;
  if (!src.external) {
    const eg = selecting(policies, src, "Egress");
    if (eg.length)
      egressOk = eg.some((p) =>
        (p.spec.egress ?? []).some((r) => peerMatches(r.to, p.metadata.namespace, dst) && portMatches(r.ports, dst, port, proto)),
      );
  }
  let ingressOk = true;
  if (!dst.external) {
    const ing = selecting(policies, dst, "Ingress");
    if (ing.length)
      ingressOk = ing.some((p) =>
        (p.spec.ingress ?? []).some((r) => peerMatches(r.from, p.metadata.namespace, src) && portMatches(r.ports, dst, port, proto)),
      );
  }
  return egressOk && ingressOk;
}

export function checkNetworkPolicies(docs, ns) {
  const results = [];
  const policies = docs.filter((o) => o.kind === "NetworkPolicy");
  const deny = policies.find(
    (p) =>
      Object.keys(p.spec.podSelector ?? {}).every((k) => Object.keys(p.spec.podSelector[k] ?? {}).length === 0) &&
      ["Ingress", "Egress"].every((t) => (p.spec.policyTypes ?? []).includes(t)) &&
      !(p.spec.ingress ?? []).length &&
      !(p.spec.egress ?? []).length,
  );
  results.push([`NetworkPolicy default deny (ingress + egress) in ${ns}`, !!deny, ""]);

  const pods = podsOf(docs, ns);
  const pod = (n) => pods.find((p) => p.name === n);
  const nginx = external("ingress-nginx", "ingress-nginx", { "app.kubernetes.io/name": "ingress-nginx" });
  const dns = external("kube-dns", "kube-system", { "k8s-app": "kube-dns" }, [{ name: "dns", containerPort: 53, protocol: "UDP" }]);
  const otel = external("otel-collector", "observability", { "app.kubernetes.io/name": "opentelemetry-collector" }, [
    { name: "otlp-grpc", containerPort: 4317 },
  ]);
  const spoof = external("employee-api look-alike in another namespace", "intruder", { "app.kubernetes.io/name": "employee-api" });
  const stranger = external("unlabelled pod in another namespace", "intruder", {});

  const need = [
    [nginx, "employee-api", 8080],
    ["prometheus", "employee-api", 9091],
    ["prometheus", "postgres", 9187],
    ["prometheus", "redis", 9121],
    ["prometheus", "alertmanager", 9093],
    ["employee-api", "postgres", 5432],
    ["employee-api", "redis", 6379],
    ["employee-api", otel, 4317],
    ["employee-api", dns, 53, "UDP"],
    ["postgres", dns, 53, "UDP"],
    ["grafana", "prometheus", 9090],
  ];
  const forbid = [
    [nginx, "employee-api", 9091],
    [nginx, "postgres", 5432],
    [nginx, "redis", 6379],
    [nginx, "grafana", 3000],
    [nginx, "prometheus", 9090],
    [stranger, "employee-api", 8080],
    [spoof, "postgres", 5432],
    [spoof, "redis", 6379],
    ["employee-api", "grafana", 3000],
    ["employee-api", "prometheus", 9090],
    ["redis", "postgres", 5432],
    ["grafana", "postgres", 5432],
    ["grafana", "employee-api", 8080],
    ["postgres", "employee-api", 8080],
    ["alertmanager", "postgres", 5432],
  ];
  if (pods.some((p) => p.cloudNativePg)) {
    // CloudNativePG (docs: the operator reaches every instance on 8000 and 5432; instances reach each other and
    // the API server).
    const operator = external("cloudnative-pg-operator", "cnpg-system", { "app.kubernetes.io/name": "cloudnative-pg" });
    const operatorLookAlike = external("cloudnative-pg look-alike in another namespace", "intruder", { "app.kubernetes.io/name": "cloudnative-pg" });
    const apiServer = external("kube-apiserver", "default", { component: "apiserver" });
    need.push(
      [operator, "postgres", 8000],
      [operator, "postgres", 5432],
      ["postgres", "postgres", 5432],
      ["postgres", "postgres", 8000],
      ["postgres", apiServer, 443],
    );
    forbid.push(
      [operatorLookAlike, "postgres", 8000],
      [nginx, "postgres", 8000],
      ["employee-api", "postgres", 8000],
      ["prometheus", "postgres", 5432],
      ["postgres", "redis", 6379],
    );
  }
  const resolve = (x) => (typeof x === "string" ? pod(x) : x);
  for (const [want, list] of [
    [true, need],
    [false, forbid],
  ]) {
    for (const [s, d, port, proto = "TCP"] of list) {
      const src = resolve(s);
      const dst = resolve(d);
      const label = `NetworkPolicy ${want ? "allows" : "blocks"} ${src?.name ?? s} -> ${dst?.name ?? d}:${port}/${proto}`;
      if (!src || !dst) {
        results.push([label, false, "pod not found in the render"]);
        continue;
      }
      results.push([label, allowed(policies, src, dst, port, proto) === want, ""]);
    }
  }
  return results;
}
