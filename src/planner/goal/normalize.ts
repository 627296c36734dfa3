import { CORRECTABLE_VERBS, VERB_REWRITES, unquoteTokens } from "../../kube/index.js";
import { isVocabularyWord } from "../../retrieval/index.js";
import { withinOneEdit } from "../../retrieval/lexical/typo.js";

/**
 * Rewrites a goal into the plain form the slot grammar reads: quotes, dashes, trailing punctuation, politeness,
 * ALL CAPS, number words, spelled-out durations, a misspelt leading verb and verb slang. Nothing here invents
 * content: every rewrite is a different spelling of what was written, and each one is noted for the reply.
 * Shell syntax is not removed (the parser refuses it), and mixed-case names stay mixed-case (and so invalid).
 */
export interface NormalisedGoal {
  readonly text: string;
  /** What was rewritten, e.g. `"stauts" read as "status"`. */
  readonly notes: readonly string[];
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  fifty: 50,
  hundred: 100,
};

/** Courtesy and chat framing that carries no request content. Longest phrases first. */
const POLITENESS = [
  "could you please",
  "can you please",
  "would you please",
  "could you",
  "can you",
  "would you",
  "will you",
  "i would like you to",
  "i'd like you to",
  "id like you to",
  "i want you to",
  "i need you to",
  "i would like to",
  "i'd like to",
  "id like to",
  "i want to",
  "i need to",
  "go ahead and",
  "thank you",
  "thanks",
  "please",
  "pls",
  "plz",
  "kindly",
  "hey",
  "hi",
  "hello",
  "quickly",
  "asap",
  "for me",
  // Chat and non-native framing: "when you get a sec", "kindly do the needful", "por favor".
  "when you get a sec",
  "when you get a chance",
  "when you get a minute",
  "when you get a moment",
  "when you have a sec",
  "when you have a moment",
  "when you have a minute",
  "when you have a chance",
  "if it isnt too much trouble",
  "if its not too much trouble",
  "if you can",
  "if possible",
  "sorry to bother you",
  "sorry to bother",
  "sorry to interrupt",
  "do the needful",
  "por favor",
  "can someone",
  "could someone",
  "can anyone",
  "could anyone",
  "does anyone know",
  "anyone know",
  "can we",
  "long story short",
  "ok so",
  "quick question",
  "quick q",
  "can u",
  "could u",
  "thx",
  "tia",
  "ty",
  "cheers",
  "yo",
  "fyi",
  "btw",
  "rn",
];
const POLITENESS_PATTERN = new RegExp(`(?<![\\w-])(?:${POLITENESS.map((p) => p.replace(/ /g, "\\s+")).join("|")})(?![\\w-])`, "gi");

const UNIT: Readonly<Record<string, string>> = {
  s: "s",
  sec: "s",
  secs: "s",
  second: "s",
  seconds: "s",
  m: "m",
  min: "m",
  mins: "m",
  minute: "m",
  minutes: "m",
  h: "h",
  hr: "h",
  hrs: "h",
  hour: "h",
  hours: "h",
};
const UNIT_WORDS = Object.keys(UNIT).sort((a, b) => b.length - a.length).join("|");

/**
 * Labels that open a page or an alert ("[FIRING:1]", "PAGE:", "incident 4521:", "sev2 —", "alert cleared,"): they
 * frame the message and are never part of what to do.
 */
const ALERT_LABELS = new RegExp(
  "^\\s*(?:(?:alert|page|paged|pager|pagerduty|opsgenie|on-?call|critical|crit|firing|urgent|fyi|heads up|incident\\s*#?\\d{1,8}|inc-?\\d{1,8}|sev\\s*\\d|p[0-4])(?:\\s+(?:ack'?d|acked|acknowledged|cleared|resolved))?(?:\\s*[:!.,\u2014\u2013]+\\s*|\\s+-+\\s+))+",
  "i",
);
/** A bracketed tag ("[FIRING:1]", "[PagerDuty]"); one that could be a namespace ("[staging]") is not a label. */
const TAG = /^\s*\[(?![a-z0-9-]+\])[^\]\n]{1,40}\]\s*/;
/** The same labels shouted without punctuation ("ALERT KubeDeploymentReplicasMismatch: …"); only in capitals. */
const SHOUTED_LABEL = /^\s*(?:ALERT|PAGE|CRITICAL|FIRING|URGENT)\s+/;
/**
 * Alert names of the Kubernetes monitoring mixin ("KubePodCrashLooping"): the symptom they carry is kept, the rest
 * is a label. Unknown ones are dropped with a note, never read as names.
 */
