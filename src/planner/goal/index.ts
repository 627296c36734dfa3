export { parseGoal } from "./parser.js";
export type { GoalCandidate, GoalParse } from "./parser.js";
export { extractSlots } from "./slots.js";
export type { GoalSlots } from "./slots.js";
