#!/usr/bin/env python3
"""Mutation self-test of the infrastructure gates: each mutation breaks one thing in a copy of a real input
(a workflow, the rendered prod overlay, the Dockerfile, a script, a YAML file) and the gate that owns that
thing must reject the copy, with the expected finding. The unmutated copies must pass, so every rejection is
the mutation's doing.

    selftest-gates.py RENDER_DIR      (ci/lint-infra.sh passes its render directory; tools on PATH)

Prints one line per mutation ("ok   caught by ...") and "selftest-gates: N passed, N failed"."""
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
render = sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__)
work = tempfile.mkdtemp(prefix="employee-mgmt-selftest-")
passed = failed = 0


def run(cmd):
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def expect(label, cmd, needle, must_fail=True):
    """Runs the gate; a mutation must make it exit non-zero with `needle` (a regex) in its output."""
    global passed, failed
    rc, out = run(cmd)
    if must_fail:
        ok = rc != 0 and re.search(needle, out) is not None
    else:
        ok = rc == 0
    if ok:
        passed += 1
        sources = sorted(set(re.findall(r"\[(languageservice|workflow-parser|convention)\]", out)))
        if re.search(r"^\S+\.ya?ml:\d+:\d+: .*\[[a-z-]+\]$", out, re.M):
            sources.insert(0, "actionlint")
        extra = f" (caught by {', '.join(sources)})" if must_fail and sources else ""
        print(f"ok   {label}{extra}")
    else:
        failed += 1
        print(f"FAIL {label}: exit {rc}, expected {'a finding ' + needle if must_fail else 'a pass'}\n{out[-1500:]}")


