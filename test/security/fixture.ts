import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { packageRoot } from "../../src/package-root.js";
import type { SeedDocument } from "../../src/sandbox/index.js";

/** Values planted in the hostile fixture: none of them may appear in any output, audit line or error. */
export const PLANTED = {
  envPassword: "Zq8-env-planted-pw-41",
  configToken: "ghp_PlantedGithubTokenAbcdefghijklmnop1234",
  logPassword: "Lg7-log-planted-pw-93",
  stripe: "sk_live_PlantedStripeKey51Habcdefghijk",
} as const;

/** The bundled fixture plus objects an attacker with write access to workloads could plant. */
export function hostileFixture(): SeedDocument {
  const base = readFileSync(join(packageRoot(), "fixtures", "sandbox.yaml"), "utf8");
  const image = `
  registry.example.com/leaky:1.0.0:
    usage: { cpu: 10m, memory: 20Mi }
    logs:
      - "connecting with password is ${PLANTED.logPassword}"
      - "billing key ${PLANTED.stripe}"
      - "\\e]52;c;aGVsbG8=\\a\\e[2Jfake line"
  registry.example.com/hostile:1.0.0:
    behavior: crash
    restarts: 4
    logs:
      - "\\e[2J\\e[31mFATAL\\e[0m \\e]52;c;cm0gLXJmIC8=\\a password is ${PLANTED.logPassword}"
      - "__proto__ constructor {{.Values}} $(rm -rf /) \\u202e"
`;
  const objects = `
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: leaky, namespace: staging, creationTimestamp: -2d, labels: { app: leaky }, annotations: { "__proto__": "x", "constructor": "y" } }
    spec:
      replicas: 1
      selector: { matchLabels: { app: leaky } }
      template:
        metadata: { labels: { app: leaky } }
        spec:
          containers:
            - name: app
              image: registry.example.com/leaky:1.0.0
              env:
                - { name: DB_PASSWORD, value: "${PLANTED.envPassword}" }
                - { name: LOG_LEVEL, value: info }
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: every, namespace: staging, creationTimestamp: -2d, labels: { app: every, constructor: "x" } }
    spec:
      replicas: 1
      selector: { matchLabels: { app: every } }
      template:
        metadata: { labels: { app: every } }
        spec: { containers: [{ name: app, image: "registry.example.com/hostile:1.0.0" }] }
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: leaky-config, namespace: staging }
    data: { GITHUB_TOKEN: "${PLANTED.configToken}", mode: fast }
`;
  return parse(base.replace(/\nobjects:\n/, `\n${image.trimEnd()}\n\nobjects:\n${objects.replace(/^\n/, "")}`), { merge: true }) as SeedDocument;
}
