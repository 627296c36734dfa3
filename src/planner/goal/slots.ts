import { AMBIGUOUS_SHORT_NAMES, CORRECTABLE_VERBS, INTENTS, VERB_REWRITES, isDns1123Label, isDns1123Subdomain, isDuration, isLabelSelector, kindOf, kindOfInKubectlContext } from "../../kube/index.js";
import { isVocabularyWord } from "../../retrieval/index.js";
import { FILLER_WORDS, FRAME_VERBS, GRAMMAR_WORDS, NOT_A_NAMESPACE, QUANTIFIERS } from "./words.js";

/** What a goal says explicitly. Nothing here is inferred from context or defaults. */
export interface GoalSlots {
  namespace?: string;
  /** Object names the goal mentions; more than one is ambiguous unless a kind word sits next to one. */
  names: string[];
  /** Names written next to a kind word ("deployment web", "the infra kustomization", "pod/api-1"). */
  anchoredNames: string[];
  /** The kind written next to each anchored name ("web" → "deployment"). */
  anchorKinds: Record<string, string>;
  selector?: string;
  params: Record<string, string | number | boolean>;
  /** A change relative to the current replica count ("by 50%", "add two replicas"). */
  relative?: { readonly op: "add" | "multiply"; readonly amount: number; readonly text: string };
  /** "every", "all", "each" …: the goal speaks about many objects. */
  quantified: boolean;
  /** Things written like names, namespaces or flags that are not valid: the goal is a question, not a plan. */
  rejected: string[];
  /** Values the grammar could not pin down (two namespaces, a number it did not consume): planning would drop them. */
  unclear: string[];
}

/** Flags the slot grammar understands; any other flag in a goal is a request it cannot honour. */
const KNOWN_FLAGS =
  /^--field-selector=status\.phase==?[A-Za-z]+$|^(-n|-l|-c|-A|-o|--namespace|--selector|--container|--tail|--since|--previous|--replicas|--timeout|--to-revision|--sort-by|--all-namespaces|--show-labels|-f|--follow|-p|--ignore-daemonsets|--delete-emptydir-data)(=|$)/;

const UNIT_WORDS = "s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?";
const UNIT: Record<string, string> = { s: "s", sec: "s", secs: "s", second: "s", seconds: "s", m: "m", min: "m", mins: "m", minute: "m", minutes: "m", h: "h", hr: "h", hrs: "h", hour: "h", hours: "h" };
const CREDENTIAL_KEY = /(^|[./_-])(pass(word)?|passwd|pwd|token|secret|api[-_]?key|credentials?)\s*!?=/i;
const PHASES: Record<string, string> = { pending: "Pending", running: "Running", succeeded: "Succeeded", failed: "Failed", unknown: "Unknown" };

/** Text with the spans a slot consumed blanked out, so the same word elsewhere can still be a name. */
class Spans {
  private text: string;
  constructor(text: string) {
    this.text = text;
  }
  blank(start: number, length: number): void {
    this.text = this.text.slice(0, start) + " ".repeat(length) + this.text.slice(start + length);
  }
  /** The first match in the not-yet-consumed text; its whole span is consumed. */
  take(pattern: RegExp): RegExpExecArray | null {
    const match = pattern.exec(this.text);
    if (match) this.blank(match.index, match[0].length);
    return match;
  }
  get value(): string {
    return this.text;
  }
}

function isKindWord(word: string): boolean {
  return kindOf(word) !== undefined || word.toLowerCase() === "container" || word.toLowerCase() === "containers";
}

const VERBS: ReadonlySet<string> = new Set([...INTENTS, ...CORRECTABLE_VERBS, ...VERB_REWRITES.keys(), "show", "get", "list", "check", "tell", "give", "find"]);

/** "in staging, restart web": the word after the comma is the next clause's verb, not a second namespace. */
function isVerb(word: string): boolean {
  return VERBS.has(word.toLowerCase());
}

function mayBeNamespace(word: string): boolean {
  const lower = word.toLowerCase();
  return (
    !NOT_A_NAMESPACE.test(lower) &&
    !word.includes("/") &&
    !isKindWord(lower) &&
    !GRAMMAR_WORDS.has(lower) &&
    !FILLER_WORDS.has(lower) &&
    !FRAME_VERBS.has(lower) &&
    !isVerb(lower) &&
    !/^\d/.test(lower)
  );
}

