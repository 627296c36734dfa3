/**
 * validateCommand's cost per call, for before/after comparisons of policy changes (not a test: timings are
 * not asserted). Run: node --import tsx test/policy/validate-speed.ts. Prints, per command, the best average
 * of 40 rounds of 200 calls (the minimum is what survives a busy machine), and their median.
 */
import { loadPolicy, validateCommand } from "../../src/policy/index.js";

const policy = loadPolicy();
const commands = [
  "kubectl get pods -n shop -o wide",
  "kubectl rollout restart deployment/web -n prod",
  "kubectl get pods -n shop -o 'jsonpath={.items[*].metadata.name}'",
  "kubectl logs web-1 -n shop --tail=100 --previous",
  "kubectl scale deployment/web -n staging --replicas=3",
  "kubectl get secrets -n shop -o yaml",
  "kubectl get kustomizations.kustomize.toolkit.fluxcd.io -n flux-system -o yaml",
  "flux reconcile kustomization apps -n flux-system --with-source",
];
for (let i = 0; i < 40_000; i++) validateCommand(commands[i % commands.length] as string, policy);
const best = commands.map((command) => {
  let min = Infinity;
  for (let round = 0; round < 40; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) validateCommand(command, policy);
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 200 / 1000);
  }
  return min;
});
const median = [...best].sort((a, b) => a - b)[Math.floor(best.length / 2)] as number;
for (const [i, command] of commands.entries()) console.log(`${(best[i] as number).toFixed(2).padStart(6)} µs  ${command}`);
console.log(`median ${median.toFixed(2)} µs`);