def write(name, text):
    path = os.path.join(work, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def mutate_text(label, text, old, new, count=1):
    if old not in text:
        raise SystemExit(f"selftest-gates: mutation '{label}' does not apply (no '{old}')")
    return text.replace(old, new, count)


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


try:
    # ---- workflows: actionlint + GitHub's validator + conventions ----
    wf = "bash ci/lint-workflows.sh".split()
    build = read(".github/workflows/build.yml")
    test = read(".github/workflows/test.yml")
    expect("workflow baseline: build.yml copy passes", wf + [write("wf/ok/build.yml", build)], "", must_fail=False)
    workflow_mutations = [
        ("unknown key (timeout_minutes)", build, "    timeout-minutes: 20\n    permissions:\n      contents: read\n      packages: write # manifest",
         "    timeout_minutes: 20\n    permissions:\n      contents: read\n      packages: write # manifest", r"timeout_minutes"),
        ("bad needs (needs: buidl)", build, "    needs: build\n", "    needs: buidl\n", r"buidl"),
        ("bad expression context (github.event_nam)", test, "github.event_name == 'push'", "github.event_nam == 'push'", r"event_nam"),
        ("missing permission (publish job without id-token: write)", build,
         "      id-token: write # keyless cosign signature and attestations (Sigstore, GitHub OIDC)\n", "", r"needs permission id-token"),
        ("invalid permission value (id-token: read)", build, "      id-token: write # keyless", "      id-token: read # keyless", r"read"),
        ("action pinned by tag instead of SHA", test, "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
         "actions/checkout@v7 # v7.0.1", r"not pinned by a full commit SHA"),
        ("untrusted ${{ }} inside run:", build, 'run: cosign sign --yes "$REF"',
         'run: cosign sign --yes "${{ github.head_ref }}"', r"inside run:"),
        ("publishing step without a fork/PR guard", build,
         "      - name: Log in to GitHub Container Registry\n        if: github.event_name != 'pull_request' && github.repository == vars.PUBLISH_REPOSITORY\n",
         "      - name: Log in to GitHub Container Registry\n", r"not guarded|neither it nor its job"),
        ("job without timeout-minutes", test, "    timeout-minutes: 20\n", "", r"no timeout-minutes"),
        ("top-level permissions write-all", test, "permissions:\n  contents: read\n\nconcurrency", "permissions: write-all\n\nconcurrency",
         r"top-level permissions"),
        ("run: calls a script that does not exist", build, "bash ci/merge-manifest.sh", "bash ci/merge-manifests.sh", r"not in the repository"),
    ]
    for i, (label, base, old, new, needle) in enumerate(workflow_mutations):
        name = "build.yml" if base is build else "test.yml"
        expect(f"workflow: {label}", wf + [write(f"wf/m{i}/{name}", mutate_text(label, base, old, new))], needle)

    # ---- Kubernetes manifests: kubeconform (schemas) and checkov (misconfiguration) ----
    # The staging render: its employee-api is a Deployment, which checkov analyses (it has no Rollout checks;
    # prod's Rollout carries the same pod template, k8s/overlays/prod/blue-green).
    with open(os.path.join(render, "k8s", "staging.yaml"), encoding="utf-8") as f:
        prod = [d for d in yaml.safe_load_all(f) if d]

    def find(docs, kind, name):
        return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)

    def api(docs):
        return find(docs, "Deployment", "employee-api")["spec"]["template"]["spec"]["containers"][0]

    kc = ["bash", "ci/kubeconform.sh"]
    rollout = {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
        "metadata": {"name": "employee-api", "namespace": "employee-mgmt-prod"},
        "spec": {"workloadRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "employee-api"},
                 "strategy": {"blueGreen": {"activeService": "employee-api", "previewService": "employee-api-preview",
                                            "autoPromotionEnabled": False, "scaleDownDelaySeconds": 300}}},
    }
    analysis = {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisTemplate",
        "metadata": {"name": "error-rate", "namespace": "employee-mgmt-prod"},
        "spec": {"metrics": [{"name": "error-rate", "interval": "1m", "count": 5, "failureLimit": 1,
                              "successCondition": "len(result) == 0 || result[0] < 0.01",
                              "provider": {"prometheus": {"address": "http://prometheus:9090",
                                                          "query": "sum(rate(x[1m]))"}}}]},
    }

    def dump(name, docs):
        return write(name, yaml.safe_dump_all(docs, sort_keys=False))

    expect("kubeconform baseline: prod copy + a Rollout and an AnalysisTemplate pass",
           kc + [dump("k8s/ok.yaml", copy.deepcopy(prod) + [rollout, analysis])], "", must_fail=False)

    def m_replicass(d):
        find(d, "Deployment", "employee-api")["spec"]["replicass"] = 3

    def m_nested(d):
        api(d)["readinessProbes"] = api(d)["readinessProbe"]

    def m_port_type(d):
        api(d)["ports"][0]["containerPort"] = "8080"

    def m_api_version(d):
        find(d, "HorizontalPodAutoscaler", "employee-api")["apiVersion"] = "autoscaling/v2beta9"

    def m_no_containers(d):
        del find(d, "Deployment", "redis")["spec"]["template"]["spec"]["containers"]

    def m_rollout_field(d):
        r = copy.deepcopy(rollout)
        r["spec"]["strategy"]["blueGreen"]["activeServic"] = r["spec"]["strategy"]["blueGreen"].pop("activeService")
        d.append(r)

    def m_analysis_type(d):
        a = copy.deepcopy(analysis)
        a["spec"]["metrics"][0]["failureLimit"] = {"max": 1}
        d.append(a)

    def m_unknown_kind(d):
        d.append({"apiVersion": "example.invalid/v1", "kind": "Widget", "metadata": {"name": "w"}})

    for i, (label, fn, needle) in enumerate([
        ("unknown field spec.replicass", m_replicass, r"replicass"),
        ("unknown nested field readinessProbes", m_nested, r"readinessProbes"),
        ("containerPort as a string", m_port_type, r"containerPort|integer"),
        ("unknown apiVersion autoscaling/v2beta9", m_api_version, r"could not find schema|v2beta9"),
        ("Deployment without containers", m_no_containers, r"containers"),
        ("Rollout with a misspelt field (CRD schema)", m_rollout_field, r"activeServic"),
        ("AnalysisTemplate with a wrong type (CRD schema)", m_analysis_type, r"failureLimit"),
        ("kind without any schema", m_unknown_kind, r"could not find schema"),
    ]):
        docs = copy.deepcopy(prod)
        fn(docs)
        expect(f"kubeconform: {label}", kc + [dump(f"k8s/kc{i}.yaml", docs)], needle)

    # checkov starts slowly (~10 s), so it reads all mutated copies in one run; each copy must carry its finding.
    ck_mutations = []

    def m_privileged(d):
        api(d)["securityContext"]["privileged"] = True

    def m_host_network(d):
        find(d, "Deployment", "grafana")["spec"]["template"]["spec"]["hostNetwork"] = True

    def m_escalation(d):
        api(d)["securityContext"]["allowPrivilegeEscalation"] = True

    def m_latest(d):
        api(d)["image"] = "ghcr.io/employee-mgmt/employee-api:latest"

    def m_no_limits(d):
        del api(d)["resources"]["limits"]

    def m_no_liveness(d):
        del api(d)["livenessProbe"]

    def m_root(d):
        spec = find(d, "Deployment", "redis")["spec"]["template"]["spec"]
        spec["securityContext"]["runAsNonRoot"] = False
        spec["securityContext"]["runAsUser"] = 0
        for c in spec["containers"]:
            c["securityContext"].pop("runAsNonRoot", None)
            c["securityContext"].pop("runAsUser", None)

    def m_caps(d):
        api(d)["securityContext"]["capabilities"] = {"add": ["SYS_ADMIN"]}

    def m_writable_root(d):
        api(d)["securityContext"]["readOnlyRootFilesystem"] = False

    def m_seccomp(d):
        del find(d, "Deployment", "grafana")["spec"]["template"]["spec"]["securityContext"]["seccompProfile"]

    def m_token(d):
        find(d, "Deployment", "employee-api")["spec"]["template"]["spec"]["automountServiceAccountToken"] = True

    ck_mutations = [
        ("baseline: prod copy passes", None, None),
        ("privileged container", m_privileged, "CKV_K8S_16"),
        ("hostNetwork", m_host_network, "CKV_K8S_19"),
        ("allowPrivilegeEscalation: true", m_escalation, "CKV_K8S_20"),
        ("image tag latest", m_latest, "CKV_K8S_14"),
        ("no resource limits", m_no_limits, "CKV_K8S_13"),
        ("no liveness probe", m_no_liveness, "CKV_K8S_8"),
        ("runs as root", m_root, "CKV_K8S_23"),
        ("capability SYS_ADMIN added", m_caps, "CKV_K8S_39"),
        ("writable root filesystem", m_writable_root, "CKV_K8S_22"),
        ("no seccomp profile", m_seccomp, "CKV_K8S_31"),
        ("service account token mounted", m_token, "CKV_K8S_38"),
    ]
    ck_dir = os.path.join(work, "checkov")
    for i, (label, fn, _) in enumerate(ck_mutations):
        docs = copy.deepcopy(prod)
        if fn:
            fn(docs)
        # Each copy in its own namespace, so checkov's findings name the copy they are about.
        for d in docs:
            if d.get("metadata", {}).get("namespace"):
                d["metadata"]["namespace"] = f"ck{i}"
            if d["kind"] == "Namespace":
                d["metadata"]["name"] = f"ck{i}"
        dump(f"checkov/ck{i}.yaml", docs)
    rc, out = run(["checkov", "--config-file", "ci/checkov.yaml", "--framework", "kubernetes", "-d", ck_dir,
                   "-o", "json", "--quiet"])
    try:
        import json as _json
        reports = _json.loads(out[out.index("{"):]) if out.strip() else {}
        failed_checks = reports.get("results", {}).get("failed_checks", [])
    except ValueError:
        failed_checks = None
    for i, (label, fn, check_id) in enumerate(ck_mutations):
        if failed_checks is None:
            failed += 1
            print(f"FAIL checkov: {label}: could not read checkov's JSON output\n{out[-800:]}")
            continue
        found = {c["check_id"] for c in failed_checks if c["file_path"].endswith(f"/ck{i}.yaml")}
        if (fn is None and not found) or (fn is not None and check_id in found):
            passed += 1
            print(f"ok   checkov: {label}" + (f" (caught by {check_id})" if fn else ""))
        else:
            failed += 1
            print(f"FAIL checkov: {label}: expected {check_id or 'no finding'}, got {sorted(found) or 'none'}")

    # ---- Dockerfile: hadolint and checkov ----
    dockerfile = read("Dockerfile")
    hl = ["hadolint", "--config", ".hadolint.yaml"]
    expect("hadolint baseline: Dockerfile copy passes", hl + [write("docker/ok/Dockerfile", dockerfile)], "", must_fail=False)
    for i, (label, old, new, needle) in enumerate([
        ("last USER root", "USER 1000:1000", "USER root", r"DL3002"),
        ("shell-form ENTRYPOINT", '["java", "-XX:MaxRAMPercentage=60",', 'java -XX:MaxRAMPercentage=60 \\\n #', r"DL3025"),
        ("WORKDIR relative", "WORKDIR /app", "WORKDIR app", r"DL3000"),
        ("sudo in RUN", "    ./mvnw -B", "    sudo ./mvnw -B", r"DL3004"),
        ("apt-get install without pinned versions", "USER 1000:1000", "RUN apt-get install -y curl\nUSER 1000:1000", r"DL3008"),
    ]):
        expect(f"hadolint: {label}", hl + [write(f"docker/h{i}/Dockerfile", mutate_text(label, dockerfile, old, new))], needle)
    expect("checkov: Dockerfile with USER root",
           ["checkov", "--config-file", "ci/checkov.yaml", "--framework", "dockerfile", "-f",
            write("docker/c0/Dockerfile", mutate_text("root", dockerfile, "USER 1000:1000", "USER root"))], r"CKV_DOCKER_8")

    # ---- shell scripts and YAML ----
    script = read("ci/save-digest.sh")
    expect("shellcheck baseline: save-digest.sh copy passes", ["shellcheck", write("sh/ok.sh", script)], "", must_fail=False)
    expect("shellcheck: unquoted variable", ["shellcheck", write("sh/m.sh", mutate_text("sc", script, ': >"$dir/${digest#sha256:}"',
                                                                                             ": >$dir/${digest#sha256:}"))], r"SC2086")
    yl = ["yamllint", "--strict", "-c", ".yamllint.yaml"]
    expect("yamllint baseline: test.yml copy passes", yl + [write("yaml/ok.yml", test)], "", must_fail=False)
    expect("yamllint: duplicate key", yl + [write("yaml/m.yml", mutate_text("dup", test, "    timeout-minutes: 30\n",
                                                                             "    timeout-minutes: 30\n    timeout-minutes: 31\n"))],
           r"duplication of key")
finally:
    shutil.rmtree(work, ignore_errors=True)

print(f"selftest-gates: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