/** Extracts explicit slots from a normalised goal with a small fixed grammar; anything unclear is left empty. */
export function extractSlots(text: string): GoalSlots {
  const lower = text.toLowerCase();
  const slots: GoalSlots = { names: [], anchoredNames: [], anchorKinds: {}, params: {}, rejected: [], unclear: [], quantified: false };
  for (const flag of text.match(/(?:^|\s)--?[A-Za-z][^\s]*/g) ?? []) {
    if (!KNOWN_FLAGS.test(flag.trim())) slots.rejected.push(flag.trim());
  }
  const spans = new Spans(text);
  readNamespace(spans, slots);
  readNumbers(spans, lower, slots);
  readSelector(spans, slots);
  readQualifiers(spans, lower, slots);
  collectNames(spans.value, slots);
  for (const number of unconsumedNumbers(spans.value)) slots.unclear.push(`"${number}"`);
  return slots;
}

function readNamespace(spans: Spans, slots: GoalSlots): void {
  const flag = /(?:^|\s)(?:-n\s*|-n=|--namespace[=\s])(\S+)/;
  const before = /(?:\b(?:in|of|from)\s+(?:the\s+)?|\bthe\s+)([^\s,;]+)\s+(?:namespace|ns)\b/i;
  const after = /\b(?:namespace|ns)[=:\s]+([^\s,;]+)/i;
  const generic = /\b(?:in|from|within)\s+([^\s,;]+)(?=[\s,;]|$)/gi;
  const mentions: string[] = [];
  for (let match = spans.take(flag); match; match = spans.take(flag)) mentions.push(match[1] ?? "");
  // "in prod namespace", but not "in the namespace shop" (there "namespace shop" names it, below).
  for (let match = before.exec(spans.value); match && mayBeNamespace(match[1] ?? ""); match = before.exec(spans.value)) {
    spans.blank(match.index, match[0].length);
    mentions.push(match[1] ?? "");
  }
  // "namespace X" only when X is not a filler word ("the namespace that keeps crashing").
  for (let match = after.exec(spans.value); match; match = after.exec(spans.value)) {
    if (!mayBeNamespace(match[1] ?? "")) break;
    spans.blank(match.index, match[0].length);
    mentions.push(match[1] ?? "");
  }
  for (const match of [...spans.value.matchAll(generic)]) {
    const word = match[1] ?? "";
    if (!mayBeNamespace(word) || word.startsWith("-")) continue;
    // "in staging and prod": one operation targets one namespace.
    const continued = /^\s*(?:,|\band\b|\bor\b|&|\+)\s*([^\s,;]+)/.exec(spans.value.slice((match.index ?? 0) + match[0].length));
    if (continued?.[1] && mayBeNamespace(continued[1]) && !isVerb(continued[1])) mentions.push(continued[1]);
    spans.blank(match.index ?? 0, match[0].length);
    mentions.push(word);
  }
  const distinct = [...new Set(mentions)];
  const first = distinct[0];
  if (first === undefined) return;
  const valid = distinct.filter((ns) => isDns1123Label(ns));
  for (const ns of distinct) if (!isDns1123Label(ns)) slots.rejected.push(ns);
  if (valid.length > 1) slots.unclear.push(`several namespaces (${valid.join(", ")})`);
  if (isDns1123Label(first)) slots.namespace = first;
}

function readSelector(spans: Spans, slots: GoalSlots): void {
  const match =
    spans.take(/(?:^|\s)(?:-l\s*|--selector[=\s])(\S+)/) ??
    spans.take(/\b(?:label|labels|labelled|labeled|selector)\s+(\S+=\S+)/i) ??
    spans.take(/(?:^|\s)([A-Za-z0-9][A-Za-z0-9./-]*!?=[A-Za-z0-9._-]+)(?=\s|$)/);
  const selector = match?.[1];
  if (selector === undefined) return;
  // "password=…" pasted into a goal is a credential, not a label: it would end up in argv and process lists.
  if (CREDENTIAL_KEY.test(selector)) slots.rejected.push(`${selector.split(/!?=/)[0] ?? "selector"}=… (looks like a credential, not a label)`);
  else if (isLabelSelector(selector)) slots.selector = selector;
  else slots.rejected.push(selector);
}

