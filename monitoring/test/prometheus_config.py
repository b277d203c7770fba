#!/usr/bin/python3
"""Mechanical transformations of monitoring/prometheus/prometheus.yml, documented in docs/operations/observability.md.

  kubernetes-check SRC OUT   Validates every kubernetes_sd_configs block (fields, role, and each __meta_kubernetes_*
                             label a relabel rule reads must exist for that role), then writes OUT with each
                             kubernetes_sd_configs replaced by an equivalent-position file_sd_configs, so that
                             Debian's promtool (built without Kubernetes discovery) can check everything else:
                             relabel regexes and actions, TLS and authorization blocks, intervals, alerting.
  local SRC OUT RULES_DIR    Writes the configuration the local end-to-end check runs: the Kubernetes-only jobs are
                             dropped, every other job keeps its name, metrics path and scheme but gets a static
                             loopback target instead of Kubernetes discovery, carrying as static labels exactly the
                             labels its relabel_configs produce in Kubernetes (namespace, pod, node); rule files are
                             read from RULES_DIR. The loopback ports come from the environment (LOCAL_PORT_*, see
                             local_targets), so that the check can ask the kernel for free ones.
  compose SRC OUT RULES_DIR  The same for the compose stack (compose.yaml): targets are the compose services' names;
                             its output is committed as deploy/compose/prometheus.yml, and deploy/compose/check.sh
                             proves that file equals a fresh transformation.
"""
import os
import re
import sys

import yaml

# Jobs that only make sense inside a cluster (their targets come from the Kubernetes API): dropped locally.
KUBERNETES_ONLY = {"kubernetes-apiservers", "kubernetes-nodes", "kubernetes-pods", "cloudnative-pg"}

# Local stand-ins for the jobs that also run here: loopback targets and the labels relabeling gives them in Kubernetes.
def local_targets(env):
    def at(name):
        port = env.get(f"LOCAL_PORT_{name}")
        if not port or not port.isdigit():
            sys.exit(f"LOCAL_PORT_{name} must be set to the port the local check started it on")
        return f"127.0.0.1:{port}"

    targets = {
        "employee-api": [(at("MANAGEMENT"), {"namespace": "local", "pod": "employee-api-local"})],
        "postgres-exporter": [
            (at("PG_EXPORTER"), {"namespace": "local", "pod": "postgres-local"}),
            (at("PG_REPLICA_EXPORTER"), {"namespace": "local", "pod": "postgres-replica-local"}),
        ],
        "redis-exporter": [(at("REDIS_EXPORTER"), {"namespace": "local", "pod": "redis-local"})],
        "node-exporter": [(at("NODE_EXPORTER"), {"node": "local"})],
    }
    return targets, at("ALERTMANAGER")


# The same jobs in the compose stack (compose.yaml): the services' DNS names on the compose network.
def compose_targets():
    targets = {
        "employee-api": [(f"employee-api-{n}:9091", {"namespace": "compose", "pod": f"employee-api-{n}"})
                         for n in (1, 2)],
        "postgres-exporter": [
            ("postgres-exporter:9187", {"namespace": "compose", "pod": "postgres"}),
            ("postgres-replica-exporter:9187", {"namespace": "compose", "pod": "postgres-replica"}),
        ],
        "redis-exporter": [("redis-exporter:9121", {"namespace": "compose", "pod": "redis"})],
        "node-exporter": [("node-exporter:9100", {"node": "compose-host"})],
    }
    return targets, "alertmanager:9093"

# kubernetes_sd_config fields (Prometheus configuration reference) and the meta labels each role provides.
SD_FIELDS = {
    "api_server", "role", "kubeconfig_file", "basic_auth", "authorization", "oauth2", "proxy_url", "no_proxy",
    "proxy_from_environment", "proxy_connect_header", "follow_redirects", "enable_http2", "tls_config",
    "namespaces", "selectors", "attach_metadata",
}
POD_LABELS = [
    "namespace", "pod_name", "pod_ip", "pod_label_*", "pod_labelpresent_*", "pod_annotation_*",
    "pod_annotationpresent_*", "pod_container_init", "pod_container_name", "pod_container_id",
    "pod_container_image", "pod_container_port_name", "pod_container_port_number", "pod_container_port_protocol",
    "pod_ready", "pod_phase", "pod_node_name", "pod_host_ip", "pod_uid", "pod_controller_kind",
    "pod_controller_name",
]
SERVICE_LABELS = [
    "namespace", "service_annotation_*", "service_annotationpresent_*", "service_cluster_ip",
    "service_loadbalancer_ip", "service_external_name", "service_label_*", "service_labelpresent_*",
    "service_name", "service_port_name", "service_port_number", "service_port_protocol", "service_type",
]
ROLE_LABELS = {
    "node": ["node_name", "node_provider_id", "node_label_*", "node_labelpresent_*", "node_annotation_*",
             "node_annotationpresent_*", "node_address_*"],
    "service": SERVICE_LABELS,
    "pod": POD_LABELS,
    "endpoints": ["namespace", "endpoints_name", "endpoints_label_*", "endpoints_labelpresent_*",
                  "endpoints_annotation_*", "endpoints_annotationpresent_*", "endpoint_hostname",
                  "endpoint_node_name", "endpoint_ready", "endpoint_port_name", "endpoint_port_protocol",
                  "endpoint_address_target_kind", "endpoint_address_target_name"] + SERVICE_LABELS + POD_LABELS,
    "endpointslice": ["namespace", "endpointslice_*"] + SERVICE_LABELS + POD_LABELS,
    "ingress": ["namespace", "ingress_name", "ingress_label_*", "ingress_labelpresent_*", "ingress_annotation_*",
                "ingress_annotationpresent_*", "ingress_class_name", "ingress_scheme", "ingress_path"],
}
LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


