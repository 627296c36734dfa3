#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { codeCacheDir, runWithCodeCache } from "./code-cache.js";

/**
 * The `rag-k8s` bin (dist/cli/main.js once built): runs the CLI bundle beside it, dist/cli/rag-k8s.cjs, with V8's
 * compiled code cached per command (code-cache.ts). It imports nothing of rag-k8s but that, so it starts at once.
 */
const bundle = fileURLToPath(new URL("./rag-k8s.cjs", import.meta.url));
const command = process.argv[2] ?? "";
runWithCodeCache(bundle, { dir: codeCacheDir(process.env), variant: /^[a-z][a-z-]{0,31}$/.test(command) ? command : "-" });
