/** The parts that use node-llama-cpp (a native addon, see binding.ts): import only when a llama-cpp model is used or pulled. */
export { LlamaCppProvider } from "./llama-cpp.js";
export type { LlamaCppOptions } from "./llama-cpp.js";
export { pullModel } from "./pull.js";
export type { PullOptions, PullProgress } from "./pull.js";
