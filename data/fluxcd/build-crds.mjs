// Regenerates crds.json from the upstream CRD manifests in crds/: for each, the version the sandbox
// serves (names as given below), unmodified, so the sandbox reads JSON at run time instead of parsing
// 140 kB of YAML. Usage: node data/fluxcd/build-crds.mjs
import console from "node:console";
import { readFileSync, writeFileSync } from "node:fs";
import { URL } from "node:url";
import { parse } from "yaml";

const SERVED = {
  "kustomizations.kustomize.toolkit.fluxcd.io": "v1",
  "helmreleases.helm.toolkit.fluxcd.io": "v2",
  "gitrepositories.source.toolkit.fluxcd.io": "v1",
};

const out = {};
for (const [name, version] of Object.entries(SERVED)) {
  const [plural, ...group] = name.split(".");
  const crd = parse(readFileSync(new URL(`./crds/${group.join(".")}_${plural}.yaml`, import.meta.url), "utf8"));
  if (crd.metadata?.name !== name) throw new Error(`crds/${group.join(".")}_${plural}.yaml defines ${crd.metadata?.name}, not ${name}`);
  const served = (crd.spec?.versions ?? []).find((v) => v.name === version);
  if (!served) throw new Error(`${name} has no version ${version}`);
  out[name] = served;
}
writeFileSync(new URL("./crds.json", import.meta.url), `${JSON.stringify(out)}\n`);
console.log(`${Object.keys(out).length} served CRD versions`);
