import { RagK8sError } from "../../../core/errors.js";

/** A port someone else holds is an environment problem with an obvious fix, not a crash. */
export async function listening<T>(port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new RagK8sError("environment", `port ${port} is in use: pass --port or stop the other process`);
    if (code === "EACCES") throw new RagK8sError("environment", `port ${port} needs privileges to bind: pass --port with a port above 1023`);
    throw error;
  }
}

export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
}
