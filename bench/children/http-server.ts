/**
 * The HTTP service in its own process, so the load generator in the parent does not share its event loop. It
 * runs the compiled server in dist/ (built by the parent, see startServer), as `rag-k8s serve` does: under tsx
 * every closure the source creates also pays a keepNames call, which the shipped build does not.
 * argv: <logLevel info|debug> [http.concurrency|"default"]. Sends {url} over IPC when listening (stdout carries the
 * request log). Messages: "close" stops it cleanly; "cpu" is answered with {cpu: process.cpuUsage()}; {profile: "start"} and {profile: "stop", path} record a
 * CPU profile of only the load period (a --cpu-prof run would be mostly start-up).
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { pathToFileURL } from "node:url";
import type { serve as Serve } from "../../src/interfaces/http/serve.js";
import { openWorkspace, repoPath } from "../workspace.js";

// A computed path: the bench typechecks without a build; the child imports what was built.
const built = pathToFileURL(repoPath("dist", "interfaces", "http", "serve.js")).href;
const { serve } = (await import(built)) as { serve: typeof Serve };

type Message = "close" | "cpu" | { profile: "start" } | { profile: "stop"; path: string };

const logLevel = process.argv[2] === "debug" ? "debug" : "info";
const concurrency = process.argv[3] === undefined || process.argv[3] === "default" ? undefined : Number(process.argv[3]);
const ws = openWorkspace("http");
const http = { port: 0, ...(concurrency === undefined ? {} : { concurrency }) };
const server = await serve({ config: ws.config({ http, logLevel }), sandbox: "never" });
const session = new Session();

async function handle(message: Message): Promise<void> {
  if (message === "cpu") {
    process.send?.({ cpu: process.cpuUsage() });
  } else if (message === "close") {
    await server.close();
    ws.close();
    process.disconnect();
  } else if (message.profile === "start") {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
    process.send?.({ profiling: true });
  } else {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(message.path, JSON.stringify(profile));
    session.disconnect();
    process.send?.({ profiled: message.path });
  }
}

process.on("message", (message: Message) => void handle(message));
process.send?.({ url: server.url });
