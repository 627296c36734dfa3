import { runInNewContext } from "node:vm";
import type { Cluster } from "./cluster.js";
import { typeOf } from "./resources.js";
import type { KubeObject } from "./types.js";

/**
 * The kubelet's `/logs` endpoint as the node proxy reaches it (/api/v1/nodes/{node}/proxy/logs...).
 * With `query` it is the node log query (KEP-2258): a service name reads that unit's journal as
 * `journalctl --utc --no-pager --output=short-precise` prints it, a value holding `/` is a file under
 * /var/log; `sinceTime`/`untilTime` (RFC 3339), `tailLines` (0-100000), `pattern` (a regular
 * expression) and `boot` (≤ 0) narrow service logs, and a file query with options is refused, as the
 * kubelet's validation does. Without `query`, `/logs/` lists /var/log and `/logs/<file>` serves a file.
 *
 * The sandbox runs no processes, so the kubelet's journal is what its kubelet did: one "Event occurred"
 * line per event the node's kubelet recorded (pod starts, back-offs, pull failures, node readiness),
 * in time order, the same lines a real kubelet logs at verbosity 2. /var/log/kubelet.log holds the
 * same lines without the journal prefix, as a kubelet writing to a file would.
 */

export interface LogAnswer {
  code: number;
  contentType: string;
  body: string;
}

const EVENTS = typeOf("", "events");
const MAX_TAIL_LINES = 100_000;
/** Units whose journal the sandbox's nodes have; any other unit has no entries, as journalctl says. */
const SERVICES = ["kubelet"] as const;
const FILES = ["kubelet.log"] as const;

interface LogLine {
  at: Date;
  /** The klog line as the kubelet writes it. */
  text: string;
}

const text = (code: number, body: string): LogAnswer => ({ code, contentType: "text/plain; charset=utf-8", body });
const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A stable process id per node, so every line of one node's kubelet names the same pid. */
function kubeletPid(node: string): number {
  let h = 0;
  for (const ch of node) h = (h * 31 + ch.charCodeAt(0)) % 9000;
  return 1000 + h;
}

/** klog's header: severity, MMDD hh:mm:ss.uuuuuu, thread id, file:line. */
function klogHeader(at: Date, pid: number): string {
  return `I${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}.${pad(at.getUTCMilliseconds(), 3)}000 ${String(pid).padStart(7)} event.go:389]`;
}

/** journalctl --output=short-precise --utc: "Dec 04 21:20:35.123456 host unit[pid]: message". */
function journalPrefix(at: Date, node: string, pid: number): string {
  return `${MONTHS[at.getUTCMonth()] ?? "Jan"} ${pad(at.getUTCDate())} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}.${pad(at.getUTCMilliseconds(), 3)}000 ${node} kubelet[${pid}]:`;
}

const quoted = (value: unknown): string => JSON.stringify(String(value ?? ""));

function kubeletLines(cluster: Cluster, node: string): LogLine[] {
  const pid = kubeletPid(node);
  const recorded = cluster.store.list(EVENTS).filter((e) => {
    const source = (e["source"] ?? {}) as { component?: string; host?: string };
    return source.component === "kubelet" && source.host === node;
  });
  const lines = recorded.map((e: KubeObject) => {
    const at = new Date(Date.parse(String(e["lastTimestamp"] ?? e.metadata.creationTimestamp ?? "")) || cluster.now().getTime());
    const involved = (e["involvedObject"] ?? {}) as Record<string, unknown>;
    const object = involved["namespace"] ? `${String(involved["namespace"])}/${String(involved["name"])}` : String(involved["name"] ?? "");
    return {
      at,
      text: `${klogHeader(at, pid)} "Event occurred" object=${quoted(object)} fieldPath=${quoted(involved["fieldPath"])} kind=${quoted(involved["kind"])} apiVersion=${quoted(involved["apiVersion"])} type=${quoted(e["type"])} reason=${quoted(e["reason"])} message=${quoted(e["message"])}`,
    };
  });
  return lines.sort((a, b) => a.at.getTime() - b.at.getTime());
}

interface Query {
  services: string[];
  files: string[];
  sinceTime?: Date;
  untilTime?: Date;
  tailLines?: number;
  pattern?: RegExp;
  boot?: number;
}

