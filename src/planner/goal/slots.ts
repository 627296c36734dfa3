import { isDns1123Label, isDns1123Subdomain, isDuration, isLabelSelector } from "../../cards/validators.js";
import { isVocabularyWord } from "../../retrieval/index.js";

/** What a goal says explicitly. Nothing here is inferred from context or defaults. */
export interface GoalSlots {
  namespace?: string;
  /** Object names the goal mentions; more than one is ambiguous unless a kind word sits next to one. */
  names: string[];
  /** Names written next to a kind word ("deployment web", "the infra kustomization", "pod/api-1"). */
  anchoredNames: string[];
  selector?: string;
  params: Record<string, string | number | boolean>;
  /** Things written like names, namespaces or flags that are not valid: the goal is a question, not a plan. */
  rejected: string[];
  /** Values the grammar could not pin down (two namespaces, a number it did not consume): planning would drop them. */
  unclear: string[];
}

/** Flags the slot grammar understands; any other flag in a goal is a request it cannot honour. */
const KNOWN_FLAGS = /^(-n|-l|-c|--namespace|--selector|--container|--tail|--since|--previous|--replicas|--timeout|--to-revision)(=|$)/;

const KIND_WORDS =
  /^(deploy|deployments?|po|pods?|sts|statefulsets?|ds|daemonsets?|no|nodes?|ns|namespaces?|cm|configmaps?|jobs?|cronjobs?|cj|ks|kustomizations?|svc|services?|container)$/;
const UNIT_SECONDS: Record<string, string> = { s: "s", sec: "s", secs: "s", second: "s", seconds: "s", m: "m", min: "m", mins: "m", minute: "m", minutes: "m", h: "h", hr: "h", hrs: "h", hour: "h", hours: "h" };
const PHASES: Record<string, string> = { pending: "Pending", running: "Running", succeeded: "Succeeded", failed: "Failed", unknown: "Unknown" };

/** Words the slot grammar itself consumes; they are never object names. */
const GRAMMAR_WORDS = new Set(
  (
    "lines line replica replicas revision since last past tail minutes hours seconds suffix flux helm timeout " +
    "roll back down up make mark sorted sort time again all with keeps keep looping exist exists happened recently " +
    "latest newest oldest everything info information state current new old most least has have having going " +
    "kubectl k maintenance please quickly now today sync label labels labelled labeled selector contents rollout rollouts wait"
  ).split(" "),
);
/** Words that follow "in" without naming a namespace ("in crashloop", "in the logs"). */
const NOT_A_NAMESPACE = /^(crashloop\w*|crash|pending|error|errors|trouble|maintenance|order|time|the|a|an|last|past|logs?|production|a\s)$/i;

function take(goal: string, pattern: RegExp): string | undefined {
  return pattern.exec(goal)?.[1];
}

