/** The parts that load node-llama-cpp (a native addon): import only when a llama-cpp model is used or pulled. */
export { LlamaCppProvider } from "./llama-cpp.js";
export type { LlamaCppOptions } from "./llama-cpp.js";
export { pullModel } from "./pull.js";
export type { PullOptions, PullProgress } from "./pull.js";
