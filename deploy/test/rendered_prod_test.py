#!/usr/bin/python3
"""Tests on the rendered Kubernetes overlays (issue 9 acceptance 1): run `python3 deploy/test/rendered_prod_test.py`.

prod: employee-api is an Argo Rollouts Rollout (blue-green) whose every reference resolves in the rendered output -
Services, AnalysisTemplates, generated (hash-suffixed) ConfigMaps, ServiceAccount, the HPA's target - and whose
labels match the Services, PDB and selectors. The same assertions run again on a throw-away overlay that puts a
name prefix and an extra common label on top of prod: they pass only because k8s/overlays/prod/blue-green/
kustomizeconfig.yaml teaches kustomize the Rollout's fields (without it they fail; the mutation step shows that).
The analysis queries keep the recording rules' expressions and the alerts' thresholds, and promtool evaluates them
on synthetic series: 0 on no traffic, the real ratio / p95 on traffic, only the new pods counted.
dev/staging: plain Deployments with a rolling update that never drops capacity, preStop and graceful shutdown.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FAILURES = []
EXPECT_FAILURES = False  # during the mutation self-test a failing check is the expected outcome


def check(ok, what):
    print(("  ok   " if ok else ("  caught " if EXPECT_FAILURES else "  FAIL ")) + what)
    if not ok:
        FAILURES.append(what)


def render(path):
    out = subprocess.run(["kubectl", "kustomize", path], check=True, capture_output=True, text=True).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def find(docs, kind, name=None):
    return [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]


def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_rollout(docs, label, prefix=""):
    print(f"[{label}]")
    rollouts = find(docs, "Rollout")
    check(len(rollouts) == 1, f"exactly one Rollout (found {len(rollouts)})")
    if not rollouts:
        return None
    ro = rollouts[0]
    name = ro["metadata"]["name"]
    check(name == prefix + "employee-api", f"Rollout is named {prefix}employee-api ({name})")
    check(not find(docs, "Deployment", name), "no Deployment of the same name beside the Rollout")
    spec = ro["spec"]
    check("replicas" not in spec, "Rollout leaves replicas to the HPA (no spec.replicas)")
    bg = spec.get("strategy", {}).get("blueGreen", {})
    check(set(spec.get("strategy", {})) == {"blueGreen"}, "strategy is blueGreen only")
    tmpl_labels = spec["template"]["metadata"]["labels"]
    check(matches(spec["selector"]["matchLabels"], tmpl_labels), "Rollout selector matches its pod template labels")
    services = {s["metadata"]["name"]: s for s in find(docs, "Service")}
    for field in ("activeService", "previewService"):
        svc = services.get(bg.get(field))
        check(svc is not None, f"{field} {bg.get(field)!r} is a rendered Service")
        if svc:
            check(matches(svc["spec"]["selector"], tmpl_labels), f"{field} selector matches the Rollout's pods")
    check(bg.get("activeService") != bg.get("previewService"), "active and preview Services differ")
    ingress_backends = [p["backend"]["service"]["name"] for i in find(docs, "Ingress")
                        for r in i["spec"]["rules"] for p in r["http"]["paths"]]
    check(bool(ingress_backends) and set(ingress_backends) == {bg.get("activeService")},
          f"every Ingress path routes to the activeService ({ingress_backends})")
    check(isinstance(bg.get("autoPromotionEnabled"), bool), "autoPromotionEnabled is chosen explicitly")
    check(int(bg.get("scaleDownDelaySeconds", 0)) >= 300, "scaleDownDelaySeconds keeps the old pods >= 5 min")
    templates = {t["metadata"]["name"]: t for t in find(docs, "AnalysisTemplate")}
    for phase in ("prePromotionAnalysis", "postPromotionAnalysis"):
        refs = [t["templateName"] for t in bg.get(phase, {}).get("templates", [])]
        check(bool(refs) and all(r in templates for r in refs), f"{phase} templates {refs} are rendered")
        for r in refs:
            wanted = {a["name"] for a in templates.get(r, {}).get("spec", {}).get("args", [])}
            given = {a["name"]: a for a in bg[phase].get("args", [])}
            check(wanted <= set(given), f"{phase} passes every argument {sorted(wanted)} of {r}")
            if "new-hash" in given:
                check(given["new-hash"].get("valueFrom") == {"podTemplateHashValue": "Latest"},
                      f"{phase}: new-hash is the new pods' hash (podTemplateHashValue: Latest)")
    configmaps = {c["metadata"]["name"] for c in find(docs, "ConfigMap")}
    pod = spec["template"]["spec"]
    refs = [e["configMapRef"]["name"] for c in pod["containers"] for e in c.get("envFrom", []) if "configMapRef" in e]
    check(bool(refs) and all(r in configmaps for r in refs), f"Rollout envFrom ConfigMaps {refs} are rendered")
    check(all(re.search(r"-[a-z0-9]{10}$", r) for r in refs), "Rollout refers to the hash-suffixed generated name")
    check(pod.get("serviceAccountName") in {s["metadata"]["name"] for s in find(docs, "ServiceAccount")},
          f"Rollout's ServiceAccount {pod.get('serviceAccountName')} is rendered")
    for t in find(docs, "AnalysisTemplate"):
        for m in t["spec"]["metrics"]:
            job = m.get("provider", {}).get("job")
            if job:
                vols = [v["configMap"]["name"] for v in job["spec"]["template"]["spec"].get("volumes", [])
                        if "configMap" in v]
                check(bool(vols) and all(v in configmaps for v in vols),
                      f"{t['metadata']['name']}/{m['name']}: Job volume ConfigMaps {vols} are rendered")
    for tsc in pod.get("topologySpreadConstraints", []):
        check(tsc.get("matchLabelKeys") == ["rollouts-pod-template-hash"],
              f"topology spread per version ({tsc['topologyKey']}: {tsc.get('matchLabelKeys')})")
    hpas = find(docs, "HorizontalPodAutoscaler")
    check(len(hpas) == 1, "one HPA")
    for h in hpas:
        ref = h["spec"]["scaleTargetRef"]
        check(ref == {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": name},
              f"HPA targets the Rollout ({ref})")
        check((h["spec"]["minReplicas"], h["spec"]["maxReplicas"]) == (3, 10), "HPA 3-10")
    for p in find(docs, "PodDisruptionBudget"):
        check(matches(p["spec"]["selector"]["matchLabels"], tmpl_labels), "PDB selects the Rollout's pods")
    return ro


def check_analysis_queries(docs):
    print("[prod analysis queries]")
    rules = yaml.safe_load(open(os.path.join(ROOT, "monitoring/prometheus/rules/recording.yml")))
    alerts = yaml.safe_load(open(os.path.join(ROOT, "monitoring/prometheus/rules/alerts.yml")))
    rec = {r["record"]: r["expr"] for g in rules["groups"] for r in g["rules"] if "record" in r}
    alert = {r["alert"]: r["expr"] for g in alerts["groups"] for r in g["rules"] if "alert" in r}
    err_threshold = re.search(r">\s*([0-9.]+)\s*$", alert["HighErrorRate"]).group(1)
    p95_threshold = re.search(r">\s*([0-9.]+)\s*$", alert["HighResponseTime"]).group(1)
    metrics = {m["name"]: m for t in find(docs, "AnalysisTemplate") for m in t["spec"]["metrics"]}
    for mname, threshold in (("error-ratio", err_threshold), ("preview-error-ratio", err_threshold),
                             ("p95-latency", p95_threshold)):
        m = metrics.get(mname)
        check(m is not None, f"metric {mname} exists")
        if not m:
            continue
        check(m["successCondition"] == f"result[0] < {threshold}",
              f"{mname}: successCondition {m['successCondition']!r} uses the alert threshold {threshold}")
        q = m["provider"]["prometheus"]["query"]
        narrowed = 'pod=~".+-{{args.new-hash}}-[a-z0-9]+", uri!~"/api/v1/health/.+"}'
        check(q.count(narrowed) == q.count("rate("),
              f"{mname}: every rate() is narrowed to the new pods, probe requests left out")
    # The metric, job selector and window of the recording rules the alerts read.
    def selectors(expr):
        return sorted(set(re.findall(r"rate\((\w+)\{job=\"employee-api\"", re.sub(r"\s+", " ", expr))))
    err_rule = rec["namespace_pod:http_server_requests:rate5m"] + rec["namespace_pod:http_server_requests_5xx:rate5m"]
    p95_rule = rec["namespace_le:http_server_requests_seconds_bucket:rate5m"]
    for mname, rule in (("error-ratio", err_rule), ("p95-latency", p95_rule)):
        q = metrics[mname]["provider"]["prometheus"]["query"]
        check(selectors(q) == selectors(rule), f"{mname}: same series as the recording rule ({selectors(rule)})")
        check(set(re.findall(r"\[(\w+)\]", q)) == set(re.findall(r"\[(\w+)\]", rule)) == {"5m"},
              f"{mname}: same 5m window as the recording rule")
        check(('status=~"5.."' in q) == ('status=~"5.."' in rule), f"{mname}: same 5xx matcher as the rule")
    check("http_server_requests_seconds_bucket" in metrics["p95-latency"]["provider"]["prometheus"]["query"]
          and "histogram_quantile(0.95" in rec["namespace:http_server_requests_seconds:p95_5m"],
          "p95-latency is the p95 of the same histogram as the p95 recording rule")
    stab = [m for t in find(docs, "AnalysisTemplate", "employee-api-stability") for m in t["spec"]["metrics"]]
    for m in stab:
        secs = int(m["interval"].rstrip("s")) * (m["count"] - 1)
        check(secs >= 300, f"{m['name']}: measurements span {secs} s (>= the 5-minute stability window)")
    promtool_behaviour(metrics)


def promtool_behaviour(metrics, label="promtool: queries answer 0 without traffic and the new pods' ratio / p95 with it"):
    """promtool test rules: each analysis query as a recording rule, evaluated on synthetic series."""
    if not shutil.which("promtool"):
        check(False, "promtool on PATH (apt-get install prometheus)")
        return
    new, old = "abcde12345", "zyxwv98765"
    work = tempfile.mkdtemp(prefix="analysis-promtool.")
    rules = {"groups": [{"name": "analysis", "rules": [
        {"record": "analysis:" + n.replace("-", "_"),
         "expr": metrics[n]["provider"]["prometheus"]["query"].replace("{{args.new-hash}}", new)}
        for n in ("error-ratio", "p95-latency")]}]}
    with open(os.path.join(work, "rules.yml"), "w") as f:
        yaml.safe_dump(rules, f)

    def series(pod, status, per_min, le=None, uri="/api/v1/employees"):
        labels = f'job="employee-api", pod="employee-api-{pod}-q7x2k", status="{status}", uri="{uri}"'
        if le is None:
            return {"series": f"http_server_requests_seconds_count{{{labels}}}", "values": f"0+{per_min}x20"}
        return {"series": f'http_server_requests_seconds_bucket{{{labels}, le="{le}"}}', "values": f"0+{per_min}x20"}

    cases = [
        # No series of the new pods at all (old pods failing do not count): both 0.
        ("no traffic on the new pods", [series(old, "500", 60)], 0, 0),
        # Series exist but stand still (0/0 = NaN): both 0.
        # A starting pod's readiness probe answers 503 until ready: not user traffic.
        ("only probe 503s on the new pods", [series(new, "503", 6, uri="/api/v1/health/ready"),
                                             series(new, "503", 6, "+Inf", uri="/api/v1/health/ready")], 0, 0),
        ("new pods idle", [series(new, "200", 0), series(new, "200", 0, "0.1"), series(new, "200", 0, "+Inf")], 0, 0),
        # 10 % 5xx on the new pods, all requests faster than 0.1 s; 100 % 5xx on the old pods is ignored.
        ("10 % errors on the new pods", [series(new, "200", 54), series(new, "500", 6), series(old, "500", 60),
                                         series(new, "200", 54, "0.1"), series(new, "200", 54, "+Inf"),
                                         series(new, "500", 6, "0.1"), series(new, "500", 6, "+Inf")], 0.1, 0.095),
    ]
    tests = []
    for name, input_series, ratio, p95 in cases:
        tests.append({"interval": "1m", "input_series": input_series, "name": name, "promql_expr_test": [
            {"expr": "analysis:error_ratio", "eval_time": "10m", "exp_samples": [{"labels": "analysis:error_ratio", "value": ratio}]},
            {"expr": "analysis:p95_latency", "eval_time": "10m", "exp_samples": [{"labels": "analysis:p95_latency", "value": p95}]},
        ]})
    with open(os.path.join(work, "test.yml"), "w") as f:
        yaml.safe_dump({"rule_files": ["rules.yml"], "evaluation_interval": "1m", "tests": tests}, f)
    res = subprocess.run(["promtool", "test", "rules", "test.yml"], cwd=work, capture_output=True, text=True)
    check(res.returncode == 0, label + ("" if res.returncode == 0 or EXPECT_FAILURES else "\n" + res.stdout + res.stderr))
    shutil.rmtree(work)


def check_rolling(env):
    print(f"[{env}]")
    docs = render(os.path.join(ROOT, "k8s/overlays", env))
    check(not find(docs, "Rollout") and not find(docs, "AnalysisTemplate"), "no Rollout / AnalysisTemplate")
    dep = find(docs, "Deployment", "employee-api")
    check(len(dep) == 1, "Deployment employee-api")
    if not dep:
        return
    d = dep[0]["spec"]
    ru = d["strategy"].get("rollingUpdate", {})
    check(d["strategy"]["type"] == "RollingUpdate" and ru.get("maxUnavailable") == 0 and ru.get("maxSurge", 0) != 0,
          f"rolling update that never drops capacity ({ru})")
    c = d["template"]["spec"]["containers"][0]
    check(c.get("lifecycle", {}).get("preStop") is not None, "preStop hook (drain before SIGTERM)")
    check(d["template"]["spec"].get("terminationGracePeriodSeconds", 30) >= 30, "grace period for graceful shutdown")
    hpa = find(docs, "HorizontalPodAutoscaler")
    check(bool(hpa) and hpa[0]["spec"]["scaleTargetRef"]["kind"] == "Deployment", "HPA targets the Deployment")


def mutated_prod(with_config=True):
    """A throw-away overlay on top of prod: name prefix + an extra common label. Kustomize applies a
    `configurations` file only to the transformers of the kustomization that lists it, so an overlay that renames
    Rollouts must list k8s/overlays/prod/blue-green/kustomizeconfig.yaml too (docs/deployment/blue-green.md)."""
    base = os.path.join(ROOT, "target", "rendered-test")
    os.makedirs(base, exist_ok=True)
    work = tempfile.mkdtemp(dir=base)
    src = os.path.join(ROOT, "k8s/overlays/prod")
    top_config = {"namePrefix": "eu-", "commonLabels": {"region": "eu"}}
    if with_config:
        os.makedirs(os.path.join(work, "top"))
        shutil.copy(os.path.join(src, "blue-green/kustomizeconfig.yaml"), os.path.join(work, "top"))
        top_config["configurations"] = ["kustomizeconfig.yaml"]
    else:
        # A copy of the repository's manifests whose blue-green component lacks the kustomize configuration.
        for d in ("k8s", "monitoring"):
            shutil.copytree(os.path.join(ROOT, d), os.path.join(work, d))
        comp = os.path.join(work, "k8s/overlays/prod/blue-green/kustomization.yaml")
        with open(comp) as f:
            k = yaml.safe_load(f)
        k.pop("configurations")
        with open(comp, "w") as f:
            yaml.safe_dump(k, f)
        src = os.path.join(work, "k8s/overlays/prod")
        os.makedirs(os.path.join(work, "top"))
    top = os.path.join(work, "top")
    top_config["resources"] = [os.path.relpath(src, top)]
    with open(os.path.join(top, "kustomization.yaml"), "w") as f:
        yaml.safe_dump(top_config, f)
    try:
        return render(top)
    finally:
        shutil.rmtree(work)


def main():
    prod = render(os.path.join(ROOT, "k8s/overlays/prod"))
    ro = check_rollout(prod, "prod")
    if ro:
        smoke = [c for c in find(prod, "ConfigMap") if c["metadata"]["name"].startswith("employee-api-smoke-test-")]
        with open(os.path.join(ROOT, "deploy/smoke-test.sh")) as f:
            check(len(smoke) == 1 and smoke[0]["data"]["smoke-test.sh"] == f.read(),
                  "the smoke Job mounts exactly deploy/smoke-test.sh")
        cmd = [m for t in find(prod, "AnalysisTemplate") for m in t["spec"]["metrics"] if "job" in m.get("provider", {})]
        url = cmd[0]["provider"]["job"]["spec"]["template"]["spec"]["containers"][0]["command"][-1] if cmd else ""
        check(url == "http://" + ro["spec"]["strategy"]["blueGreen"]["previewService"],
              f"the smoke Job calls the previewService ({url})")
    check_analysis_queries(prod)
    mutated = mutated_prod()
    ro2 = check_rollout(mutated, "prod + namePrefix eu- + commonLabels region=eu", prefix="eu-")
    if ro2:
        check(ro2["spec"]["selector"]["matchLabels"].get("region") == "eu"
              and ro2["spec"]["template"]["metadata"]["labels"].get("region") == "eu",
              "common labels reach the Rollout's selector and pod template")
    for env in ("dev", "staging"):
        check_rolling(env)
    if "--mutation" in sys.argv:
        # Self-test: without the kustomize configuration the reference checks must fail.
        global EXPECT_FAILURES
        before = len(FAILURES)
        EXPECT_FAILURES = True
        check_rollout(mutated_prod(with_config=False), "MUTATION: no kustomizeconfig.yaml (failures expected)",
                      prefix="eu-")
        EXPECT_FAILURES = False
        caught = len(FAILURES) - before
        del FAILURES[before:]
        check(caught > 0, f"mutation caught: {caught} reference checks fail without kustomizeconfig.yaml")
        # Self-test of the PromQL behaviour test: each guard of the queries removed in turn must fail it.
        metrics = {m["name"]: m for t in find(prod, "AnalysisTemplate") for m in t["spec"]["metrics"]}
        for what, old, new in (("no `or vector(0)`", " or vector(0)", ""),
                               ("no probe filter", ', uri!~"/api/v1/health/.+"', ""),
                               ("no pod filter", 'pod=~".+-{{args.new-hash}}-[a-z0-9]+", ', "")):
            mutated = {n: {**m, "provider": {"prometheus": {**m["provider"]["prometheus"],
                                                            "query": m["provider"]["prometheus"]["query"].replace(old, new)}}}
                       for n, m in metrics.items() if "prometheus" in m.get("provider", {})}
            before = len(FAILURES)
            EXPECT_FAILURES = True
            promtool_behaviour(mutated, f"MUTATION {what}: promtool test (failure expected)")
            EXPECT_FAILURES = False
            caught = len(FAILURES) - before
            del FAILURES[before:]
            check(caught > 0, f"mutation caught: the promtool test fails with {what}")
    print(f"rendered-output test: {len(FAILURES)} failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