def meta_label_ok(role, label):
    name = label[len("__meta_kubernetes_"):]
    for pattern in ROLE_LABELS[role]:
        if pattern.endswith("*"):
            if name.startswith(pattern[:-1]) and LABEL_NAME.match(name):
                return True
        elif name == pattern:
            return True
    return False


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def dump(config, path):
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(config, f, sort_keys=False)


def kubernetes_check(src, out):
    config = load(src)
    errors = []
    for job in config["scrape_configs"]:
        sds = job.get("kubernetes_sd_configs")
        if not sds:
            continue
        roles = set()
        for sd in sds:
            unknown = set(sd) - SD_FIELDS
            if unknown:
                errors.append(f"{job['job_name']}: unknown kubernetes_sd_configs fields {sorted(unknown)}")
            if sd.get("role") not in ROLE_LABELS:
                errors.append(f"{job['job_name']}: role {sd.get('role')!r} is not one of {sorted(ROLE_LABELS)}")
                continue
            namespaces = sd.get("namespaces", {})
            if set(namespaces) - {"names", "own_namespace"}:
                errors.append(f"{job['job_name']}: unknown namespaces fields {sorted(namespaces)}")
            roles.add(sd["role"])
        for rule in job.get("relabel_configs", []):
            for label in rule.get("source_labels", []):
                if label.startswith("__meta_kubernetes_") and not any(meta_label_ok(r, label) for r in roles):
                    errors.append(f"{job['job_name']}: {label} is not provided by role(s) {sorted(roles)}")
            regex = rule.get("regex", "")
            if rule.get("action") == "labelmap" and regex.startswith("__meta_kubernetes_"):
                prefix = regex.split("(")[0]
                if not any(meta_label_ok(r, prefix + "x") for r in roles):
                    errors.append(f"{job['job_name']}: labelmap {regex} matches no label of {sorted(roles)}")
        # Same position, a discovery Debian's promtool knows: promtool then checks the rest of the job.
        job["file_sd_configs"] = [{"files": [f"/etc/prometheus/kubernetes-sd-{job['job_name']}.json"]}]
        del job["kubernetes_sd_configs"]
    if errors:
        print("\n".join("kubernetes_sd_configs: " + e for e in errors), file=sys.stderr)
        sys.exit(1)
    dump(config, out)
    print(f"kubernetes_sd_configs: {sum(1 for j in load(src)['scrape_configs'] if 'kubernetes_sd_configs' in j)} "
          "jobs valid (fields, roles, meta labels)")


def produced_labels(job):
    """Visible labels (not __*) that the job's relabel_configs set: the local static labels must be exactly these."""
    return {r["target_label"] for r in job.get("relabel_configs", [])
            if r.get("target_label") and not r["target_label"].startswith("__")}


def local(src, out, rules_dir, form="local"):
    config = load(src)
    local_targets_by_job, alertmanager = local_targets(os.environ) if form == "local" else compose_targets()
    jobs = []
    for job in config["scrape_configs"]:
        name = job["job_name"]
        if name in KUBERNETES_ONLY:
            continue
        if name not in local_targets_by_job:
            sys.exit(f"job {name} has no local target: add it to local_targets() or KUBERNETES_ONLY")
        expected = produced_labels(job)
        static = []
        for target, labels in local_targets_by_job[name]:
            if set(labels) != expected:
                sys.exit(f"job {name}: local labels {sorted(labels)} differ from the relabeled {sorted(expected)}")
            static.append({"targets": [target], "labels": labels})
        job.pop("kubernetes_sd_configs", None)
        job.pop("relabel_configs", None)
        job["static_configs"] = static
        jobs.append(job)
    config["scrape_configs"] = jobs
    config["rule_files"] = [f"{rules_dir}/*.yml"]
    config["alerting"] = {"alertmanagers": [{"static_configs": [{"targets": [alertmanager]}]}]}
    dump(config, out)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "kubernetes-check":
        kubernetes_check(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] in ("local", "compose"):
        local(sys.argv[2], sys.argv[3], sys.argv[4], form=sys.argv[1])
    else:
        sys.exit(__doc__)
