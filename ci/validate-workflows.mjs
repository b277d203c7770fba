// GitHub's own workflow validator plus this project's workflow conventions, for every file given:
//   node --import ./ci/json-import-hook.mjs ci/validate-workflows.mjs .github/workflows/*.yml
// 1. @actions/languageservice validate(): schema, events, permissions values, needs, expression contexts (its
//    warnings, e.g. "Context access might be invalid", count as findings).
// 2. @actions/workflow-parser parseWorkflow + convertWorkflowTemplate: the parser the Actions service uses.
// 3. Conventions of issue 8 that no linter knows (each finding names the rule):
//    top-level permissions exactly contents: read; every job its own permissions and timeout-minutes; concurrency;
//    jobs that use an environment never cancel in progress; every action pinned by a 40-hex commit SHA with a
//    "# vX.Y.Z" comment; no ${{ }} inside run: (values go through env:); run: at most 3 lines (longer steps are
//    scripts in the repository), every repository script a run: calls exists; steps that need a permission
//    (attest, cosign, OIDC uploads, SARIF, pushes, dependency submission) are in a job that grants it; publishing
//    steps are guarded so pull requests and forks cannot publish.
// Prints "file:line: [source] message" per finding; exit 1 if there is any.
import { readFileSync, existsSync } from "node:fs";
import { resolve, dirname, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { validate } from "@actions/languageservice";
import { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } from "@actions/workflow-parser";
import { TextDocument } from "vscode-languageserver-textdocument";
import { parseDocument } from "yaml";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const files = process.argv.slice(2);
if (!files.length) {
  console.error("usage: validate-workflows.mjs WORKFLOW.yml...");
  process.exit(2);
}

// Permissions a step needs, by what it is.
const NEEDS = [
  [(s) => /^actions\/attest(-build-provenance|-sbom)?@/.test(s.uses ?? ""), ["id-token", "attestations"]],
  [(s) => /^sigstore\/cosign-installer@/.test(s.uses ?? "") || /\bcosign sign\b/.test(s.run ?? ""), ["id-token"]],
  [(s) => /^codecov\/codecov-action@/.test(s.uses ?? "") && String(s.with?.use_oidc) === "true", ["id-token"]],
  [(s) => /^github\/codeql-action\/upload-sarif@/.test(s.uses ?? ""), ["security-events"]],
  [(s) => /^docker\/build-push-action@/.test(s.uses ?? "") && String(s.with?.push ?? "false") !== "false", ["packages"]],
  [(s) => /^advanced-security\/maven-dependency-submission-action@/.test(s.uses ?? ""), ["contents"]],
];
// Steps that publish something and must not run for pull requests (and so forks).
const PUBLISHES = (s) =>
  /^(docker\/login-action|actions\/attest[\w-]*|sigstore\/cosign-installer)@/.test(s.uses ?? "") ||
  /\bcosign sign\b|imagetools create/.test(s.run ?? "") ||
  (/^docker\/build-push-action@/.test(s.uses ?? "") && String(s.with?.push ?? "false") !== "false");
const GUARD = /github\.event_name|github\.repository|github\.event\.pull_request\.head\.repo/;
// Repository scripts a run: line calls.
const SCRIPT = /(?:^|[\s;&|(])(?:bash\s+|sh\s+|\.\/)?((?:ci|deploy|ops|monitoring|\.ci)\/[\w./-]+\.(?:sh|mjs|py)|\.ci\/run)\b/g;

let findings = 0;
const report = (file, line, source, message) => {
  findings++;
  console.log(`${file}:${line}: [${source}] ${message}`);
};

for (const file of files) {
  const text = readFileSync(file, "utf8");
  const name = basename(file);
  // 1. GitHub's language service. Local reusable workflows (uses: ./.github/workflows/x.yml) are read from the
  // repository that holds the file, so their inputs and outputs are checked too; remote ones cannot be offline.
  // (A copy outside a .github/workflows folder, like the self-test's, is taken as a file of this repository.)
  const dir = dirname(resolve(file));
  const workflowRepo = dir.endsWith("/.github/workflows") ? resolve(dir, "..", "..") : repo;
  const fileProvider = {
    async getFileContent(ref) {
      if (ref.repository !== undefined) throw new Error(`remote reusable workflow ${ref.owner}/${ref.repository}: not checked offline`);
      const p = resolve(workflowRepo, ref.path.replace(/^\.\//, ""));
      return { name: ref.path, content: readFileSync(p, "utf8") };
    },
  };
  const doc = TextDocument.create(`file:///${name}`, "yaml", 1, text);
  for (const d of await validate(doc, { fileProvider })) report(file, d.range.start.line + 1, "languageservice", d.message);
  // 2. GitHub's workflow parser.
  const parsed = parseWorkflow({ name, content: text }, new NoOperationTraceWriter());
  const parserErrors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    for (const e of template.errors ?? []) parserErrors.push(e.Message ?? e.message ?? String(e));
  }
  for (const m of new Set(parserErrors)) report(file, Number(/Line: (\d+)/.exec(m)?.[1] ?? 1), "workflow-parser", m);

  // 3. Conventions.
  const ydoc = parseDocument(text, { keepSourceTokens: true });
  const lineOf = (node) => (node?.range ? text.slice(0, node.range[0]).split("\n").length : 1);
  const w = ydoc.toJS() ?? {};
  const conv = (node, msg) => report(file, lineOf(node), "convention", msg);
  const root = ydoc.contents;
  const perms = w.permissions;
  if (JSON.stringify(perms) !== JSON.stringify({ contents: "read" }))
    conv(root?.get?.("permissions", true) ?? root, `top-level permissions must be exactly "contents: read" (got ${JSON.stringify(perms)})`);
  if (!w.concurrency?.group) conv(root, "no top-level concurrency group (per workflow and ref)");
  const jobsNode = root?.get?.("jobs", true);
  for (const [jobId, job] of Object.entries(w.jobs ?? {})) {
    const jobNode = jobsNode?.get?.(jobId, true);
    const jconv = (msg, node = jobNode) => conv(node, `job ${jobId}: ${msg}`);
    if (!job || typeof job !== "object") continue;
    const jp = job.permissions;
    if (jp === undefined) jconv("no job-level permissions (ask only for what the job needs)");
    if (job["timeout-minutes"] === undefined && job.uses === undefined) jconv("no timeout-minutes");
    if (job.environment !== undefined) {
      for (const c of [w.concurrency, job.concurrency])
        if (c && c["cancel-in-progress"] !== undefined && c["cancel-in-progress"] !== false)
          jconv("uses an environment (a deployment) but its concurrency may cancel it in progress");
    }
    const granted = (p) => jp === "write-all" || (jp && typeof jp === "object" && jp[p] === "write");
    const stepsNode = jobNode?.get?.("steps", true);
    (job.steps ?? []).forEach((step, i) => {
      const stepNode = stepsNode?.items?.[i];
      const label = step.name ?? step.uses ?? step.run?.split("\n")[0] ?? `#${i + 1}`;
      for (const [matches, needed] of NEEDS)
        if (matches(step))
          for (const p of needed)
            if (!granted(p)) jconv(`step "${label}" needs permission ${p}: write, which the job does not grant`, stepNode);
      if (PUBLISHES(step)) {
        const pushExpr = String(step.with?.push ?? "");
        if (!GUARD.test(String(job.if ?? "")) && !GUARD.test(String(step.if ?? "")) && !GUARD.test(pushExpr))
          jconv(`step "${label}" publishes but neither it nor its job is guarded against pull requests/forks`, stepNode);
      }
      if (typeof step.run === "string") {
        const runNode = stepNode?.get?.("run", true);
        if (step.run.includes("${{"))
          jconv(`step "${label}": \${{ }} inside run: (pass values through env:)`, runNode);
        const lines = step.run.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));
        if (lines.length > 3) jconv(`step "${label}": run: has ${lines.length} lines; make it a script in the repository`, runNode);
        for (const [, script] of step.run.matchAll(SCRIPT))
          if (!existsSync(resolve(workflowRepo, script))) jconv(`step "${label}" calls ${script}, which is not in the repository`, runNode);
      }
    });
  }
  // Every uses: (steps and reusable-workflow jobs) pinned by commit SHA with a version comment.
  text.split("\n").forEach((line, i) => {
    const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
    if (!m) return;
    const [, ref, rest] = m;
    if (ref.startsWith("./")) return;
    if (ref.startsWith("docker://")) {
      if (!/@sha256:[0-9a-f]{64}$/.test(ref)) report(file, i + 1, "convention", `${ref} is not pinned by digest`);
      return;
    }
    if (!/@[0-9a-f]{40}$/.test(ref)) report(file, i + 1, "convention", `${ref} is not pinned by a full commit SHA`);
    else if (!/#\s*v\d+\.\d+\.\d+\b/.test(rest)) report(file, i + 1, "convention", `${ref} has no "# vX.Y.Z" comment`);
  });
}
console.log(`validate-workflows: ${files.length} files, ${findings} findings`);
process.exit(findings ? 1 : 0);
