/**
 * The baseline for POST /plan throughput: a bare fastify route on 127.0.0.1 that answers each request body with
 * the body rag-k8s answered it with (received over IPC: [requestJson, responseJson][]), as an object fastify
 * serializes, as an ordinary route does; no logging, no hooks.
 * Sends {url} over IPC when listening; "close" stops it; "cpu" is answered with {cpu: process.cpuUsage()}.
 */
import Fastify from "fastify";

const answers = await new Promise<Map<string, unknown>>((resolve) => process.once("message", (pairs) => resolve(new Map((pairs as [string, string][]).map(([request, response]) => [request, JSON.parse(response) as unknown])))));
const app = Fastify({ logger: false });
app.post("/plan", async (request, reply) => {
  const body = answers.get(JSON.stringify(request.body));
  if (body === undefined) return reply.code(404).send({ error: "unknown request" });
  return body;
});
const url = await app.listen({ host: "127.0.0.1", port: 0 });
process.on("message", (message) => {
  if (message === "close") void app.close().then(() => process.disconnect());
  if (message === "cpu") process.send?.({ cpu: process.cpuUsage() });
});
process.send?.({ url });