function readNumbers(spans: Spans, lower: string, slots: GoalSlots): void {
  const num = (match: RegExpExecArray | null) => (match?.[1] === undefined ? undefined : Number(match[1]));
  // Relative scaling needs the current count: it is read before "to N" so "by 2" is not taken as a target.
  const percent = spans.take(/\bby\s+(\d{1,3})\s*%/i);
  const added = spans.take(/\b(?:add|another)\s+(\d{1,3})\s+(?:more\s+)?(?:replicas?|instances|copies|pods)\b/i) ?? spans.take(/\b(?:add|another)\s+(\d{1,3})\b/i);
  const down = /\b(down|reduce|decrease|shrink|cut|lower)\b/.test(lower);
  if (percent?.[1] && Number(percent[1]) > 100) slots.unclear.push(`"${percent[0].trim()}" (say the target count)`);
  else if (percent?.[1]) slots.relative = { op: "multiply", amount: 1 + ((down ? -1 : 1) * Number(percent[1])) / 100, text: percent[0].trim() };
  else if (added?.[1]) slots.relative = { op: "add", amount: Number(added[1]), text: added[0].trim() };
  else if (/\b(double|triple|halve|by\s+\d+|remove\s+\d+\s+replicas?|\d+\s+(?:more|fewer|less)\s+replicas?)\b/.test(lower)) {
    slots.unclear.push("a change relative to the current replica count (say the target count, e.g. \"to 4 replicas\")");
  }

  const replicas =
    num(spans.take(/--replicas[=\s](\d{1,6})\b/)) ??
    num(spans.take(/\b(\d{1,6})\s+(?:replicas?|instances|copies|pods)\b/i)) ??
    num(spans.take(/\b(?:to|until|till)\s+(\d{1,6})\b(?!\s*(?:[smh]\b|%))/i));
  if (replicas !== undefined && slots.relative) slots.unclear.push("both a target count and a relative change");
  else if (replicas !== undefined) slots.params["replicas"] = replicas;

  const tail =
    num(spans.take(/--tail[=\s](\d{1,6})\b/)) ??
    num(spans.take(/\b(?:last|tail|latest|first)\s+(\d{1,6})(?:\s+(?:lines?|log\s+lines?|logs?))?\b(?!\s*(?:[smhdw]|days?|weeks?|months?|years?)\b)/i)) ??
    num(spans.take(/\b(\d{1,6})\s+(?:log\s+)?lines?\b/i));
  if (tail !== undefined) slots.params["tail"] = tail;

  const since = spans.take(new RegExp(`(?:\\bsince\\s+|--since[=\\s])(\\d{1,4})\\s*(${UNIT_WORDS})\\b`, "i"));
  if (since?.[1] && since[2]) {
    const duration = `${since[1]}${UNIT[since[2].toLowerCase()] ?? ""}`;
    if (isDuration(duration)) slots.params["since"] = duration;
  }

  const timeout =
    spans.take(/\b(?:timeout(?:\s+of)?|--timeout[=\s]|wait(?:ing)?\s+(?:up\s+to|for)?)\s*(\d{1,4}[smh])\b/i) ??
    spans.take(/\b(?:with\s+)?(?:a\s+)?(\d{1,4}[smh])\s+timeout\b/i);
  if (timeout?.[1] && isDuration(timeout[1])) slots.params["timeout"] = timeout[1];

  const revision = num(spans.take(/(?:\b(?:revision|rev)\s*|--to-revision[=\s])(\d{1,6})\b/i));
  if (revision !== undefined) slots.params["revision"] = revision;

  const container = spans.take(/(?:^|\s)(?:-c\s+|--container[=\s]|container\s+)([^\s,]+)/i);
  const containerName = container?.[1];
  if (containerName && !isVocabularyWord(containerName.toLowerCase())) {
    if (isDns1123Label(containerName)) slots.params["container"] = containerName;
    else slots.rejected.push(containerName);
  }
}

