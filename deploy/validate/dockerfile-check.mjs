// What this project requires of its Dockerfile beyond hadolint and checkov (ci/lint-infra.sh: tags, USER root,
// ADD, exec form), and the Dockerfile's consistency with the manifests and .dockerignore.
//   node dockerfile-check.mjs Dockerfile .dockerignore rendered-prod.yaml
import { readFileSync } from "node:fs";
import { loadDocs, find, podSpecOf, apiWorkload } from "./lib.mjs";

const [dockerfile, dockerignore, render] = process.argv.slice(2);
const text = readFileSync(dockerfile, "utf8").replace(/\\\n/g, " ");
const lines = text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
const instr = lines.map((l) => {
  const m = l.match(/^(\S+)\s+(.*)$/);
  return { op: m[1].toUpperCase(), rest: m[2] };
});
let passed = 0;
const failed = [];
const check = (name, ok, detail = "") => (ok ? passed++ : failed.push(`${name}${detail ? `: ${detail}` : ""}`));

const froms = instr.filter((i) => i.op === "FROM");
check("multi-stage build (>= 2 FROM)", froms.length >= 2);
const argDefaults = Object.fromEntries(
  instr.filter((i) => i.op === "ARG" && i.rest.includes("=")).map((i) => [i.rest.split("=")[0], i.rest.slice(i.rest.indexOf("=") + 1).replace(/^"|"$/g, "")]),
);
for (const f of froms) {
  const ref = f.rest.split(/\s+/)[0];
  const arg = ref.match(/^\$\{?(\w+)\}?$/)?.[1];
  const image = arg ? argDefaults[arg] : ref;
  if (ref.match(/^\w+$/) && froms.some((g) => g.rest.match(new RegExp(`\\bAS\\s+${ref}$`, "i")))) continue; // a stage
  check(`base image ${ref} is a build argument with a default`, !!arg && !!image, ref);
  const tag = image?.includes("@") ? "digest" : image?.split("/").pop().split(":")[1];
  check(`base image default ${image} pinned (no latest)`, !!tag && tag !== "latest" && /\d/.test(tag));
}
const finalStage = instr.slice(instr.lastIndexOf(froms[froms.length - 1]));
const user = finalStage.filter((i) => i.op === "USER").pop();
check("final stage sets USER 1000:1000", user?.rest === "1000:1000", user?.rest);
const lastUserIdx = finalStage.lastIndexOf(user);
check("no RUN/COPY/ADD after USER would run as root", finalStage.slice(lastUserIdx).every((i) => !["RUN"].includes(i.op)));
const ep = finalStage.filter((i) => i.op === "ENTRYPOINT").pop();
let epArgs = [];
try {
  epArgs = JSON.parse(ep?.rest ?? "null") ?? [];
} catch {
  epArgs = [];
}
check("JVM sized from the container limit (-XX:MaxRAMPercentage)", epArgs.some((a) => /^-XX:MaxRAMPercentage=\d+/.test(a)));
check("JVM exits on OutOfMemoryError", epArgs.includes("-XX:+ExitOnOutOfMemoryError"));
check("JVM tmpdir is /tmp (the writable volume)", epArgs.includes("-Djava.io.tmpdir=/tmp"));
// The AOT cache must be made by the image's own JVM on the image's own class path (a cache made elsewhere does not
// match), and the ENTRYPOINT must run exactly that class path: java -jar app.jar, not the launcher.
const aotCache = epArgs.find((a) => a.startsWith("-XX:AOTCache="))?.slice("-XX:AOTCache=".length);
check("JVM starts from the AOT cache (-XX:AOTCache=...)", !!aotCache);
check("the AOT cache is trained in the final stage, before USER",
  !!aotCache && finalStage.slice(0, lastUserIdx).some((i) => i.op === "RUN" && i.rest.includes(`-XX:AOTCacheOutput=${aotCache}`)));
check("ENTRYPOINT runs the extracted jar the cache was trained on (-jar app.jar)",
  epArgs.slice(-2).join(" ") === "-jar app.jar" && finalStage.some((i) => i.op === "RUN" && /-jar app\.jar/.test(i.rest)));
const labels = finalStage.filter((i) => i.op === "LABEL").map((i) => i.rest).join(" ");
for (const l of ["title", "description", "version", "revision", "created", "source"])
  check(`OCI label org.opencontainers.image.${l}`, labels.includes(`org.opencontainers.image.${l}=`));
check("no credentials in ENV/ARG", !instr.some((i) => ["ENV", "ARG"].includes(i.op) && /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY)\s*=/i.test(i.rest)));
check("layered copy: dependencies before application", /extracted\/dependencies/.test(text) && text.indexOf("extracted/dependencies") < text.indexOf("extracted/application"));

// EXPOSE = the container ports of the manifests.
const exposed = finalStage.filter((i) => i.op === "EXPOSE").flatMap((i) => i.rest.split(/\s+/).map((p) => Number(p.split("/")[0])));
const docs = loadDocs(render);
const c = podSpecOf(apiWorkload(docs)).containers.find((x) => x.name === "employee-api");
const ports = c.ports.map((p) => p.containerPort).sort();
check("EXPOSE matches the Deployment's container ports", JSON.stringify([...exposed].sort()) === JSON.stringify(ports), `${exposed} vs ${ports}`);
check("image runs under the Deployment's runAsUser", user?.rest?.split(":")[0] === String(c.securityContext?.runAsUser ?? ""));

// .dockerignore: deny everything, allow what the build reads.
const ignore = readFileSync(dockerignore, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
check(".dockerignore starts by excluding everything", ignore[0] === "*");
for (const need of ["mvnw", "pom.xml", "src/main/"]) check(`.dockerignore lets ${need} in`, ignore.includes(`!${need}`));
const copied = instr.filter((i) => i.op === "COPY" && !i.rest.startsWith("--from")).flatMap((i) => i.rest.split(/\s+/).slice(0, -1));
for (const src of copied)
  check(`COPY source ${src} is allowed by .dockerignore`, ignore.some((l) => l.startsWith("!") && (l.slice(1).replace(/\/$/, "") === src.replace(/\/$/, "") || src.startsWith(l.slice(1)) || l.slice(1).startsWith(src + "/"))));

for (const f of failed) console.error(`FAIL Dockerfile: ${f}`);
console.log(`dockerfile: ${passed} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
