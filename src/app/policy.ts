import type { Config } from "../config/index.js";
import { loadPolicy, withServerModes } from "../policy/index.js";
import type { Policy } from "../policy/index.js";

/** The policy with the server modes of configuration (policy.readOnly, disableDestructive, deniedKinds) applied. */
export function effectivePolicy(config: Config): Policy {
  const { readOnly, disableDestructive, deniedKinds } = config.policy;
  return withServerModes(loadPolicy(config.policy.dir), { readOnly, disableDestructive, deniedKinds });
}
