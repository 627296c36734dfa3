// Child process for the concurrent-redeem test: waits until the parent creates `go`, then redeems the
// token once for the binding (JSON) and prints the outcome.
import { existsSync } from "node:fs";
import { createApprovals } from "../../src/approval/index.js";

const [secretPath, usedDir, go, token, binding] = process.argv.slice(2) as [string, string, string, string, string];
const approvals = createApprovals({ secretPath, usedDir });
process.stdout.write("ready\n");
while (!existsSync(go)) await new Promise((resolve) => setTimeout(resolve, 2));
const result = approvals.redeem(token, JSON.parse(binding));
process.stdout.write(result.ok ? "ok\n" : `${result.reason}\n`);
