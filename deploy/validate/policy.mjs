// Proof 3: policy checks over the rendered output of one overlay.
//   node policy.mjs --env prod --render prod.yaml --cluster cluster.yaml --secrets secrets.yaml \
//        --app-config src/main/resources/application.yml
// --secrets is the dry-run output of deploy/create-secrets.sh (what operators create), --cluster the rendered
// k8s/cluster (ClusterIssuer, ingress-nginx settings). Exit 1 on any failed check.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parse as parseYaml } from "yaml";
import {
  loadDocs,
  id,
  podSpecOf,
  podMetaOf,
  workloads,
  allContainers,
  resolvePort,
  find,
  matchesSelector,
  apiWorkload,
} from "./lib.mjs";
import { checkNetworkPolicies } from "./netpol.mjs";
import { checkScrapeJobs, relabel } from "./scrape.mjs";

export function evaluatePolicy(env, docs, cluster, secrets, appConfig) {
// What the issue fixes per environment. Overlays may differ only here (and in hostnames / origins / image tag).
  const EXPECT = { ...EXPECT_COMMON(), ...EXPECT_ENV(env) };
  
  function EXPECT_COMMON() {
    return {
      requests: { cpu: "100m", memory: "256Mi" },
      limits: { cpu: "500m", memory: "512Mi" },
      hpaCpu: 70,
      hpaMemory: 80,
    };
  }
  function EXPECT_ENV(e) {
    const t = {
      dev: {
        replicas: 1,
        hpa: [1, 2],
        host: "employee-mgmt-dev.example.com",
        origins: ["https://employee-mgmt-dev.example.com", "http://localhost:3000"],
      },
      staging: {
        replicas: 2,
        hpa: [2, 4],
        host: "employee-mgmt-staging.example.com",
        origins: ["https://employee-mgmt-staging.example.com"],
      },
      prod: {
        replicas: 3,
        hpa: [3, 10],
        host: "employee-mgmt.example.com",
        origins: ["https://employee-mgmt.example.com"],
      },
    }[e];
    if (!t) throw new Error(`unknown environment ${e}`);
    return t;
  }
  
  let passed = 0;
  const failed = [];
  function check(name, ok, detail = "") {
    if (ok) passed++;
    else failed.push(`${name}${detail ? `: ${detail}` : ""}`);
  }
  const eq = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  
  // Quantities -> numbers (cores, bytes) for comparisons.
  function qty(q) {
    if (q == null) return NaN;
    const s = String(q);
    const m = s.match(/^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/);
    if (!m) return NaN;
    const f = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[
      m[2]
    ];
    return Number(m[1]) * (f ?? 1);
  }
  // Redis-style sizes (384mb) -> bytes.
  function redisBytes(s) {
    const m = String(s).toLowerCase().match(/^(\d+)(b|kb|k|mb|m|gb|g)?$/);
    if (!m) return NaN;
    const f = { b: 1, kb: 1024, k: 1000, mb: 1024 ** 2, m: 1e6, gb: 1024 ** 3, g: 1e9 }[m[2] ?? "b"];
    return Number(m[1]) * f;
  }
  // Spring durations (20s, 1m, 500ms, PT20S) -> seconds.
  function springSeconds(v) {
    const s = String(v).trim();
    let m = s.match(/^(\d+)(ms|s|m|h)?$/);
    if (m) return Number(m[1]) * { ms: 1e-3, s: 1, m: 60, h: 3600 }[m[2] ?? "ms"];
    m = s.match(/^PT(?:(\d+)M)?(?:(\d+)S)?$/i);
    if (m) return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
    return NaN;
  }
  
  const ns = `employee-mgmt-${env}`;
  const wl = workloads(docs);
  const api = apiWorkload(docs);
  const apiSpec = podSpecOf(api);
  const apiC = apiSpec.containers.find((c) => c.name === "employee-api");
  
  // ---- Namespace and Pod Security Standards ----
  const nsObj = find(docs, "Namespace", ns);
  check("namespace exists", !!nsObj, ns);
  for (const mode of ["enforce", "audit", "warn"])
    check(`namespace PSS ${mode}=restricted`, nsObj?.metadata?.labels?.[`pod-security.kubernetes.io/${mode}`] === "restricted");
  for (const o of docs.filter((d) => !["Namespace", "ClusterRole", "ClusterRoleBinding"].includes(d.kind)))
    check(`${id(o)} in namespace ${ns}`, o.metadata?.namespace === ns, String(o.metadata?.namespace));
  
  // Container security settings, resources, image tags and probe presence are checkov's (ci/lint-infra.sh); what
  // stays here is what this project decides beyond them.
  // PSS "restricted" admits only these volume types (checkov has no such check).
  const ALLOWED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
  for (const w of wl) {
    const spec = podSpecOf(w);
    const n = id(w);
    for (const v of spec.volumes ?? []) {
      const type = Object.keys(v).find((k) => k !== "name");
      check(`${n} volume ${v.name} type allowed by PSS restricted`, ALLOWED_VOLUMES.includes(type), type);
    }
    for (const c of allContainers(spec)) {
      const cn = `${n}[${c.name}]`;
      if (!(spec.initContainers ?? []).includes(c)) {
        // A readiness probe that is the liveness probe restarts pods that are only busy.
        const strip = (p) => p && JSON.stringify({ ...p, periodSeconds: 0, timeoutSeconds: 0, failureThreshold: 0, initialDelaySeconds: 0 });
        check(`${cn} readiness != liveness`, !!c.readinessProbe && strip(c.readinessProbe) !== strip(c.livenessProbe));
        for (const kind of ["startupProbe", "livenessProbe", "readinessProbe"]) {
          const p = c[kind];
          const port = p?.httpGet?.port ?? p?.tcpSocket?.port ?? p?.grpc?.port;
          if (port !== undefined)
            check(`${cn} ${kind} port ${port} is a container port`, (c.ports ?? []).some((cp) => cp.containerPort === resolvePort(c, port)));
        }
      }
      // Credential-looking variables (this project's names) come from Secrets, never inline.
      for (const e of c.env ?? []) {
        if (/PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL|_PASS$|AUTH$/i.test(e.name))
          check(`${cn} env ${e.name} from a Secret`, !!e.valueFrom?.secretKeyRef && e.value === undefined);
      }
    }
  }

  // ---- employee-api specifics ----
  // A Rollout leaves the count to the HPA (no spec.replicas, Argo Rollouts' HPA guidance); a Deployment states it.
  if (api.kind === "Rollout") check("employee-api Rollout leaves replicas to the HPA", api.spec.replicas === undefined);
  else check("employee-api replicas", api.spec.replicas === EXPECT.replicas, `${api.spec.replicas} != ${EXPECT.replicas}`);
  check("employee-api requests", eq(apiC.resources.requests, EXPECT.requests), JSON.stringify(apiC.resources.requests));
  check("employee-api limits", eq(apiC.resources.limits, EXPECT.limits), JSON.stringify(apiC.resources.limits));
  for (const k of ["startupProbe", "livenessProbe", "readinessProbe"]) check(`employee-api ${k} present`, !!apiC[k]?.httpGet);
  check(
    "employee-api probes on the service's health paths",
    apiC.startupProbe?.httpGet?.path === "/api/v1/health/startup" &&
      apiC.livenessProbe?.httpGet?.path === "/api/v1/health/live" &&
      apiC.readinessProbe?.httpGet?.path === "/api/v1/health/ready",
  );
  const hikariTimeout = Number(appConfig?.spring?.datasource?.hikari?.["connection-timeout"] ?? 30000) / 1000;
  check(
    "readiness timeoutSeconds > Hikari connection-timeout (503 seen, not a timeout, when the DB is down)",
    (apiC.readinessProbe?.timeoutSeconds ?? 1) > hikariTimeout,
    `${apiC.readinessProbe?.timeoutSeconds} vs ${hikariTimeout}`,
  );
  check("employee-api readiness path != liveness path", apiC.readinessProbe?.httpGet?.path !== apiC.livenessProbe?.httpGet?.path);
  check("employee-api security context runAsUser 1000", apiSpec.securityContext?.runAsUser === 1000 && (apiC.securityContext?.runAsUser ?? 1000) === 1000);
  check("employee-api token not mounted", apiSpec.automountServiceAccountToken === false);
  const sa = find(docs, "ServiceAccount", apiSpec.serviceAccountName);
  check("employee-api ServiceAccount exists with automount off", sa?.automountServiceAccountToken === false);
  check(
    "employee-api spread across nodes",
    (apiSpec.topologySpreadConstraints ?? []).some((t) => t.topologyKey === "kubernetes.io/hostname" && matchesSelector(podMetaOf(api).labels, t.labelSelector)),
  );
  check("employee-api /tmp is a writable volume", (apiC.volumeMounts ?? []).some((m) => m.mountPath === "/tmp" && (apiSpec.volumes ?? []).some((v) => v.name === m.name && v.emptyDir)));
  // Graceful termination: grace period > preStop + Spring's shutdown phase (+5 s for the JVM to exit).
  const preStop = apiC.lifecycle?.preStop?.sleep?.seconds ?? 0;
  const shutdownPhase = springSeconds(appConfig?.spring?.lifecycle?.["timeout-per-shutdown-phase"] ?? "30s");
  check("employee-api preStop drains (sleep >= 5 s)", preStop >= 5, String(preStop));
  check("server.shutdown=graceful in application.yml", appConfig?.server?.shutdown === "graceful");
  check(
    "terminationGracePeriodSeconds > preStop + shutdown phase + 5 s",
    apiSpec.terminationGracePeriodSeconds > preStop + shutdownPhase + 5,
    `${apiSpec.terminationGracePeriodSeconds} vs ${preStop}+${shutdownPhase}+5`,
  );
  // Scrape annotations point at the management port and path.
  const ann = podMetaOf(api).annotations ?? {};
  check("employee-api prometheus.io/scrape", ann["prometheus.io/scrape"] === "true");
  check("employee-api prometheus.io/port is the management container port", resolvePort(apiC, "management") === Number(ann["prometheus.io/port"]));
  check("employee-api prometheus.io/path", ann["prometheus.io/path"] === "/metrics");
  
  // ---- References resolve: ConfigMaps, Secrets (as created by deploy/create-secrets.sh), Services, Role ----
  const secretKeys = Object.fromEntries(secrets.map((s) => [s.metadata.name, Object.keys(s.data ?? {})]));
  check("no Secret object in the rendered manifests (created out of band)", !docs.some((o) => o.kind === "Secret"));
  const cmNames = new Set(docs.filter((o) => o.kind === "ConfigMap").map((o) => o.metadata.name));
  for (const w of wl) {
    const spec = podSpecOf(w);
    for (const c of allContainers(spec)) {
      const cn = `${id(w)}[${c.name}]`;
      for (const ef of c.envFrom ?? []) {
        if (ef.configMapRef) check(`${cn} envFrom ConfigMap ${ef.configMapRef.name} exists`, cmNames.has(ef.configMapRef.name));
        if (ef.secretRef) check(`${cn} envFrom Secret ${ef.secretRef.name} is created`, !!secretKeys[ef.secretRef.name]);
      }
      for (const e of c.env ?? []) {
        const sk = e.valueFrom?.secretKeyRef;
        if (sk) check(`${cn} env ${e.name} -> secret ${sk.name}/${sk.key} is created`, (secretKeys[sk.name] ?? []).includes(sk.key) || sk.optional === true);
        const ck = e.valueFrom?.configMapKeyRef;
        if (ck) check(`${cn} env ${e.name} -> configmap ${ck.name}/${ck.key}`, Object.hasOwn(find(docs, "ConfigMap", ck.name)?.data ?? {}, ck.key));
      }
      for (const m of c.volumeMounts ?? [])
        check(
          `${cn} mount ${m.name} has a volume`,
          (spec.volumes ?? []).some((v) => v.name === m.name) || (w.spec.volumeClaimTemplates ?? []).some((t) => t.metadata.name === m.name),
        );
      for (const m of (c.volumeMounts ?? []).filter((x) => x.subPath)) {
        const v = (spec.volumes ?? []).find((x) => x.name === m.name);
        if (v?.configMap) check(`${cn} subPath ${m.subPath} is a key of ${v.configMap.name}`, Object.hasOwn(find(docs, "ConfigMap", v.configMap.name)?.data ?? {}, m.subPath));
      }
    }
    for (const v of spec.volumes ?? []) {
      if (v.configMap) check(`${id(w)} volume ConfigMap ${v.configMap.name} exists`, cmNames.has(v.configMap.name) || v.configMap.optional === true);
      if (v.secret) check(`${id(w)} volume Secret ${v.secret.secretName} is created or optional`, !!secretKeys[v.secret.secretName] || v.secret.optional === true);
      if (v.persistentVolumeClaim) check(`${id(w)} PVC ${v.persistentVolumeClaim.claimName} exists`, !!find(docs, "PersistentVolumeClaim", v.persistentVolumeClaim.claimName));
    }
  }
  // The Role lets the service read exactly its own ConfigMap and Secrets.
  const apiRefs = { configmaps: new Set(), secrets: new Set() };
  for (const c of allContainers(apiSpec)) {
    for (const ef of c.envFrom ?? []) {
      if (ef.configMapRef) apiRefs.configmaps.add(ef.configMapRef.name);
      if (ef.secretRef) apiRefs.secrets.add(ef.secretRef.name);
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.secretKeyRef) apiRefs.secrets.add(e.valueFrom.secretKeyRef.name);
      if (e.valueFrom?.configMapKeyRef) apiRefs.configmaps.add(e.valueFrom.configMapKeyRef.name);
    }
  }
  const rb = docs.find((o) => o.kind === "RoleBinding" && o.subjects?.some((s) => s.kind === "ServiceAccount" && s.name === apiSpec.serviceAccountName));
  const role = rb && find(docs, "Role", rb.roleRef.name);
  check("employee-api RoleBinding binds its ServiceAccount in its namespace", !!rb && rb.subjects.every((s) => s.namespace === ns));
  for (const res of ["configmaps", "secrets"]) {
    const rules = (role?.rules ?? []).filter((r) => r.resources.includes(res));
    const names = new Set(rules.flatMap((r) => r.resourceNames ?? ["*ALL*"]));
    check(`employee-api Role ${res} = exactly the ones it uses`, eq([...names].sort(), [...apiRefs[res]].sort()), `${[...names]} vs ${[...apiRefs[res]]}`);
    check(`employee-api Role ${res} read-only`, rules.every((r) => r.verbs.every((v) => ["get"].includes(v))));
  }
  check("employee-api Role grants nothing else", (role?.rules ?? []).every((r) => r.resources.every((x) => ["configmaps", "secrets"].includes(x))));
  
  // ---- Services, PDBs, HPA ----
  for (const s of docs.filter((o) => o.kind === "Service")) {
    const targets = wl.filter((w) => matchesSelector(podMetaOf(w).labels, { matchLabels: s.spec.selector }));
    check(`${id(s)} selects a workload`, targets.length > 0);
    for (const p of s.spec.ports ?? [])
      check(
        `${id(s)} targetPort ${p.targetPort} exists`,
        targets.some((w) => podSpecOf(w).containers.some((c) => (c.ports ?? []).some((cp) => cp.containerPort === resolvePort(c, p.targetPort ?? p.port)))),
      );
  }
  const svc = find(docs, "Service", "employee-api");
  check("employee-api Service ClusterIP", svc?.spec?.type === "ClusterIP");
  check("employee-api Service sessionAffinity ClientIP 3 h", svc?.spec?.sessionAffinity === "ClientIP" && svc?.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds === 10800);
  check("employee-api Service does not expose the management port", !(svc?.spec?.ports ?? []).some((p) => resolvePort(apiC, p.targetPort) === resolvePort(apiC, "management")));
  const hpas = docs.filter((o) => o.kind === "HorizontalPodAutoscaler");
  for (const w of wl) {
    const hpa = hpas.find((h) => h.spec.scaleTargetRef.kind === w.kind && h.spec.scaleTargetRef.name === w.metadata.name);
    const multi = (w.spec.replicas ?? 1) > 1 || (hpa?.spec?.maxReplicas ?? 1) > 1;
    if (!multi) continue;
    const pdb = docs.find((o) => o.kind === "PodDisruptionBudget" && matchesSelector(podMetaOf(w).labels, o.spec.selector));
    check(`${id(w)} (multi-replica) has a PodDisruptionBudget`, !!pdb);
    if (pdb) check(`${id(w)} PDB lets a drain make progress`, pdb.spec.maxUnavailable !== undefined ? pdb.spec.maxUnavailable !== 0 : (pdb.spec.minAvailable ?? 0) < (hpa?.spec?.minReplicas ?? w.spec.replicas ?? 1));
  }
  const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === "employee-api" && h.spec.scaleTargetRef.kind === api.kind);
  check("employee-api HPA exists (autoscaling/v2)", hpa?.apiVersion === "autoscaling/v2");
  check("HPA min/max", eq([hpa?.spec?.minReplicas, hpa?.spec?.maxReplicas], EXPECT.hpa), `${hpa?.spec?.minReplicas}/${hpa?.spec?.maxReplicas}`);
  const metric = (name) => hpa?.spec?.metrics?.find((m) => m.type === "Resource" && m.resource.name === name)?.resource?.target;
  check("HPA CPU 70 % utilization", metric("cpu")?.type === "Utilization" && metric("cpu")?.averageUtilization === 70);
  check("HPA memory 80 % utilization", metric("memory")?.type === "Utilization" && metric("memory")?.averageUtilization === 80);
  const pol = (dir, type) => hpa?.spec?.behavior?.[dir]?.policies?.find((p) => p.type === type);
  check("HPA scale-down at most 50 %/60 s", pol("scaleDown", "Percent")?.value === 50 && pol("scaleDown", "Percent")?.periodSeconds === 60);
  check("HPA scale-down at most 2 pods/60 s", pol("scaleDown", "Pods")?.value === 2 && pol("scaleDown", "Pods")?.periodSeconds === 60);
  check("HPA scale-down takes the most restrictive policy (Min)", hpa?.spec?.behavior?.scaleDown?.selectPolicy === "Min");
  check("HPA scale-down stabilization window", (hpa?.spec?.behavior?.scaleDown?.stabilizationWindowSeconds ?? 0) > 0);
  check("HPA scale-up at most 100 %/30 s", pol("scaleUp", "Percent")?.value === 100 && pol("scaleUp", "Percent")?.periodSeconds === 30);
  check("HPA scale-up at most 4 pods/30 s", pol("scaleUp", "Pods")?.value === 4 && pol("scaleUp", "Pods")?.periodSeconds === 30);
  check("HPA scale-up takes the most restrictive policy (Min)", hpa?.spec?.behavior?.scaleUp?.selectPolicy === "Min");
  if (api.kind === "Rollout") check("HPA minReplicas is the expected replica count", hpa?.spec?.minReplicas === EXPECT.replicas);
  else check("Deployment replicas within HPA bounds", api.spec.replicas >= hpa?.spec?.minReplicas && api.spec.replicas <= hpa?.spec?.maxReplicas);
  
  // ---- Ingress ----
  const ing = find(docs, "Ingress", "employee-api");
  const a = ing?.metadata?.annotations ?? {};
  check("Ingress class nginx", ing?.spec?.ingressClassName === "nginx");
  check("Ingress host", ing?.spec?.rules?.[0]?.host === EXPECT.host, ing?.spec?.rules?.[0]?.host);
  check("Ingress TLS covers every host", (ing?.spec?.rules ?? []).every((r) => (ing.spec.tls ?? []).some((t) => t.hosts.includes(r.host) && t.secretName)));
  const issuer = a["cert-manager.io/cluster-issuer"];
  check("Ingress TLS from a cert-manager ClusterIssuer that k8s/cluster defines", !!find(cluster, "ClusterIssuer", issuer), issuer);
  check("ClusterIssuer is Let's Encrypt ACME", /letsencrypt\.org/.test(find(cluster, "ClusterIssuer", issuer)?.spec?.acme?.server ?? ""));
  check("rate limit 100 requests/min per client IP", a["nginx.ingress.kubernetes.io/limit-rpm"] === "100" && a["nginx.ingress.kubernetes.io/limit-burst-multiplier"] === "1");
  const nginxCm = find(cluster, "ConfigMap", "ingress-nginx-controller");
  check("rate-limited requests answer 429 (controller setting)", nginxCm?.data?.["limit-req-status-code"] === "429");
  check("body size limit 10 MB", a["nginx.ingress.kubernetes.io/proxy-body-size"] === "10m");
  for (const t of ["connect", "read", "send"]) check(`proxy ${t} timeout 60 s`, a[`nginx.ingress.kubernetes.io/proxy-${t}-timeout`] === "60");
  check("CORS enabled", a["nginx.ingress.kubernetes.io/enable-cors"] === "true");
  const origins = (a["nginx.ingress.kubernetes.io/cors-allow-origin"] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  check("CORS origins for this environment", eq(origins, EXPECT.origins), origins.join(" "));
  check("CORS origins never *", !origins.includes("*"));
  for (const r of ing?.spec?.rules ?? [])
    for (const p of r.http.paths) {
      const s = find(docs, "Service", p.backend.service.name);
      check(`Ingress backend ${p.backend.service.name}:${p.backend.service.port.name ?? p.backend.service.port.number} exists`, !!s && s.spec.ports.some((sp) => sp.name === p.backend.service.port.name || sp.port === p.backend.service.port.number));
      check("Ingress routes only the API port", !!s && s.spec.ports.every((sp) => resolvePort(apiC, sp.targetPort) !== resolvePort(apiC, "management")));
    }
  
  // ---- PostgreSQL, Redis ----
  // Either the base's single-instance StatefulSet (dev, staging) or a CloudNativePG Cluster (prod,
  // k8s/overlays/prod/cloudnative-pg), whose pods and -rw/-ro Services the operator creates.
  const pg = find(docs, "StatefulSet", "postgres");
  const pgC = pg && podSpecOf(pg).containers.find((c) => c.name === "postgres");
  const cnpg = docs.find((o) => o.kind === "Cluster" && /^postgresql\.cnpg\.io\//.test(o.apiVersion));
  const apiCm = find(docs, "ConfigMap", apiC.envFrom?.[0]?.configMapRef?.name)?.data ?? {};
  const dsUrl = apiCm.SPRING_DATASOURCE_URL ?? "";
  const m = dsUrl.match(/^jdbc:postgresql:\/\/([^:/]+):(\d+)\/([^?]+)/);
  check("exactly one PostgreSQL: the StatefulSet or a CloudNativePG Cluster", !!pg !== !!cnpg);
  if (cnpg) {
    const sp = cnpg.spec ?? {};
    const name = cnpg.metadata.name;
    check("PostgreSQL on CloudNativePG: 3 instances (primary + 2 replicas)", sp.instances === 3, String(sp.instances));
    check("CloudNativePG PostgreSQL 16 image", /^(.*\/)?postgresql:16[.-]/.test(sp.imageName ?? ""), sp.imageName);
    check("CloudNativePG 20Gi storage per instance", sp.storage?.size === "20Gi", sp.storage?.size);
    const r = sp.resources ?? {};
    for (const k of ["cpu", "memory"])
      check(`CloudNativePG requests.${k} <= limits.${k}`, r.requests?.[k] != null && qty(r.requests[k]) <= qty(r.limits?.[k]));
    check("CloudNativePG superuser access off", sp.enableSuperuserAccess === false);
    check("CloudNativePG one instance per node", sp.affinity?.enablePodAntiAffinity === true && sp.affinity?.podAntiAffinityType === "required" && sp.affinity?.topologyKey === "kubernetes.io/hostname");
    check("CloudNativePG inheritedMetadata labels the instances app.kubernetes.io/name=postgres (base policies, dashboards)", sp.inheritedMetadata?.labels?.["app.kubernetes.io/name"] === "postgres");
    const init = sp.bootstrap?.initdb ?? {};
    const cred = secrets.find((o) => o.metadata?.name === init.secret?.name);
    check("CloudNativePG owner credentials Secret is created, type kubernetes.io/basic-auth", cred?.type === "kubernetes.io/basic-auth" && ["username", "password"].every((k) => Object.hasOwn(cred?.data ?? {}, k)), init.secret?.name);
    const credUser = cred?.data?.username ? Buffer.from(cred.data.username, "base64").toString() : undefined;
    check("CloudNativePG owner is the postgres-credentials username the service logs in with", init.owner === credUser, `${init.owner} vs ${credUser}`);
    check("SPRING_DATASOURCE_URL names the Cluster's -rw Service, port 5432 and its database", !!m && m[1] === `${name}-rw` && m[2] === "5432" && m[3] === init.database, dsUrl);
    const readUrls = (apiCm.EMPLOYEE_MGMT_DATASOURCE_READ_REPLICAS_URLS ?? "").split(",").filter(Boolean);
    check(
      "EMPLOYEE_MGMT_DATASOURCE_READ_REPLICAS_URLS names the Cluster's -ro Service (read-only transactions on the replicas)",
      readUrls.length === 1 && readUrls[0] === `jdbc:postgresql://${name}-ro:5432/${init.database}`,
      readUrls.join(","),
    );
    check("read replica URLs carry no credentials", readUrls.every((u) => !/password=|user=|:\/\/[^/]*@/i.test(u)));
    // The project's Prometheus (not the Prometheus Operator): a job of prometheus.yml keeps each instance's
    // metrics port, and the NetworkPolicies let Prometheus reach it.
    check("CloudNativePG PodMonitor off (scraped by prometheus.yml)", sp.monitoring?.enablePodMonitor !== true);
  } else {
    check("PostgreSQL StatefulSet, 1 replica", pg?.spec?.replicas === 1);
    check("PostgreSQL 16 image", /^(.*\/)?postgres:16[.-]/.test(pgC?.image ?? ""), pgC?.image);
    check("PostgreSQL 20Gi volume claim", pg?.spec?.volumeClaimTemplates?.some((t) => t.spec.resources.requests.storage === "20Gi" && pgC.volumeMounts.some((m) => m.name === t.metadata.name)));
    check("PostgreSQL has probes", !!pgC?.readinessProbe && !!pgC?.livenessProbe && !!pgC?.startupProbe);
    check("PostgreSQL has a postgres-exporter sidecar", podSpecOf(pg).containers.some((c) => /postgres[-_]exporter/.test(c.image)));
    check("SPRING_DATASOURCE_URL names the postgres Service, port and database", !!m && find(docs, "Service", m[1])?.spec?.ports?.some((p) => p.port === Number(m[2])) && pgC.env.find((e) => e.name === "POSTGRES_DB")?.value === m[3], dsUrl);
    check("no read replicas without a replicated PostgreSQL", !apiCm.EMPLOYEE_MGMT_DATASOURCE_READ_REPLICAS_URLS);
  }
  check("SPRING_DATASOURCE_URL carries no credentials", !/password=|user=|:\/\/[^/]*@/i.test(dsUrl));
  const rd = find(docs, "Deployment", "redis");
  const rdC = rd && podSpecOf(rd).containers.find((c) => c.name === "redis");
  check("Redis 7 image", /^(.*\/)?redis:7[.-]/.test(rdC?.image ?? ""), rdC?.image);
  check("Redis memory limit 512Mi", rdC?.resources?.limits?.memory === "512Mi");
  const rArgs = rdC?.args ?? [];
  const maxmem = rArgs[rArgs.indexOf("--maxmemory") + 1];
  check("Redis maxmemory below the memory limit (<= 80 %)", rArgs.includes("--maxmemory") && redisBytes(maxmem) <= 0.8 * qty(rdC.resources.limits.memory), maxmem);
  check("Redis has an eviction policy", /^(allkeys|volatile)-(lru|lfu|random|ttl)$/.test(rArgs[rArgs.indexOf("--maxmemory-policy") + 1] ?? ""));
  check("Redis has a redis-exporter sidecar", podSpecOf(rd).containers.some((c) => /redis[-_]exporter/.test(c.image)));
  const cmData = find(docs, "ConfigMap", apiC.envFrom?.[0]?.configMapRef?.name)?.data ?? {};
  check("SPRING_DATA_REDIS_HOST/PORT name the redis Service", !!find(docs, "Service", cmData.SPRING_DATA_REDIS_HOST)?.spec?.ports?.some((p) => p.port === Number(cmData.SPRING_DATA_REDIS_PORT)));
  
  // ---- Monitoring ----
  const prom = find(docs, "Deployment", "prometheus");
  const promC = prom && podSpecOf(prom).containers[0];
  check("Prometheus retention 30 days", (promC?.args ?? []).includes("--storage.tsdb.retention.time=30d"));
  const cfgArg = (promC?.args ?? []).find((x) => x.startsWith("--config.file="))?.split("=")[1];
  // Where a file path inside container c of workload w comes from: a ConfigMap or Secret key, or the service
  // account token. Returns { text } (ConfigMap content), { ok } or undefined when nothing provides it.
  const fileIn = (w, c, path) => {
    const spec = podSpecOf(w);
    if (path.startsWith("/var/run/secrets/kubernetes.io/serviceaccount/"))
      return spec.automountServiceAccountToken === false ? undefined : { ok: true };
    for (const vm of c.volumeMounts ?? []) {
      const v = (spec.volumes ?? []).find((x) => x.name === vm.name);
      let key;
      if (vm.subPath && vm.mountPath === path) key = vm.subPath;
      else if (!vm.subPath && path.startsWith(vm.mountPath + "/")) key = path.slice(vm.mountPath.length + 1);
      else continue;
      if (v?.configMap) {
        const text = find(docs, "ConfigMap", v.configMap.name)?.data?.[key];
        return text === undefined ? undefined : { ok: true, text };
      }
      if (v?.secret) return (secretKeys[v.secret.secretName] ?? []).includes(key) ? { ok: true } : undefined;
    }
    return undefined;
  };
  // Files a glob (rule_files, templates) matches inside the container.
  const globIn = (w, c, pattern) => {
    const dir = pattern.slice(0, pattern.lastIndexOf("/"));
    const re = new RegExp(`^${pattern.slice(pattern.lastIndexOf("/") + 1).replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, ".")}$`);
    const vm = (c.volumeMounts ?? []).find((m) => m.mountPath === dir && !m.subPath);
    const v = vm && (podSpecOf(w).volumes ?? []).find((x) => x.name === vm.name);
    return Object.keys(find(docs, "ConfigMap", v?.configMap?.name)?.data ?? {}).filter((k) => re.test(k));
  };
  const fileRefs = (o, out = []) => {
    if (o && typeof o === "object")
      for (const [k, v] of Object.entries(o)) {
        if (/_file$/.test(k) && typeof v === "string") out.push([k, v]);
        else fileRefs(v, out);
      }
    return out;
  };
  const serviceHas = (hostPort) => {
    const [host, port] = hostPort.split(":");
    return !!find(docs, "Service", host)?.spec?.ports?.some((p) => p.port === Number(port));
  };
  const promCfg = promC && cfgArg && fileIn(prom, promC, cfgArg)?.text;
  check("Prometheus --config.file is mounted from the monitoring ConfigMap", promCfg !== undefined, cfgArg);
  if (promCfg !== undefined) {
    const pc = parseYaml(promCfg);
    check("Prometheus evaluation interval 15 s", pc?.global?.evaluation_interval === "15s", String(pc?.global?.evaluation_interval));
    for (const rf of pc?.rule_files ?? []) {
      const abs = rf.startsWith("/") ? rf : `${cfgArg.slice(0, cfgArg.lastIndexOf("/"))}/${rf}`;
      check(`Prometheus rule_files ${rf} matches mounted rule files`, globIn(prom, promC, abs).length > 0);
    }
    for (const [k, f] of fileRefs(pc)) check(`Prometheus ${k} ${f} is provided in the pod`, !!fileIn(prom, promC, f));
    for (const [name, ok, detail] of checkScrapeJobs(docs, ns, pc)) check(name, ok, detail);
    if (cnpg) {
      // CloudNativePG's pods are made by the operator, so the scrape check above cannot see them: one instance's
      // discovery labels, as Kubernetes reports them, must be kept by exactly one job.
      const instance = {
        __meta_kubernetes_namespace: ns,
        __meta_kubernetes_pod_name: `${cnpg.metadata.name}-1`,
        __meta_kubernetes_pod_label_cnpg_io_podRole: "instance",
        __meta_kubernetes_pod_label_cnpg_io_cluster: cnpg.metadata.name,
        __meta_kubernetes_pod_label_cnpg_io_instanceRole: "replica",
        __meta_kubernetes_pod_label_app_kubernetes_io_name: cnpg.spec?.inheritedMetadata?.labels?.["app.kubernetes.io/name"] ?? "",
        __meta_kubernetes_pod_container_name: "postgres",
        __meta_kubernetes_pod_container_port_name: "metrics",
        __meta_kubernetes_pod_container_port_number: "9187",
        __address__: "10.0.0.1:9187",
      };
      const scraping = (pc?.scrape_configs ?? []).filter(
        (j) => (j.kubernetes_sd_configs ?? []).some((sd) => sd.role === "pod" && sd.namespaces?.own_namespace === true) && relabel(instance, j.relabel_configs) !== null,
      );
      check("CloudNativePG instance metrics scraped by exactly one own-namespace job of prometheus.yml", scraping.length === 1, scraping.map((j) => j.job_name).join(","));
    }
    for (const am of pc?.alerting?.alertmanagers ?? [])
      for (const sc of am.static_configs ?? [])
        for (const t of sc.targets ?? []) check(`Prometheus alertmanager target ${t} is a Service`, serviceHas(t));
  }
  const am = find(docs, "Deployment", "alertmanager");
  const amC = am && podSpecOf(am).containers[0];
  const amCfgArg = (amC?.args ?? []).find((x) => x.startsWith("--config.file="))?.split("=")[1];
  const amCfg = amC && amCfgArg && fileIn(am, amC, amCfgArg)?.text;
  check("Alertmanager --config.file is mounted from the monitoring ConfigMap", amCfg !== undefined, amCfgArg);
  if (amCfg !== undefined) {
    const ac = parseYaml(amCfg);
    for (const [k, f] of fileRefs(ac)) check(`Alertmanager ${k} ${f} is provided in the pod (Secret key created)`, !!fileIn(am, amC, f));
    for (const t of ac?.templates ?? []) check(`Alertmanager templates ${t} match mounted files`, globIn(am, amC, t).length > 0);
  }
  const gf = find(docs, "Deployment", "grafana");
  const gfC = gf && podSpecOf(gf).containers[0];
  const gfEnv = new Set((gfC?.env ?? []).map((e) => e.name));
  const provisioning = gfC ? (gfC.volumeMounts ?? []).filter((vm) => vm.mountPath.startsWith("/etc/grafana/provisioning/")) : [];
  check("Grafana provisioning mounted (datasources, dashboards)", ["datasources", "dashboards"].every((d) => provisioning.some((vm) => vm.mountPath === `/etc/grafana/provisioning/${d}`)));
  for (const vm of provisioning) {
    const v = podSpecOf(gf).volumes.find((x) => x.name === vm.name);
    for (const [key, text] of Object.entries(find(docs, "ConfigMap", v?.configMap?.name)?.data ?? {})) {
      const doc = parseYaml(String(text));
      // Grafana expands $VAR / ${VAR} in provisioning values (not comments) from its environment.
      const strings = (o) => (typeof o === "string" ? [o] : o && typeof o === "object" ? Object.values(o).flatMap(strings) : []);
      for (const str of strings(doc))
        for (const [, name] of str.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g))
          check(`Grafana env ${name} (used in ${key}) is set`, gfEnv.has(name) || name.startsWith("__"));
      for (const ds of doc?.datasources ?? []) {
        const u = String(ds.url ?? "").match(/^https?:\/\/([^/:]+):(\d+)/);
        check(`Grafana data source ${ds.name} URL ${ds.url} is a Service of this namespace`, !!u && serviceHas(`${u[1]}:${u[2]}`));
      }
      for (const pr of doc?.providers ?? []) {
        const dir = pr.options?.path;
        check(`Grafana dashboard provider ${pr.name}: ${dir} holds mounted dashboards`, !!dir && globIn(gf, gfC, `${dir}/*.json`).length > 0);
      }
    }
  }
  const pgx = pg && podSpecOf(pg).containers.find((c) => c.name === "postgres-exporter");
  for (const a of (pgx?.args ?? []).filter((x) => x.startsWith("--extend.query-path=")))
    check(`postgres-exporter ${a} is mounted`, fileIn(pg, pgx, a.split("=")[1])?.text !== undefined);
  
  // ---- No secret values anywhere in the rendered output ----
  const text = JSON.stringify(docs);
  check("no PEM private key in the manifests", !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text));
  for (const cm of docs.filter((o) => o.kind === "ConfigMap" && !o.metadata.name.startsWith("grafana-dashboards"))) {
    for (const [k, v] of Object.entries(cm.data ?? {})) {
      if (!k.includes(".")) check(`ConfigMap ${cm.metadata.name} key ${k} is no credential`, !/PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL/i.test(k));
      check(`ConfigMap ${cm.metadata.name}/${k} holds no inline password`, !/(password|passwd|secret|token)\s*[:=]\s*["']?[A-Za-z0-9+/]{8,}/i.test(String(v).replace(/\$\{?[A-Z_]+\}?|_file\s*:/g, "")));
    }
  }
  
  // ---- NetworkPolicies ----
  const np = checkNetworkPolicies(docs, ns);
  for (const [name, ok, detail] of np) check(name, ok, detail);
  return { passed, failed };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = Object.fromEntries(
    process.argv
      .slice(2)
      .join(" ")
      .split("--")
      .filter(Boolean)
      .map((s) => s.trim().split(/\s+/)),
  );
  for (const k of ["env", "render", "cluster", "secrets", "app-config"]) {
    if (!args[k]) {
      console.error(`missing --${k}`);
      process.exit(2);
    }
  }
  const { passed, failed } = evaluatePolicy(
    args.env,
    loadDocs(args.render),
    loadDocs(args.cluster),
    loadDocs(args.secrets),
    parseYaml(readFileSync(args["app-config"], "utf8")),
  );
  for (const f of failed) console.error(`FAIL [${args.env}] ${f}`);
  console.log(`policy [${args.env}]: ${passed} passed, ${failed.length} failed`);
  process.exit(failed.length ? 1 : 0);
}
