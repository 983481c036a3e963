// Parses each Mermaid file with Mermaid's own parser (the npm package
// `mermaid`, under a jsdom window since it expects a browser), as GitHub
// would before drawing it: `prefectc graph --format mermaid` of every
// example must be a flowchart Mermaid accepts, link styles included.
//
// usage: node mermaid.mjs NODE_MODULES_DIR FILE.mmd...
// Prints one line per file; exits 1 if any does not parse.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, ...files] = process.argv.slice(2);
const load = (name, entry) => import(pathToFileURL(join(modules, name, entry)).href);
const { JSDOM } = await load("jsdom", "lib/api.js");
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await load("mermaid", "dist/mermaid.core.mjs");
mermaid.initialize({ startOnLoad: false });

let failed = 0;
for (const file of files) {
  try {
    await mermaid.parse(readFileSync(file, "utf8"));
    console.log(`ok   ${file}`);
  } catch (e) {
    console.log(`FAIL ${file}: ${String(e).slice(0, 500)}`);
    failed++;
  }
}
if (files.length === 0) {
  console.log("FAIL no files given");
  failed++;
}
process.exit(failed ? 1 : 0);
