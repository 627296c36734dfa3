import { spawn } from "node:child_process";

/** A bench server running in a child process (its own event loop and CPU account), driven over IPC. */
export interface ChildServer {
  readonly url: string;
  /** Sends a message and waits for the child's answer. */
  request(message: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Starts `script` under tsx with `args` and resolves once it reports its URL; `setup`, when given, is the
 * first message the child is sent (before it listens).
 */
export function startChildServer(label: string, script: string, args: readonly string[], setup?: object): Promise<ChildServer> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${label} exited (${code}) before listening`)));
    child.once("message", (message) => {
      resolve({
        url: (message as { url: string }).url,
        request: (payload) =>
          new Promise((answered) => {
            child.once("message", answered);
            child.send(payload as object);
          }),
        async close() {
          child.send("close");
          await exited;
        },
      });
    });
    if (setup !== undefined) child.send(setup);
  });
}
