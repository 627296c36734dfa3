import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { createRagK8s } from "../../src/app/runtime.js";
import { locateExecutable } from "../../src/executor/index.js";
import { registerTools } from "../../src/interfaces/mcp/tools.js";
import { startCluster } from "../../test/core/harness.js";
import { Findings } from "../section.js";
import type { Section } from "../section.js";
import { timeSpawn } from "../spawn-timing.js";
import { repoPath } from "../workspace.js";

interface Question {
  readonly label: string;
  /** What rag-k8s is asked (k8s_read) and what kubectl runs raw. */
  readonly command: string;
  /** The peer's tool for the same question. */
  readonly peer: { readonly tool: string; readonly arguments: Record<string, unknown> };
  /** Events: every Warning that fits in the budget must be in rag-k8s's text. */
  readonly warnings?: boolean;
}

function questions(pod: string): Question[] {
  return [
    { label: "list pods in prod", command: "kubectl get pods -n prod", peer: { tool: "pods_list_in_namespace", arguments: { namespace: "prod" } } },
    {
      label: "get deployment prod/api",
      command: "kubectl get deployment api -n prod",
      peer: { tool: "resources_get", arguments: { apiVersion: "apps/v1", kind: "Deployment", name: "api", namespace: "prod" } },
    },
    { label: "events in prod", command: "kubectl get events -n prod", peer: { tool: "events_list", arguments: { namespace: "prod" } }, warnings: true },
    { label: "events, all namespaces", command: "kubectl get events -A", peer: { tool: "events_list", arguments: {} }, warnings: true },
    { label: `logs of shop/${pod} (last 100 lines)`, command: `kubectl logs ${pod} -n shop --tail=100`, peer: { tool: "pods_log", arguments: { name: pod, namespace: "shop", tail: 100 } } },
  ];
}

/**
 * Characters a model is handed for one MCP result, under the two rules clients follow: Claude Code passes
 * JSON.stringify(structuredContent) when a result has one and the content array otherwise
 * (anthropics/claude-code#55677, #79944); clients that ignore structuredContent pass the content array.
 * `both` (content and structuredContent together) is an upper bound no client we know of sends.
 */
function received(result: Record<string, unknown>): { structuredFirst: number; contentOnly: number; both: number; text: string; structuredText: string } {
  const content = (result["content"] ?? []) as { type: string; text?: string }[];
  const structured = result["structuredContent"] as Record<string, unknown> | undefined;
  const contentOnly = JSON.stringify(content).length;
  return {
    structuredFirst: structured === undefined ? contentOnly : JSON.stringify(structured).length,
    contentOnly,
    both: JSON.stringify({ content, structuredContent: structured }).length,
    text: content.map((c) => c.text ?? "").join("\n"),
    structuredText: typeof structured?.["output"] === "string" ? structured["output"] : "",
  };
}

/** Warning event lines of a kubectl events table (TYPE column). */
function warningLines(table: string): string[] {
  return table.split("\n").filter((line) => /\bWarning\b/.test(line));
}

/** An events line without its LAST SEEN column (ages move between two calls) and with single spaces. */
function withoutAge(line: string, allNamespaces: boolean): string {
  const tokens = line.trim().split(/\s+/);
  tokens.splice(allNamespaces ? 1 : 0, 1);
  return tokens.join(" ");
}

/**
 * Issues 15 and 16: characters an agent receives for the same questions from rag-k8s (MCP k8s_read), from
 * kubernetes-mcp-server (its own tools, --read-only, pointed only at the sandbox) and from kubectl raw.
 */