const ALERT_SYMPTOMS: Readonly<Record<string, string>> = { KubePodCrashLooping: "crashlooping", KubePodNotReady: "not ready" };
/** Status words Kubernetes prints in CamelCase; in a goal they describe, they are not names. */
const STATUS_WORDS = /\b(NotReady|OOMKilled|Evicted|Terminating|ContainerCreating|ErrImagePull|CreateContainerConfigError|Completed)\b/g;
/** Emoji and :shortcodes: in chat messages carry no request content. */
const EMOJI = /\p{Extended_Pictographic}\uFE0F?|(?<![\w-]):[a-z0-9_+-]{1,30}:(?![\w-])/gu;

export function normaliseGoal(goal: string): NormalisedGoal {
  const notes: string[] = [];
  let text = unquoteTokens(goal).replace(EMOJI, " ");
  for (let label = TAG.exec(text) ?? ALERT_LABELS.exec(text) ?? SHOUTED_LABEL.exec(text); label; label = TAG.exec(text) ?? ALERT_LABELS.exec(text) ?? SHOUTED_LABEL.exec(text)) {
    if (label[0].trim() === "" || label[0].length >= text.length) break;
    notes.push(`"${label[0].trim()}" read as a label, not part of the request`);
    text = text.slice(label[0].length);
  }
  text = text.replace(/\bKube[A-Z][A-Za-z]{3,60}\b/g, (alert) => {
    notes.push(`alert name "${alert}" read as ${ALERT_SYMPTOMS[alert] ? `"${ALERT_SYMPTOMS[alert]}"` : "a label"}`);
    return ALERT_SYMPTOMS[alert] ?? " ";
  });
  text = text.replace(STATUS_WORDS, (word) => word.toLowerCase());
  // "@oncall", "@here": a mention addresses people, not objects.
  text = text.replace(/(?<![\w.-])@[a-z][\w-]{0,40}/gi, " ");
  // Dashes used as punctuation separate clauses; a hyphen inside a name or before a flag is left alone.
  text = text.replace(/\s*[—–]\s*|\s+-{1,2}\s+/g, ", ");
  // A capitalised plain word that opens a sentence ("Long story short, …", "So the monitoring namespace …") is
  // ordinary capitalisation, not a mixed-case name; inside a sentence ("deployment Web") it stays and is refused.
  text = text.replace(/(^\s*|[.?!;]\s+)([A-Z][a-z]+)(?![\w-])/g, (_m, before: string, word: string) => `${before}${word.toLowerCase()}`);
  // "I", "I'm", "I've", "I'd" are never names ("I'd like to" stays whole for the politeness list).
  text = text.replace(/(?<![\w-])[Ii]['’](?:m|ve|d|ll)(?![\w-])(?!\s+like\s+to\b)/g, "i").replace(/(?<![\w-])I(?=['’]|(?![\w-]))/g, "i");
  // Contractions: "what's" → "whats", "can't" → "cant" (the vocabulary spells them without the apostrophe).
  text = text.replace(/(\w)['’](\w)/g, "$1$2");
  if (/[A-Z]/.test(text) && !/[a-z]/.test(text)) {
    text = text.toLowerCase();
    notes.push("read in lowercase");
  }
  // Sentence punctuation after a word ("prod?", "payments,", "web-1.") is not part of the word.
  // A comma stays a separate token: "in prod, staging" still names two namespaces.
  // "prod? last release broke cart": the end of a sentence is a clause boundary, as a comma is.
  text = text.replace(/(?<=[\w)])[?!.:]+(?=\s+\S)/g, " , ").replace(/(?<=[\w)])[?!.:]+(?=[\s,]|$)/g, " ").replace(/(?<=[\w)]),+(?=\s|$)/g, " , ");
  text = text.replace(POLITENESS_PATTERN, " ");
  text = text.replace(/\b(an?|the|last|past)\s+(hour|minute)\b/gi, (_m, word: string, unit: string) => (/^(last|past)$/i.test(word) ? `${word} 1 ${unit}` : `1 ${unit}`));
  // "roll deployment api back" is an undo; "pause flux reconciliation" is one suspend, not a suspend and a reconcile.
  text = text.replace(/\broll\s+((?:\S+\s+){1,4}?)back\b/gi, "undo $1");
  text = text.replace(/\b(?:return|revert)\s+back\b/gi, "undo");
  text = text.replace(/\b(?:pause|stop|suspend|halt|freeze)\s+(?:flux\s+)?(?:reconciliation|reconciling|syncing)\b/gi, "suspend");
  text = text.replace(/\b(?:resume|unpause|continue|restart)\s+(?:flux\s+)?(?:reconciliation|reconciling|syncing)\b/gi, "resume");
  text = text.replace(/\b([a-z]+)\b/gi, (word) => {
    const value = NUMBER_WORDS[word.toLowerCase()];
    return value === undefined ? word : String(value);
  });
  text = spellDurations(text);
  text = correctLeadingVerb(text, notes);
  text = rewriteVerbs(text);
  text = text.replace(/^\s*(?:kubectl|k)\s+/i, "");
  text = text.replace(/^[\s,:;.!?]+|[\s,]+$/g, "");
  // A kind alone ("po -n prod", "ns?") asks for the list of them, as `kubectl get` would.
  text = text.replace(BARE_KIND, "list $1");
  return { text: text.replace(/\s+/g, " ").trim(), notes };
}