/** Extracts explicit slots from a goal with a small fixed grammar; anything unclear is left empty. */
export function extractSlots(goal: string): GoalSlots {
  const text = goal.replace(/[“”]/g, '"').replace(/(\w)['‘’](\w)/g, "$1$2");
  const lower = text.toLowerCase();
  const slots: GoalSlots = { names: [], anchoredNames: [], params: {}, rejected: [], unclear: [] };
  for (const flag of text.match(/(?:^|\s)--?[A-Za-z][^\s]*/g) ?? []) {
    if (!KNOWN_FLAGS.test(flag.trim())) slots.rejected.push(flag.trim());
  }
  const consumed = new Set<string>();

  const inWords = [...text.matchAll(/\b(?:in|from)\s+([^\s,.;]+)(?=[\s,.;]|$)/gi)].map((m) => m[1] ?? "").filter(mayBeNamespace);
  const namespace =
    take(text, /(?:^|\s)(?:-n\s*|--namespace[=\s])(\S+)/) ??
    take(text, /\b(?:namespace|ns)[=:\s]+(\S+)/i) ??
    take(text, /\bin\s+(?:the\s+)?(\S+)\s+(?:namespace|ns)\b/i) ??
    inWords[0];
  if (namespace) {
    if (isDns1123Label(namespace)) {
      slots.namespace = namespace;
      consumed.add(namespace);
    } else slots.rejected.push(namespace);
  }
  // "in staging and prod", "-n prod ... in staging": one operation targets one namespace.
  const continued = [...text.matchAll(/\b(?:in|from)\s+\S+\s+(?:and|or|&|\+)\s+([^\s,.;]+)/gi)]
    .map((m) => m[1] ?? "")
    .filter((word) => mayBeNamespace(word) && !isVocabularyWord(word.toLowerCase()));
  const namespaces = new Set([namespace, ...inWords, ...continued].filter((ns): ns is string => ns !== undefined && isDns1123Label(ns)));
  if (namespaces.size > 1) slots.unclear.push(`several namespaces (${[...namespaces].join(", ")})`);

  const selector =
    take(text, /(?:^|\s)(?:-l\s*|--selector[=\s])(\S+)/) ?? take(text, /\b(?:label|labels|labelled|labeled|selector)\s+(\S+=\S+)/i) ?? take(text, /(?:^|\s)([A-Za-z0-9./-]+!?=[A-Za-z0-9._-]+)(?=\s|$)/);
  if (selector && isLabelSelector(selector)) {
    slots.selector = selector;
    for (const part of selector.split(/[=,!]+/)) consumed.add(part.toLowerCase());
  }

  const replicas = take(lower, /\b(\d{1,4})\s+(?:replicas?|instances|copies|pods)\b/) ?? take(lower, /--replicas[=\s](\d{1,4})\b/) ?? take(lower, /\bto\s+(\d{1,4})\b/);
  if (replicas !== undefined) slots.params["replicas"] = Number(replicas);

  const tail = take(lower, /--tail[=\s](\d{1,6})\b/) ?? take(lower, /\b(?:last|tail)\s*(\d{1,6})(?:\s+lines?)?\b/) ?? take(lower, /\b(\d{1,6})\s+lines?\b/);
  if (tail !== undefined) slots.params["tail"] = Number(tail);

  const since = /\b(?:since|last|past)\s+(\d{1,4})\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)\b/.exec(lower) ?? /--since[=\s](\d{1,4})(s|m|h)\b/.exec(lower);
  if (since?.[1] && since[2]) {
    const duration = `${since[1]}${UNIT_SECONDS[since[2]] ?? ""}`;
    if (isDuration(duration)) slots.params["since"] = duration;
    if (tail !== undefined && since[1] === tail) delete slots.params["tail"];
  }

  const timeout = take(lower, /\b(?:timeout(?:\s+of)?|--timeout[=\s]|wait(?:ing)?\s+(?:up\s+to|for)?)\s*(\d{1,4}[smh])\b/);
  if (timeout && isDuration(timeout)) slots.params["timeout"] = timeout;

  const revision = take(lower, /\b(?:revision|--to-revision[=\s]|rev)\s*(\d{1,6})\b/);
  if (revision !== undefined) slots.params["revision"] = Number(revision);

  const container = take(text, /(?:^|\s)(?:-c\s+|--container[=\s]|container\s+)(\S+)/i);
  if (container && !isVocabularyWord(container.toLowerCase())) {
    if (isDns1123Label(container)) {
      slots.params["container"] = container;
      consumed.add(container);
    } else slots.rejected.push(container);
  }

  if (/\b(previous|prev|before (it|the) crash(ed)?|last crash|crashed container|--previous)\b/.test(lower)) slots.params["previous"] = true;

  const phase = take(lower, /\b(pending|running|succeeded|failed|unknown)\s+pods?\b/) ?? take(lower, /\bpods?\s+(?:that\s+)?(?:are\s+|in\s+)?(pending|running|succeeded|failed)\b/);
  if (phase) slots.params["phase"] = PHASES[phase] ?? phase;

  // Keys the cards name differently (events-recent's `type`); see PARAM_ALIASES in the parser.
  if (/\bwarnings?\b/.test(lower)) slots.params["event_type"] = "Warning";
  const sortBy = take(lower, /\bsort(?:ed)?\s+by\s+(cpu|memory)\b/);
  if (sortBy) slots.params["sort_by"] = sortBy;

  collectNames(text, slots, consumed);
  for (const number of unconsumedNumbers(text, slots.params)) slots.unclear.push(`"${number}"`);
  return slots;
}

function mayBeNamespace(word: string): boolean {
  return !NOT_A_NAMESPACE.test(word) && !word.includes("/") && !KIND_WORDS.test(word.toLowerCase()) && !GRAMMAR_WORDS.has(word.toLowerCase());
}

/** Standalone numbers ("15m", "3", "-1") that no slot took: the goal states something planning would ignore. */
function unconsumedNumbers(text: string, params: GoalSlots["params"]): string[] {
  const used = new Set(
    ["replicas", "tail", "since", "timeout", "revision"].map((key) => /^\d+/.exec(String(params[key] ?? ""))?.[0]).filter(Boolean),
  );
  return text
    .split(/[\s,;:!?()"'`]+/)
    .map((word) => word.replace(/\.+$/, ""))
    .filter((word) => /^-?\d+[a-z]{0,7}$/i.test(word) && !used.has(/\d+/.exec(word)?.[0]));
}

function collectNames(text: string, slots: GoalSlots, consumed: ReadonlySet<string>): void {
  const words = text.split(/[\s,;:!?()"'`]+/).map((w) => w.replace(/\.+$/, "")).filter(Boolean);
  const addName = (name: string, anchored: boolean) => {
    if (consumed.has(name)) return;
    if (!isDns1123Subdomain(name)) {
      if (anchored || /[-\d]/.test(name) || /[^ -~]/.test(name)) slots.rejected.push(name);
      return;
    }
    if (!slots.names.includes(name)) slots.names.push(name);
    if (anchored && !slots.anchoredNames.includes(name)) slots.anchoredNames.push(name);
  };
  for (const [i, word] of words.entries()) {
    const ref = /^([A-Za-z]+)\/(\S+)$/.exec(word);
    if (ref?.[1] && ref[2] && KIND_WORDS.test(ref[1].toLowerCase())) {
      addName(ref[2], true);
      continue;
    }
    if (word.startsWith("-") || /^\d+$/.test(word) || /\d+[smh]$/.test(word) && /^\d/.test(word)) continue;
    const lowerWord = word.toLowerCase();
    if (isVocabularyWord(lowerWord) || GRAMMAR_WORDS.has(lowerWord) || KIND_WORDS.test(lowerWord) || consumed.has(word)) continue;
    const previous = (words[i - 1] ?? "").toLowerCase();
    const next = (words[i + 1] ?? "").toLowerCase();
    if (/^(-n|--namespace|-l|--selector|-c|--container|namespace|ns|container)$/.test(previous)) continue;
    addName(word, KIND_WORDS.test(previous) || KIND_WORDS.test(next));
  }
}