/** The kubelet's parsing and validation of the log query; errors are its field errors, joined. */
function parseQuery(params: URLSearchParams): Query | string {
  const errors: string[] = [];
  const query: Query = { services: [], files: [] };
  const values = [...params.getAll("query"), ...params.getAll("unit")];
  for (const v of values) {
    if (/[/\\]/.test(v)) query.files.push(v);
    else if (v.trim() !== "") query.services.push(v);
  }
  if (values.length > 0 && query.services.length === 0 && query.files.length === 0) errors.push(`query: Invalid value: ${JSON.stringify(values)}: query cannot be empty`);
  for (const name of ["sinceTime", "untilTime"] as const) {
    const raw = params.get(name);
    if (!raw) continue;
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(raw) ? new Date(raw) : undefined;
    if (at && !Number.isNaN(at.getTime())) query[name] = at;
    else errors.push(`${name}: Invalid value: ${JSON.stringify(raw)}: invalid time format`);
  }
  const tail = params.get("tailLines") || params.get("tail");
  if (tail) {
    const n = Number(tail);
    if (!/^-?\d+$/.test(tail)) errors.push(`tailLines: Invalid value: ${JSON.stringify(tail)}: invalid syntax`);
    else if (n < 0 || n > MAX_TAIL_LINES) errors.push(`tailLines: Invalid value: ${n}: must be between 0 and ${MAX_TAIL_LINES}, inclusive`);
    else query.tailLines = n;
  }
  const boot = params.get("boot");
  if (boot) {
    if (!/^-?\d+$/.test(boot)) errors.push(`boot: Invalid value: ${JSON.stringify(boot)}: invalid syntax`);
    else if (Number(boot) > 0) errors.push(`boot: Invalid value: ${boot}: must be less than 1`);
    else query.boot = Number(boot);
  }
  const pattern = params.get("pattern") || params.get("grep");
  if (pattern) {
    try {
      // journalctl --grep matches case-insensitively when the pattern has no upper-case letters.
      query.pattern = new RegExp(pattern, pattern === pattern.toLowerCase() ? "i" : "");
    } catch (error) {
      errors.push(`pattern: Invalid value: ${JSON.stringify(pattern)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const hasOptions = query.sinceTime !== undefined || query.untilTime !== undefined || query.tailLines !== undefined || query.pattern !== undefined || query.boot !== undefined;
  if (query.files.length > 0 && query.services.length > 0) errors.push(`query: Invalid value: "${JSON.stringify(query.files)}, ${JSON.stringify(query.services)}": cannot specify a file and service`);
  else if (query.files.length > 1) errors.push(`query: Invalid value: ${JSON.stringify(query.files)}: cannot specify more than one file`);
  else if (query.files.length === 1 && hasOptions) errors.push(`query: Invalid value: ${JSON.stringify(query.files)}: cannot specify file with options`);
  else if (query.files.length === 1 && fileName(query.files[0] as string) === undefined) {
    errors.push(`query: Invalid value: ${JSON.stringify(query.files)}: stat /var/log/${(query.files[0] as string).replace(/^\/+/, "")}: no such file or directory`);
  }
  if (query.sinceTime && query.untilTime && query.sinceTime > query.untilTime) errors.push(`untilTime: Invalid value: "${params.get("untilTime") ?? ""}": must be after \`sinceTime\``);
  return errors.length > 0 ? (errors.length === 1 ? (errors[0] as string) : `[${errors.join(", ")}]`) : query;
}

/** A path under /var/log the sandbox's nodes have ("/kubelet.log", "kubelet.log"), or undefined. */
function fileName(path: string): (typeof FILES)[number] | undefined {
  const normalized = path.replace(/^\/+/, "").replace(/^var\/log\//, "");
  return FILES.find((f) => f === normalized);
}

/** Longest a `pattern` may run over the journal: a hostile regular expression must not stall the sandbox. */
const PATTERN_BUDGET_MS = 250;

/**
 * The lines a pattern matches, evaluated in a separate V8 context with a time limit (JavaScript's
 * regular expressions backtrack, so `(a+)+$` on a long line would otherwise block the event loop);
 * undefined when the budget ran out.
 */
function grep(lines: string[], pattern: RegExp): string[] | undefined {
  try {
    return runInNewContext("lines.filter((line) => pattern.test(line))", { lines, pattern }, { timeout: PATTERN_BUDGET_MS }) as string[];
  } catch {
    return undefined;
  }
}

function journal(cluster: Cluster, node: string, q: Query): string | undefined {
  const pid = kubeletPid(node);
  const known = q.services.some((s) => (SERVICES as readonly string[]).includes(s.replace(/\.service$/, "")));
  const lines = (known ? kubeletLines(cluster, node) : [])
    .filter((l) => (!q.sinceTime || l.at >= q.sinceTime) && (!q.untilTime || l.at <= q.untilTime))
    // A previous boot (boot < 0) predates everything the sandbox recorded.
    .filter(() => (q.boot ?? 0) === 0)
    .map((l) => `${journalPrefix(l.at, node, pid)} ${l.text}`);
  const matched = q.pattern ? grep(lines, q.pattern) : lines;
  if (!matched) return undefined;
  const shown = q.tailLines === undefined ? matched : q.tailLines === 0 ? [] : matched.slice(-q.tailLines);
  return shown.length === 0 ? "-- No entries --\n" : `${shown.join("\n")}\n`;
}

function fileContent(cluster: Cluster, node: string): string {
  return kubeletLines(cluster, node)
    .map((l) => `${l.text}\n`)
    .join("");
}

/** Answers `logs` and `logs/<path>` for an existing node. */
export function nodeLogs(cluster: Cluster, node: string, subpath: string, params: URLSearchParams): LogAnswer {
  if (params.has("query") || params.has("unit")) {
    const q = parseQuery(params);
    if (typeof q === "string") return text(400, `${q}\n`);
    if (q.files.length === 1) return text(200, fileContent(cluster, node));
    const entries = journal(cluster, node, q);
    if (entries === undefined) return text(400, `pattern: Invalid value: ${JSON.stringify(params.get("pattern") || params.get("grep"))}: took longer than ${PATTERN_BUDGET_MS} ms to match the journal\n`);
    return text(200, entries);
  }
  if (subpath === "") {
    const listing = FILES.map((f) => `<a href="${f}">${f}</a>\n`).join("");
    return { code: 200, contentType: "text/html; charset=utf-8", body: `<pre>\n${listing}</pre>\n` };
  }
  if (fileName(subpath) !== undefined) return text(200, fileContent(cluster, node));
  return text(404, "404 page not found\n");
}
