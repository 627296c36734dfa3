export { EvalCaseSchema, EvalSetError, readEvalSet, readEvalSetFile } from "./set.js";
export type { EvalCase, EvalSet } from "./set.js";
export { formatReport, formatVerdicts, gradeSet, judge, runEval } from "./run.js";
export type { CaseOutcome, EvalReport, SetVerdict } from "./run.js";
export { discardingAuditLog } from "./audit.js";
