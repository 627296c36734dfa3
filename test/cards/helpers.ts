import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import type { Card } from "../../src/cards/index.js";

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Creates a temporary card directory holding the given files (name → YAML text); removed after the test file. */
export function cardDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "rag-k8s-cards-"));
  roots.push(root);
  const dir = join(root, "cards");
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A valid card file; `id` and `command` vary so tests can build overrides and collisions. */
export function cardYaml(id: string, command = "kubectl get pods -n {{namespace}}"): string {
  return `id: ${id}
title: List pods
intent: list
resource: pod
risk_level: none
command_template: ${command}
parameters:
  - name: namespace
    type: namespace
    required: true
    description: the namespace
examples:
  - goal: list pods in shop
    values: { namespace: shop }
    command: ${command.replace("{{namespace}}", "shop")}
references: [https://kubernetes.io/docs/reference/kubectl/generated/kubectl_get/]
keywords: [pods]
`;
}

/** Builds a card object directly (bypassing YAML) for render tests. */
export function card(partial: Partial<Card> & Pick<Card, "command_template" | "parameters">): Card {
  return {
    id: "test-card",
    title: "test",
    intent: "list",
    resource: "pod",
    risk_level: "none",
    resolve: {},
    flags: [],
    preconditions: [],
    examples: [{ goal: "g", values: {}, command: "kubectl", follow_up: [] }],
    notes: [],
    references: [],
    keywords: [],
    ...partial,
  };
}
