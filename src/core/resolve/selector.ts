import { z } from "zod";
import { isLabelSelector } from "../../kube/index.js";

const LabelSelectorSchema = z.object({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.object({
        key: z.string(),
        operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

// One label key or value, as Kubernetes validates them. Checked piece by piece before joining, so that a value
// such as "web,tier" from a hostile API cannot add a requirement to the joined selector.
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function checked(key: string, values: readonly string[]): void {
  if (!LABEL_KEY.test(key)) throw new SelectorError(`the workload's selector has an invalid label key "${key.slice(0, 80)}"`);
  const bad = values.find((v) => !LABEL_VALUE.test(v));
  if (bad !== undefined) throw new SelectorError(`the workload's selector has an invalid label value "${bad.slice(0, 80)}" for ${key}`);
}

export class SelectorError extends Error {
  override readonly name = "SelectorError";
}

/**
 * Turns a workload's `.spec.selector` (as the API returned it) into the `-l` string that selects the same
 * pods. The result must pass the same selector grammar as a request's selector: the API is not trusted
 * to hand back something kubectl would read as anything but a label selector.
 */
export function selectorString(raw: unknown): string {
  const parsed = LabelSelectorSchema.safeParse(raw);
  if (!parsed.success) throw new SelectorError("the workload's .spec.selector is not a label selector");
  const { matchLabels = {}, matchExpressions = [] } = parsed.data;
  const requirements = [
    ...Object.keys(matchLabels)
      .sort()
      .map((key) => {
        const value = matchLabels[key] ?? "";
        checked(key, [value]);
        return `${key}=${value}`;
      }),
    ...matchExpressions.map(({ key, operator, values = [] }) => {
      checked(key, values);
      if (operator === "Exists") return key;
      if (operator === "DoesNotExist") return `!${key}`;
      if (values.length === 0 || values.includes("")) throw new SelectorError(`selector requirement "${key} ${operator}" has no values or an empty one`);
      return `${key} ${operator === "In" ? "in" : "notin"} (${values.join(",")})`;
    }),
  ];
  // An empty selector matches every pod in the namespace; no workload the API accepts has one.
  if (requirements.length === 0) throw new SelectorError("the workload's selector is empty");
  const selector = requirements.join(",");
  if (!isLabelSelector(selector)) throw new SelectorError(`the workload's selector "${selector.slice(0, 120)}" is not a valid label selector`);
  return selector;
}
