import { apiResource, resourceForms } from "../../kube/index.js";
import { parseHeader } from "./table.js";
import type { OutputKind } from "./types.js";

const SUBCOMMANDS = new Set(["get", "describe", "logs", "events", "top", "rollout", "explain", "api-resources", "version", "auth", "diff", "apply", "create", "delete", "patch", "scale", "annotate", "label", "cordon", "uncordon", "drain", "reconcile", "suspend", "resume", "tree", "export", "trace", "stats"]);
const EVENT_TYPES = new Set([...resourceForms(apiResource("events")), "events.events.k8s.io", "events.v1.events.k8s.io"]);

function outputFormat(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "-o" || arg === "--output") return args[i + 1];
    if (arg.startsWith("--output=")) return arg.slice("--output=".length);
    if (arg.startsWith("-o=")) return arg.slice(3);
    if (arg.startsWith("-o") && arg.length > 2) return arg.slice(2);
  }
  return undefined;
}

/** Flags of `get` that take their value as the next argument. */
const VALUE_FLAGS = new Set(["-n", "--namespace", "-l", "--selector", "--field-selector", "-o", "--output", "--sort-by", "--context", "--kubeconfig", "--chunk-size", "-L", "--label-columns", "--template"]);

function firstPositional(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (VALUE_FLAGS.has(arg)) i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

/** The kind of output a command prints, from its argv alone; undefined when only the text can tell. */
export function kindFromArgv(argv: readonly string[]): OutputKind | undefined {
  const args = argv.slice(1);
  const at = args.findIndex((a) => SUBCOMMANDS.has(a));
  if (at < 0) return undefined;
  const sub = args[at];
  const format = outputFormat(args)?.split("=", 1)[0];
  if (format === "json") return "json";
  if (format === "yaml") return "yaml";
  if (format === "name" || format === "jsonpath" || format === "go-template" || format === "template" || format === "jsonpath-as-json") return "text";
  if (sub === "logs") return "logs";
  if (sub === "describe") return "describe";
  if (sub === "events") return "events";
  if (sub === "rollout") return args[at + 1] === "status" ? "logs" : "table";
  if (sub === "top") return "table";
  if (sub === "get") {
    const types = (firstPositional(args.slice(at + 1)) ?? "").split(",");
    if (types.length > 0 && types.every((t) => EVENT_TYPES.has(t.split("/", 1)[0] ?? ""))) return "events";
    return "table";
  }
  return undefined;
}

/** The kind of output from the text itself. */
export function kindFromText(text: string): OutputKind {
  const start = text.trimStart();
  if (start.startsWith("{") || start.startsWith("[")) return "json";
  if (/^apiVersion:|^kind:|^items:/m.test(start.slice(0, 2000)) && /^\w[\w.-]*:/.test(start)) return "yaml";
  const first = start.split("\n", 1)[0] ?? "";
  if (/^Name:\s/.test(first)) return "describe";
  const columns = parseHeader(first);
  if (columns) {
    const names = new Set(columns.map((c) => c.name));
    return names.has("LAST SEEN") && names.has("TYPE") && names.has("REASON") ? "events" : "table";
  }
  return "text";
}