export const contextCostSection: Section = {
  id: "context-cost",
  title: "Context cost: characters an agent receives (rag-k8s vs kubernetes-mcp-server vs kubectl)",
  async run(ctx) {
    const f = new Findings();
    const kubectl = locateExecutable("kubectl", process.env["PATH"] ?? "");
    if (kubectl === undefined) return f.result("kubectl is not on PATH");
    const h = await startCluster();
    const env: Record<string, string> = { PATH: h.env["PATH"] ?? "", HOME: h.dir, KUBECACHEDIR: String(h.env["KUBECACHEDIR"]), KUBECONFIG: h.kubeconfig };
    const config = h.config({ logLevel: "silent" });
    const runtime = await createRagK8s({ config, env: h.env, sandbox: "never" });
    const mcp = new McpServer({ name: "rag-k8s", version: "0" });
    registerTools(mcp, runtime);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await mcp.connect(serverSide);
    const ours = new Client({ name: "bench", version: "0" });
    await ours.connect(clientSide);
    const peer = new Client({ name: "bench", version: "0" });
    const peerBin = repoPath("node_modules", ".bin", "kubernetes-mcp-server");
    await peer.connect(new StdioClientTransport({ command: peerBin, args: ["--kubeconfig", h.kubeconfig, "--cluster-provider", "kubeconfig", "--read-only"], env, stderr: "ignore" }));
    try {
      const budget = config.exec.maxStdoutChars;
      const listed = await runtime.exec({ command: "kubectl get pods -n shop -o name" });
      const pod = (listed.stdout.split("\n").find((l) => l.startsWith("pod/web-")) ?? "pod/web").slice(4);
      const table = [
        "| question | kubectl raw | rag-k8s, structured-first client | peer, structured-first client | ratio | rag-k8s, content-only client | peer, content-only client | ratio | rag-k8s, both channels (upper bound) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
      ];
      for (const q of questions(pod)) {
        const raw = await timeSpawn(kubectl, q.command.split(" ").slice(1), env);
        if (raw.code !== 0) throw new Error(`${q.command}: ${raw.stderr.slice(0, 300)}`);
        const r = received((await ours.callTool({ name: "k8s_read", arguments: { command: q.command } })) as Record<string, unknown>);
        const p = received((await peer.callTool({ name: q.peer.tool, arguments: q.peer.arguments })) as Record<string, unknown>);
        const vsPeer = r.structuredFirst / p.structuredFirst;
        const vsPeerContent = r.contentOnly / p.contentOnly;
        table.push(
          `| ${q.label} | ${raw.stdout.length} | ${r.structuredFirst} | ${p.structuredFirst} | ${vsPeer.toFixed(2)} | ${r.contentOnly} | ${p.contentOnly} | ${vsPeerContent.toFixed(2)} | ${r.both} |`,
        );
        ctx.log(`  ${q.label}: kubectl ${raw.stdout.length}, rag-k8s ${r.structuredFirst} / ${r.contentOnly}, peer ${p.structuredFirst} / ${p.contentOnly}`);
        f.row({ label: `${q.label}: rag-k8s chars (structured-first client)`, value: r.structuredFirst, unit: "chars" });
        f.row({ label: `${q.label}: rag-k8s chars (content-only client)`, value: r.contentOnly, unit: "chars" });
        f.row({ label: `${q.label}: kubernetes-mcp-server chars`, value: p.contentOnly, unit: "chars" });
        f.row({ label: `${q.label}: kubectl raw chars`, value: raw.stdout.length, unit: "chars" });
        f.row({ label: `${q.label}: rag-k8s ÷ kubernetes-mcp-server (structured-first client)`, value: vsPeer, unit: "×", target: { op: "<=", value: 1 } });
        f.row({ label: `${q.label}: rag-k8s ÷ kubernetes-mcp-server (content-only client)`, value: vsPeerContent, unit: "×", target: { op: "<=", value: 1 } });
        f.row({ label: `${q.label}: rag-k8s (structured-first) ÷ kubectl raw`, value: r.structuredFirst / raw.stdout.length, unit: "×" });
        if (q.warnings) {
          const rawWarnings = warningLines(raw.stdout);
          const all = q.command.includes(" -A");
          // Kept only when both channels hold it: each client reads one of them.
          const inText = new Set(warningLines(r.text).map((line) => withoutAge(line, all)));
          const inStructured = new Set(warningLines(r.structuredText).map((line) => withoutAge(line, all)));
          const kept = rawWarnings.filter((line) => inText.has(withoutAge(line, all)) && inStructured.has(withoutAge(line, all)));
          const fit = rawWarnings.reduce((n, line) => n + line.length + 1, 0) <= budget;
          f.row({ label: `${q.label}: Warning events in kubectl's output`, value: rawWarnings.length, unit: "" });
          f.row({ label: `${q.label}: Warning events in rag-k8s's text`, value: kept.length, unit: "" });
          if (fit) f.row({ label: `${q.label}: Warnings dropped although they fit the ${budget}-char budget`, value: rawWarnings.length - kept.length, unit: "", target: { op: "<=", value: 0 } });
          else f.note(`${q.label}: kubectl's ${rawWarnings.length} Warning lines together exceed the ${budget}-char budget; rag-k8s kept ${kept.length}.`);
        }
      }
      f.note(`Characters a model is handed per answer, under each client rule (see received() in bench/sections/context-cost.ts):\n\n${table.join("\n")}\n`);
      f.note(
        `rag-k8s: k8s_read with the kubectl command, defaults (exec.mode auto, exec.maxStdoutChars ${budget}); kubernetes-mcp-server: its tool for the same question ` +
          "(pods_list_in_namespace, resources_get, events_list, pods_log) with --read-only, default list output (table), pointed only at the sandbox's loopback kubeconfig; " +
          "kubectl: stdout of the same command, uncapped. A Warning counts as kept when its line, LAST SEEN aside, is in rag-k8s's text.",
      );
      return f.result();
    } finally {
      await peer.close();
      await ours.close();
      await mcp.close();
      await runtime.close();
      await h.close();
    }
  },
};
