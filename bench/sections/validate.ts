import { loadPolicy, tokenize, validateCommand } from "../../src/policy/index.js";
import { Findings } from "../section.js";
import type { Section } from "../section.js";
import { timeSync } from "../stats.js";

/** A mix the policy engine sees: allowed reads and writes, confirmations, and denials for different reasons. */
const COMMANDS = [
  "kubectl rollout restart deployment/web -n staging",
  "kubectl get pods -n staging -l app=web -o wide",
  "kubectl scale deployment/web -n prod --replicas=3",
  "kubectl logs web-0 -n shop --tail=100 --since=10m",
  "kubectl describe deployment payments-api -n prod",
  "kubectl delete pod web-0 -n prod",
  "kubectl get secret db -n prod -o yaml",
  "kubectl get pods -n staging; rm -rf /",
  "kubectl drain worker-3 --ignore-daemonsets --delete-emptydir-data",
  "flux reconcile kustomization apps -n flux-system --with-source",
];

/** Figure 3: one policy decision on a command line; baseline: splitting the same line into words alone. */
export const validateSection: Section = {
  id: "validate",
  title: "Validate one command (policy engine)",
  async run(ctx) {
    const f = new Findings();
    const policy = loadPolicy();
    const iterations = ctx.quick ? 20_000 : 100_000;
    const pick = (i: number) => COMMANDS[i % COMMANDS.length] as string;
    // Interleaved in blocks so a load spike from elsewhere on the shared machine hits both series alike.
    const validate: number[] = [];
    const split: number[] = [];
    const block = 5_000;
    for (let done = 0; done < iterations; done += block) {
      validate.push(...timeSync(block, (i) => validateCommand(pick(i), policy), 1_000));
      split.push(...timeSync(block, (i) => tokenize(pick(i)), 1_000));
    }
    const v = f.measure(`validateCommand, ${COMMANDS.length} commands in turn`, validate);
    const t = f.measure("tokenize alone (baseline)", split);
    f.row({ label: "validateCommand p50", value: v.p50, unit: "ms", target: { op: "<=", value: 0.05 } });
    f.row({ label: "validateCommand p99", value: v.p99, unit: "ms" });
    f.row({ label: "tokenize p50 (baseline)", value: t.p50, unit: "ms" });
    f.row({ label: "validateCommand p50 ÷ tokenize p50", value: v.p50 / t.p50, unit: "×" });
    f.note(
      "Single calls are timed with performance.now(), whose own cost (~0.1 µs) is included in every sample; " +
        "both series carry it equally.",
    );
    return f.result();
  },
};
