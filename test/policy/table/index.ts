import { GENERIC_ROWS } from "./generic.js";
import { MATRIX_ROWS } from "./matrix.js";
import { PROFILE_ROWS } from "./profiles.js";
import type { Case } from "./rows.js";
import { RULE_ROWS } from "./rules.js";

export { GENERIC_ROWS };

/** The whole policy table, in one format (rows.ts). */
export const CASES: readonly Case[] = [...RULE_ROWS, ...MATRIX_ROWS, ...GENERIC_ROWS, ...PROFILE_ROWS];
