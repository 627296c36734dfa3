import type { ReadFn } from "../../src/health/index.js";
import { list } from "./objects.js";

export type Answer = { code: number | null; stdout: string; stderr: string } | readonly object[] | Error;

/** A read that answers each list call from a table keyed by what it gets; unknown ones get an empty list. */
export function fakeRead(answers: Record<string, Answer>, calls: string[][] = []): ReadFn {
  return async (argv) => {
    calls.push(argv);
    const answer = answers[argv[2] ?? ""] ?? [];
    if (answer instanceof Error) throw answer;
    if (Array.isArray(answer)) return { code: 0, stdout: list(answer), stderr: "" };
    return answer as { code: number | null; stdout: string; stderr: string };
  };
}

export const WORKLOADS = "pods,deployments,statefulsets,daemonsets,jobs";
export const EVENTS = "events";
export const PVCS = "persistentvolumeclaims";
export const KUSTOMIZATIONS = "kustomizations.kustomize.toolkit.fluxcd.io";
export const HELMRELEASES = "helmreleases.helm.toolkit.fluxcd.io";
export const NODES = "nodes";
