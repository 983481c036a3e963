// Validates CRD-based objects (ServiceMonitor, PrometheusRule, Gateway,
// HTTPRoute) against the schemas generated from their published CRDs, as the
// npm packages @kubernetes-models/prometheus-operator and
// @kubernetes-models/gateway-api ship them.
//
// usage: node crds.mjs NODE_MODULES_DIR < objects.json
// objects.json: [{"source": "...", "object": {...}}, ...]
// Prints one line per object; exits 1 if any is invalid or of an unknown kind.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.argv[2];
const models = {
  "monitoring.coreos.com/v1/ServiceMonitor": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor.js",
  "monitoring.coreos.com/v1/PrometheusRule": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule.js",
  "gateway.networking.k8s.io/v1/Gateway": "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway.js",
  "gateway.networking.k8s.io/v1/HTTPRoute": "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute.js",
};

const items = JSON.parse(readFileSync(0, "utf8"));
let failed = 0;
for (const { source, object } of items) {
  const key = `${object.apiVersion}/${object.kind}`;
  const path = models[key];
  const name = `${source} ${object.kind}/${object.metadata?.name}`;
  if (!path) {
    console.log(`FAIL ${name}: no schema for ${key}`);
    failed++;
    continue;
  }
  const module = await import(pathToFileURL(join(modules, path)).href);
  const Model = module[object.kind];
  try {
    new Model(object).validate();
    console.log(`ok   ${name}`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e.message}`);
    failed++;
  }
}
console.log(`CRD schemas: ${items.length - failed} of ${items.length} objects valid`);
process.exit(failed ? 1 : 0);
