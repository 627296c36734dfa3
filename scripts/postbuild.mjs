// Runs after tsc (npm run build): two start-up shortcuts that belong to the shipped code, not to a cache, and the
// one tokenizer table the package needs.
// 1. The bundled policy, parsed and validated once here, is written next to each compiled copy of the policy
//    loader; the loader uses it only while policy/*.yaml still match its digest.
// 2. The CLI is bundled into one CommonJS script, dist/cli/rag-k8s.cjs: resolving and reading ~150 small modules
//    was a third of a cold start, and a classic script is what V8 can cache compiled code for (Node 20 has no
//    compile cache for modules): the bin, dist/cli/main.js, is a small launcher that runs the bundle with that cache
//    (src/interfaces/cli/code-cache.ts). Modules imported lazily stay lazy: esbuild defers their top-level code to
//    the first import(). The MCP SDK is bundled too, with what it imports (pure JS): loaded from node_modules it was
//    ~120 more files and a second copy of zod. Packages with native code or large optional features stay external
//    and load only when a command needs them.
// 3. Every MCP tool as tools/list answers it, computed once through the SDK (its zod → JSON Schema conversion
//    was most of the cost of a first tools/list) and written next to the bundle.
import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cliDir = join(root, "dist", "cli");
const BUNDLED_PACKAGES = new Set(["commander", "yaml", "zod", "@modelcontextprotocol/sdk"]);
// The name src/interfaces/cli/launch.ts runs.
const CLI_BUNDLE = "rag-k8s.cjs";

const { PREPARSED_POLICY_FILE, preparseBundledPolicy } = await import(pathToFileURL(join(root, "dist", "policy", "load.js")).href);
const preparsed = JSON.stringify(preparseBundledPolicy());

rmSync(cliDir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, "dist", "interfaces", "cli", "main.js")],
  outfile: join(cliDir, CLI_BUNDLE),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  // A CommonJS script has no import.meta: modules that find files next to themselves get the bundle's own URL.
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  // Less text for V8 to scan at every start (measured ≈ 30 ms of CPU); identifiers stay, so stack traces still read.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [
    {
      // zod's namespace re-exports its 57 error-message locales (≈ 290 KB, half of the bundled zod), which every
      // start would parse; rag-k8s reports in English and never calls z.config(z.locales.…()).
      name: "zod-english-only",
      setup(pluginBuild) {
        const zodDir = `${sep}node_modules${sep}zod${sep}`;
        pluginBuild.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
          args.importer.includes(zodDir) ? { path: join(args.resolveDir, "..", "locales", "en.js"), namespace: "zod-locales" } : undefined,
        );
        pluginBuild.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
          contents: `export { default as en } from ${JSON.stringify(args.path)};`,
          resolveDir: dirname(args.path),
        }));
      },
    },
    {
      // The SDK's MCP server sets up Ajv with its formats at construction (loading and building it was ≈ 25 ms of
      // every `rag-k8s mcp` start) only to check answers to elicitation, which most sessions never get. The same
      // class, with the SDK's own implementation loaded and built on the first schema it is asked to check.
      name: "mcp-sdk-lazy-ajv",
      setup(pluginBuild) {
        const provider = join("@modelcontextprotocol", "sdk", "dist", "esm", "validation", "ajv-provider.js");
        pluginBuild.onLoad({ filter: /ajv-provider\.js$/ }, (args) => {
          if (!args.path.endsWith(provider) || args.suffix === "?eager") return undefined;
          const contents = [
            "let Eager;",
            "export class AjvJsonSchemaValidator {",
            "  constructor(ajv) { this._given = ajv; }",
            '  getValidator(schema) { Eager ??= require("./ajv-provider.js?eager").AjvJsonSchemaValidator; this._eager ??= new Eager(this._given); return this._eager.getValidator(schema); }',
            "}",
          ].join("\n");
          return { contents, loader: "js", resolveDir: dirname(args.path) };
        });
      },
    },
    {
      // The bundle imports packages outside it through src/external-import.ts; the launcher passes the function
      // that does it (a script run from V8's code cache cannot call import() itself on Node 20).
      name: "external-import-from-launcher",
      setup(pluginBuild) {
        pluginBuild.onLoad({ filter: /[\\/]dist[\\/]external-import\.js$/ }, () => ({
          contents: "export const importExternal = (specifier) => __importExternal(specifier);",
          loader: "js",
        }));
      },
    },
    {
      name: "externalize-heavy-packages",
      setup(pluginBuild) {
        pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
          const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0];
          // What a bundled package imports is bundled with it, resolved where npm put it for that package.
          const fromBundledPackage = args.importer.includes(`${sep}node_modules${sep}`);
          return BUNDLED_PACKAGES.has(name) || fromBundledPackage || args.path.startsWith("node:") ? undefined : { path: args.path, external: true };
        });
      },
    },
  ],
});
// esbuild leaves non-ASCII characters in regular expression literals as they are (the goal parser's quotes and
// dashes); one such character makes V8 hold the whole 1.8 MB source as a two-byte string: twice the memory, and
// slower to decode at every start. \uXXXX means the same in strings, templates' values and regular expressions.
const bundlePath = join(cliDir, CLI_BUNDLE);
const bundleText = readFileSync(bundlePath, "utf8");
// An import() left in the bundle would fail once the bundle runs from the code cache (src/external-import.ts).
const dynamicImport = /\bimport\(/.exec(bundleText);
if (dynamicImport) throw new Error(`${CLI_BUNDLE} calls import() at ${dynamicImport.index}: import packages outside the bundle with importExternal`);
writeFileSync(bundlePath, bundleText.replace(/[^ -~\t\n\r]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`));
await build({
  entryPoints: [join(root, "dist", "interfaces", "cli", "launch.js")],
  outfile: join(cliDir, "main.js"),
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});

for (const dir of [join(root, "dist", "policy"), cliDir]) writeFileSync(join(dir, PREPARSED_POLICY_FILE), preparsed);

const { TOOL_LISTING_FILE, computeToolListing } = await import(pathToFileURL(join(root, "dist", "interfaces", "mcp", "listing.js")).href);
writeFileSync(join(cliDir, TOOL_LISTING_FILE), JSON.stringify(await computeToolListing()));

// 4. client-node's KubeConfig alone (≈ 1 MB): the direct API executor needs its kubeconfig loading (contexts,
//    certificates, exec credential plugins, proxies), not the 46 MB of generated API models the package ships.
await build({
  stdin: { contents: 'export { KubeConfig } from "@kubernetes/client-node";', resolveDir: root, loader: "js" },
  outfile: join(root, "dist", "vendor", "kubeconfig.mjs"),
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  logLevel: "warning",
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
});

// 5. The one gpt-tokenizer encoding rag-k8s counts with, bundled on its own (≈ 1 MB): the package ships every
//    encoding in four builds (51 MB), which would be half of a user's install. It stays a dev dependency.
await build({
  entryPoints: [join(root, "node_modules", "gpt-tokenizer", "cjs", "encoding", "cl100k_base.js")],
  outfile: join(root, "dist", "vendor", "cl100k_base.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  logLevel: "warning",
});
