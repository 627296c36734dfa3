export { AMBIGUOUS_SHORT_NAMES, KINDS, kindForms, kindOf, kindOfInKubectlContext } from "./kinds.js";
export type { KindInfo } from "./kinds.js";
export { CORRECTABLE_VERBS, INTENTS, MUTATING_INTENTS, VERB_REWRITES, VERB_SYNONYMS } from "./intents.js";
export type { Intent } from "./intents.js";
export { FLUX_NAMESPACE, isDns1123Label, isDns1123Subdomain } from "./names.js";
export { shellQuote, unquoteTokens } from "./quote.js";
export { createInventory, inventoryArgv, parseInventory } from "./inventory.js";
export type { Inventory, InventoryKind, InventoryObject, InventoryOptions, InventoryResult, InventorySnapshot, KubectlRead } from "./inventory.js";