/** Qualifiers become parameters; a card that cannot take one does not fit, so none is silently dropped. */
function readQualifiers(spans: Spans, lower: string, slots: GoalSlots): void {
  const previousVersion = /\b(previous|prior|last|old)\s+(version|revision|release|rollout|deploy(ment)?)\b/.test(lower);
  if (spans.take(/(?:^|\s)(?:--previous|-p)(?=\s|$)/) || (!previousVersion && /\b(previous|prev|before (it|the) crash(ed)?|last crash|crashed container)\b/.test(lower))) {
    slots.params["previous"] = true;
  }
  if (spans.take(/(?:^|\s)(?:-A|--all-namespaces)(?=\s|$)/) || /\b(?:in|across|from|for|over)\s+(?:all|every|each)?\s*(?:the\s+)?namespaces\b/.test(lower)) {
    slots.params["all_namespaces"] = true;
  }
  if (spans.take(/(?:^|\s)(?:-f|--follow)(?=\s|$)/) || /\b(follow|stream|streaming|live|watch)\b/.test(lower)) slots.params["follow"] = true;
  // Flags the drain card always sets: fine there, a question on any other card (unsupported() checks the template).
  for (const flag of ["ignore-daemonsets", "delete-emptydir-data"]) if (spans.take(new RegExp(`(?:^|\\s)--${flag}(?=\\s|$)`))) slots.params[flag] = true;
  if (spans.take(/(?:^|\s)--show-labels(?=\s|$)/) || /\b(with|and)\s+(their\s+|the\s+)?labels\b/.test(lower)) slots.params["show_labels"] = true;
  const output = spans.take(/(?:^|\s)-o\s*=?\s*(\S+)/) ?? spans.take(/\b(?:as|in)\s+(json|yaml|wide|table)\b/i);
  if (output?.[1]) slots.params["output"] = output[1].toLowerCase();
  if (/\b(and|then)\s+wait\b/.test(lower)) slots.params["wait"] = true;

  const notPhase = /\b(?:not|aren't|arent|isn't|isnt)\s+(running|pending|ready|succeeded|failed)\b/.exec(lower) ?? /\bnon-?(running|ready)\b/.exec(lower);
  if (notPhase?.[1]) slots.params["phase_not"] = notPhase[1];
  const phase = notPhase
    ? undefined
    : (/\b(pending|running|succeeded|failed|unknown)\s+pods?\b/.exec(lower) ??
      /\bpods?\s+(?:\w+\s+){0,3}?(?:that\s+)?(?:are\s+|is\s+|in\s+)?(pending|running|succeeded|failed)\b/.exec(lower) ??
      /\b(?:are|is)\s+(pending|failed|succeeded)\b/.exec(lower));
  const phaseFlag = spans.take(/(?:^|\s)--field-selector[=\s]status\.phase==?(Pending|Running|Succeeded|Failed|Unknown)(?=\s|$)/);
  if (phaseFlag?.[1]) slots.params["phase"] = phaseFlag[1];
  else if (phase?.[1]) slots.params["phase"] = PHASES[phase[1]] ?? phase[1];

  // Keys the cards name differently (events-recent's `type`); see PARAM_ALIASES in the parser.
  if (/\bwarnings?\b/.test(lower)) slots.params["event_type"] = "Warning";
  const sortFlag = spans.take(/--sort-by[=\s](cpu|memory)\b/);
  const sortBy =
    sortFlag?.[1] ??
    /\bsort(?:ed)?\s+by\s+(cpu|memory)\b/.exec(lower)?.[1] ??
    /\b(?:most|highest|biggest|heaviest|top)\s+(?:\w+\s+)?(cpu|memory)\b/.exec(lower)?.[1] ??
    /\b(?:by|on)\s+(cpu|memory)\b/.exec(lower)?.[1] ??
    /\b(cpu|memory)\s+(?:hogs?|hungry|heavy)\b/.exec(lower)?.[1];
  if (sortBy) slots.params["sort_by"] = sortBy;
  else if (/\b(?:most|highest|biggest|heaviest)\b/.test(lower) && /\b(?:usage|use|uses|using|eat|eats|consum\w*)\b/.test(lower)) {
    slots.unclear.push("\"most\" without saying cpu or memory");
  }
  // Orders no card can produce ("most restarts", "sorted by age") must not vanish from the plan.
  const otherOrder =
    /\b(?:most|least|highest|lowest|fewest|biggest|smallest|oldest|youngest)\s+(?!cpu\b|memory\b|recent\b|recently\b)(\w+)/.exec(lower) ??
    /\bsort(?:ed)?\s+by\s+(?!cpu\b|memory\b|time\b)(\w+)/.exec(lower);
  if (otherOrder && !/^(cpu|memory)$/.test(sortBy ?? "-")) slots.unclear.push(`an order no card can produce ("${otherOrder[0]}")`);
  if (/\b(yesterday|today|tonight|this\s+morning|last\s+night|\d+\s*(?:d|days?|weeks?|months?))\b/.test(lower)) {
    slots.unclear.push("a time span in days or by date (say e.g. \"since 2h\")");
  }
  if (/\b(twice|thrice|\d+\s+times|several\s+times)\b/.test(lower)) slots.unclear.push("a repetition (one operation per request)");
  if (/\btimestamps?\b/.test(lower)) slots.params["timestamps"] = true;
  if (/\ball[\s-]+(?:the\s+)?containers\b|--all-containers\b/.test(lower)) slots.params["all_containers"] = true;
  if (/\bwith\s+(?:its\s+|the\s+)?(?:git\s+)?source\b|--with-source\b/.test(lower)) slots.params["with_source"] = true;
  if (/\b(grep|filter(?:ed)?|matching|containing)\b/.test(lower)) slots.unclear.push("a filter on the output (rag-k8s returns it whole)");
  const grace = spans.take(/\bgrace[\s-]+period(?:\s+of)?\s+(\d{1,4})\s*(?:s|secs?|seconds?)?\b/i);
  if (grace?.[1]) slots.params["grace_period"] = Number(grace[1]);
  const health = /\b(?:that|which|they|those|these)\s+(?:are|is|re)\s+(failing|unhealthy|broken|degraded|not\s+ready)\b|\b(failing|unhealthy|broken|degraded|crashing|erroring|bad)\s+(?:kustomizations?|ks|deployments?|nodes?|statefulsets?|pods?|ones)\b/.exec(lower);
  if (health) slots.params["health_filter"] = (health[1] ?? health[2] ?? "").replace(/\s+/g, " ");
  const least = /\b(?:least|lowest|smallest|fewest)\s+(?:\w+\s+)?(cpu|memory)\b/.exec(lower);
  if (least) slots.params["sort_ascending"] = least[1] ?? true;
  slots.quantified = [...QUANTIFIERS].some((word) => new RegExp(`\\b${word}\\b`).test(lower));
}