const BARE_KIND = /^(po|pods|ns|namespaces|no|nodes|deploy|deployments|sts|statefulsets|ds|daemonsets|svc|services|ks|kustomizations|ev|events)(?=(?:\s+(?:-n\s+|in\s+)[a-z0-9-]+)?$)/i;

/** "last 2 hours", "for 15 minutes", "from the past 30m", "over the last 1h" → "since 2h"; "15 minutes" alone → "15m". */
function spellDurations(text: string): string {
  const amount = `(\\d{1,4})\\s*(${UNIT_WORDS})`;
  return text
    .replace(new RegExp(`\\b(?:(?:for|from|in|over|during|within)\\s+)?(?:the\\s+)?(?:last|past)\\s+${amount}\\b`, "gi"), (_m, n: string, u: string) => `since ${n}${UNIT[u.toLowerCase()] ?? u}`)
    .replace(new RegExp(`\\bfor\\s+(?:the\\s+)?${amount}\\b`, "gi"), (_m, n: string, u: string) => `since ${n}${UNIT[u.toLowerCase()] ?? u}`)
    .replace(new RegExp(`\\b(\\d{1,4})\\s+(${UNIT_WORDS})\\b`, "gi"), (m, n: string, u: string) => (u.length > 1 ? `${n}${UNIT[u.toLowerCase()] ?? u}` : m));
}

/** The first word, when it is one edit away from exactly one intent verb and is no known word ("stauts", "scael"). */
function correctLeadingVerb(text: string, notes: string[]): string {
  const match = /^\s*([a-z]{4,12})(?=\s|$)/i.exec(text);
  const word = match?.[1]?.toLowerCase();
  if (word === undefined || isVocabularyWord(word) || CORRECTABLE_VERBS.includes(word)) return text;
  const candidates = CORRECTABLE_VERBS.filter((verb) => withinOneEdit(word, verb));
  if (candidates.length !== 1 || candidates[0] === undefined) return text;
  notes.push(`"${word}" read as "${candidates[0]}"`);
  return text.replace(/^\s*[a-z]+/i, candidates[0]);
}

/** Slang verbs onto the intent verb ("bounce" → "restart"); "roll back", "roll out" and "kick off" keep their meaning. */
function rewriteVerbs(text: string): string {
  return text.replace(/\b([a-z-]+)\b(?!\s+(?:back|out|off)\b)/gi, (word) => VERB_REWRITES.get(word.toLowerCase()) ?? word);
}

/** The text to rank cards on: the goal as the parser reads it (no labels, emoji or chat framing), or as written when nothing is left. */
export function retrievalText(goal: string): string {
  return normaliseGoal(goal).text || goal;
}
