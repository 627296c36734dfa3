export { EvalCaseSchema, EvalSetError, readEvalSet } from "./set.js";
export type { EvalCase } from "./set.js";
export { formatReport, judge, runEval } from "./run.js";
export type { CaseOutcome, EvalReport } from "./run.js";
