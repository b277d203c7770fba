// Node 20 refuses `import x from "./file.json"` without an import attribute, and GitHub's @actions/* packages
// import their schemas that way. This loader hook adds `with { type: "json" }` to every .json import.
//   node --import ./ci/json-import-hook.mjs ci/validate-workflows.mjs ...
import { register } from "node:module";

if (!globalThis.__employeeMgmtJsonHook) {
  globalThis.__employeeMgmtJsonHook = true;
  register(import.meta.url);
}

export async function load(url, context, nextLoad) {
  if (url.endsWith(".json") && context.importAttributes?.type !== "json") {
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: "json" } });
  }
  return nextLoad(url, context);
}
