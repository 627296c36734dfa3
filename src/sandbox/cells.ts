import { since } from "./age.js";
import { isRecord } from "./types.js";
import type { Json, KubeObject } from "./types.js";

/** Building blocks of the server-side table printers (tables.ts, printers.ts). */

export interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface Printer {
  columns: Column[];
  cells: (o: KubeObject, now: Date) => unknown[];
}

export const col = (name: string, type = "string", priority = 0, format = ""): Column => ({ name, type, format, description: `${name} column`, priority });
export const NAME: Column = { name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", priority: 0 };

export const J = (o: unknown): Json => (isRecord(o) ? o : {});
export const A = (o: unknown): unknown[] => (Array.isArray(o) ? o : []);
export const num = (o: unknown): number => (typeof o === "number" ? o : 0);
export const str = (o: unknown, fallback = ""): string => (typeof o === "string" ? o : fallback);
export const spec = (o: KubeObject): Json => J(o["spec"]);
export const status = (o: KubeObject): Json => J(o["status"]);
export const age = (o: KubeObject, now: Date): string => since(o.metadata.creationTimestamp, now);
