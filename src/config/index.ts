export { ConfigSchema, type Config } from "./schema.js";
export { loadConfig, CONFIG_FILE_NAME, type LoadConfigOptions, type LoadedConfig } from "./load.js";
export { formatConfig, maskConfig } from "./format.js";
export { ConfigError, type ConfigIssue } from "./errors.js";
export { FIELDS, SECRET_FIELDS, envVarFor, type Field } from "./fields.js";
export { defaultAuditPath, defaultCacheDir } from "./defaults.js";
export type { DeepPartial } from "./merge.js";