/** Standalone numbers ("15m", "3", "-1") that no slot took: the goal states something planning would ignore. */
function unconsumedNumbers(text: string): string[] {
  return text
    .split(/[\s,;:!?()"'`]+/)
    .map((word) => word.replace(/\.+$/, ""))
    .filter((word) => /^-?\d+(\.\d+)?[a-z%]{0,7}$/i.test(word));
}

function collectNames(text: string, slots: GoalSlots): void {
  const words = text.split(/[\s,;:!?()"'`]+/).map((w) => w.replace(/\.+$/, "")).filter(Boolean);
  const addName = (name: string, kind: string | undefined) => {
    if (!isDns1123Subdomain(name)) {
      if (kind !== undefined || /[-\d[\]{}#%^*+~@]/.test(name) || /[^ -~]/.test(name) || /[A-Z]/.test(name.slice(1)) || /^[A-Z]/.test(name)) slots.rejected.push(name);
      return;
    }
    if (!slots.names.includes(name)) slots.names.push(name);
    if (kind !== undefined && !slots.anchoredNames.includes(name)) {
      slots.anchoredNames.push(name);
      slots.anchorKinds[name] = kind;
    }
  };
  for (const [i, word] of words.entries()) {
    const ref = /^([A-Za-z.]+)\/(\S+)$/.exec(word);
    if (ref?.[1] && ref[2]) {
      const kind = kindOfInKubectlContext(ref[1]);
      if (kind !== undefined) {
        addName(ref[2], kind);
        continue;
      }
    }
    if (word.startsWith("-") || /^\d+$/.test(word) || (/^\d/.test(word) && /\d+[smh%]$/.test(word))) continue;
    const lowerWord = word.toLowerCase();
    if (isKindWord(lowerWord) || GRAMMAR_WORDS.has(lowerWord) || FILLER_WORDS.has(lowerWord) || FRAME_VERBS.has(lowerWord)) continue;
    if (isVocabularyWord(lowerWord) && !/[\d]/.test(lowerWord)) continue;
    const previous = (words[i - 1] ?? "").toLowerCase();
    const next = (words[i + 1] ?? "").toLowerCase();
    // "describe no worker-1": the ambiguous short name is a kind right after a verb.
    const verbBefore = (words[i - 2] ?? "").toLowerCase();
    const afterVerb = AMBIGUOUS_SHORT_NAMES.has(previous) && /^(describe|cordon|uncordon|drain|get|top)$/.test(verbBefore) ? kindOfInKubectlContext(previous) : undefined;
    // "deployments web and api": a name joined to an anchored one is the same kind of thing.
    const joined = /^(and|,|&|or)$/.test(previous) ? slots.anchorKinds[words[i - 2] ?? ""] : undefined;
    // "the deployment named reporting", "the pod called cart-0".
    const named = /^(named|called)$/.test(previous) ? kindOf(words[i - 2] ?? "") : undefined;
    addName(word, kindOf(previous) ?? kindOf(next) ?? afterVerb ?? joined ?? named);
  }
}
