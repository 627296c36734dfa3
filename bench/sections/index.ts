import type { Section } from "../section.js";
import { planSection } from "./plan.js";
import { retrievalSection } from "./retrieval.js";
import { validateSection } from "./validate.js";
import { vectorScalingSection } from "./vector-scaling.js";
import { llmSection } from "./llm.js";
import { coldStartSection } from "./cold-start.js";
import { httpSection } from "./http.js";
import { overheadSection } from "./overhead.js";
import { memorySection } from "./memory.js";
import { apiExecutorSection } from "./api-executor.js";
import { facesSection } from "./faces.js";
import { startupSection } from "./startup.js";
import { planVsBareSection } from "./plan-vs-bare.js";
import { contextCostSection } from "./context-cost.js";
import { goalsSection } from "./goals.js";

/** In report order; the numbering in BENCHMARKS.md follows this list. */
export const SECTIONS: readonly Section[] = [planSection, retrievalSection, validateSection, vectorScalingSection, llmSection, coldStartSection, httpSection, overheadSection, memorySection, apiExecutorSection, facesSection, startupSection, planVsBareSection, contextCostSection, goalsSection];
