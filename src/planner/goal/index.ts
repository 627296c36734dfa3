export { applyChange, parseGoal } from "./parser.js";
export type { GoalCandidate, GoalConfidence, GoalFields, GoalLookup, GoalParse, ParseGoalOptions } from "./parser.js";
export type { GoalAsk } from "./ask.js";
export { normaliseGoal } from "./normalize.js";
export type { NormalisedGoal } from "./normalize.js";
export { extractSlots } from "./slots.js";
export type { GoalSlots } from "./slots.js";
