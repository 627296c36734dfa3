import type { z } from "zod";
import { ConfigSchema } from "./schema.js";

export type FieldType = "string" | "number" | "boolean" | "list" | "enum";

export interface Field {
  /** Dot path, e.g. "exec.timeoutMs". */
  path: string;
  type: FieldType;
  description: string;
  /** Allowed values of an enum field. */
  values?: readonly string[];
  /** The RAGK8S_* variable that sets it. */
  envVar: string;
}

/** Fields holding credentials: masked whenever a configuration is shown. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(["llm.apiKey", "http.token"]);

type AnySchema = z.core.$ZodType;

function unwrap(schema: AnySchema): { inner: AnySchema; description: string } {
  let inner = schema;
  let description = (schema as z.ZodType).description ?? "";
  for (;;) {
    const def = inner._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema };
    const next = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
    if (!next) return { inner, description };
    inner = next;
    description ||= (inner as z.ZodType).description ?? "";
  }
}

function fieldType(def: { type: string; entries?: Record<string, string> }): Pick<Field, "type" | "values"> {
  switch (def.type) {
    case "number":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    case "array":
      return { type: "list" };
    case "enum":
      return { type: "enum", values: Object.values(def.entries ?? {}) };
    default:
      return { type: "string" };
  }
}

// Names people already know read better without the group prefix (RAGK8S_KUBECTL, not RAGK8S_KUBE_KUBECTL).
const SHORT_NAMES: Record<string, string> = {
  "kube.kubeconfig": "RAGK8S_KUBECONFIG",
  "kube.context": "RAGK8S_CONTEXT",
  "kube.kubectl": "RAGK8S_KUBECTL",
  "kube.flux": "RAGK8S_FLUX",
  "retrieval.modelDir": "RAGK8S_MODEL_DIR",
};

/** exec.maxStdoutChars → RAGK8S_EXEC_MAX_STDOUT_CHARS */
export function longEnvVarFor(path: string): string {
  return `RAGK8S_${path.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replaceAll(".", "_").toUpperCase()}`;
}

/** The documented variable of a setting: the short name where one exists (RAGK8S_MODEL_DIR), else the long one. */
export function envVarFor(path: string): string {
  return SHORT_NAMES[path] ?? longEnvVarFor(path);
}

function collect(schema: AnySchema, prefix: string, out: Field[]): void {
  const { inner, description } = unwrap(schema);
  const def = inner._zod.def as { type: string; shape?: Record<string, AnySchema>; entries?: Record<string, string> };
  if (def.type === "object" && def.shape) {
    for (const [key, child] of Object.entries(def.shape)) collect(child, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  out.push({ path: prefix, description, envVar: envVarFor(prefix), ...fieldType(def) });
}

/** Every settable leaf of ConfigSchema, in declaration order. */
export const FIELDS: readonly Field[] = (() => {
  const out: Field[] = [];
  collect(ConfigSchema, "", out);
  return out;
})();

export const FIELD_BY_PATH: ReadonlyMap<string, Field> = new Map(FIELDS.map((f) => [f.path, f]));
