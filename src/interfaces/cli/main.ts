import { Argument, Command, CommanderError, Option } from "commander";
import { INTENTS, RESOURCES } from "../../cards/vocabulary.js";
import { COMPLETION_SHELLS } from "./completion-shells.js";
import type { CompletionShell } from "./completion-shells.js";
import { describeError } from "./errors.js";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes.js";
import { collect, fractionOption, globalOptions, integerOption } from "./options.js";
import { PARAM_FLAGS } from "./request.js";
import { interpretValidators } from "./validators.js";

type Action = (...args: never[]) => Promise<number> | number;

/** Runs an action, maps errors to exit codes, and exits; heavy modules are imported inside actions only. */
function run<A extends Action>(action: A) {
  return async (...args: Parameters<A>): Promise<void> => {
    const command = args[args.length - 1] as unknown as Command;
    const json = globalOptions(command).json ?? false;
    try {
      process.exitCode = await action(...args);
    } catch (error) {
      const { code, message, issues } = await describeError(error);
      if (json) process.stdout.write(`${JSON.stringify({ error: message, issues }, null, 2)}\n`);
      else process.stderr.write(`rag-k8s: ${message}\n`);
      process.exitCode = code;
    }
  };
}

/** The request flags: fields, then one flag per typed card parameter (from the request schema), then constraints. */
function requestOptions(command: Command): Command {
  command
    .option("-f, --file <payload.json>", "read the request as JSON from a file ('-' for stdin); the flags below add to it, and one that contradicts it is an error")
    .option("--intent <intent>", `what to do: ${INTENTS.join(", ")}`)
    .option("--resource <resource>", `object kind: ${RESOURCES.join(", ")}`)
    .option("-n, --namespace <namespace>", "namespace of the object")
    .option("--name <name>", "name of the object")
    .option("-l, --selector <selector>", "label selector, e.g. app=web")
    .option("-g, --goal <text>", "a free-text goal instead of intent/resource")
    .option("-c, --command <kubectl command>", "run this kubectl/flux command as written, under the same policy (no shell)");
  for (const p of PARAM_FLAGS) {
    if (p.kind === "boolean") command.option(p.flag, p.description);
    else if (p.kind === "integer") command.option(`${p.flag} <n>`, p.description, integerOption(p.flag));
    else command.option(`${p.flag} <value>`, p.description);
  }
  return command
    .option("-p, --param <key=value>", "any other parameter the card declares (repeatable)", collect)
    .option("--dry-run", "run with --dry-run=server: the API server checks it, nothing changes")
    .option("--confirm", "approve a risky operation as the person at this terminal (otherwise it waits for confirmation)")
    .option("--confirm-token <token>", "with --confirm: the confirmToken printed with the plan; runs only that exact plan, once")
    .option("--max-output <chars>", "cap each step's output (a terminal gets all of it by default; --json and pipes get exec.maxStdoutChars)", integerOption("--max-output"))
    .option("--stream", "show kubectl's output as it comes (default on a terminal), then the result");
}

function buildProgram(): Command {
  const program = new Command("rag-k8s")
    .description(
      "Operate Kubernetes safely and fast: retrieve command cards, plan a kubectl command, validate it against\n" +
        "policy parsed from the command itself, run it without a shell (real server-side dry-run), audit it.",
    )
    .version("0.1.0")
    .option("--config <file>", "configuration file (default: ./rag-k8s.config.yaml if present)")
    .option("--cards <dir>", "extra card folder, added after the bundled cards (repeatable)", collect)
    .option("--no-bundled-cards", "use only the folders given with --cards")
    .option("--policy <dir>", "policy folder replacing the bundled policy")
    .option("--kubeconfig <file>", "kubeconfig of the target cluster (default: $KUBECONFIG, then ~/.kube/config)")
    .option("--context <name>", "kubeconfig context rag-k8s targets (plans can never choose one)")
    .option("--sandbox", "target the built-in in-memory sandbox cluster")
    .option("--json", "machine-readable JSON output")
    .option("--read-only", "refuse every command that changes anything (policy.readOnly)")
    .option("--disable-destructive", "refuse delete, drain, scale to 0 and rollout undo (policy.disableDestructive)")
    .addHelpText("after", `\nWithout any kubeconfig, commands target the built-in sandbox cluster.\n${EXIT_CODES_HELP}\n\nExamples:\n  rag-k8s tour\n  rag-k8s exec --intent restart --resource deployment -n staging --name web\n  rag-k8s exec --intent scale --resource deployment -n staging --name web --replicas 3 --dry-run\n  rag-k8s exec "restart deployment payments-api in staging"\n  rag-k8s validate "kubectl delete pod web-0 -n prod"\n  rag-k8s search "pod keeps crashing" -k 3`);
  program.exitOverride();
  // Servers (serve, mcp, sandbox) compile zod's validators once they serve (validators.ts).
  program.hook("preAction", () => interpretValidators());

  program
    .command("tour")
    .description("a short guided run against the built-in sandbox: restart, rollout status, scale with confirmation, logs, a denied delete")
    .action(run(async (_flags: unknown, cmd: Command) => (await import("./commands/tour.js")).runTour(globalOptions(cmd))));

  for (const mode of ["exec", "plan"] as const) {
    requestOptions(
      program
        .command(`${mode} [goal...]`)
        .description(
          mode === "exec"
            ? "plan, validate and run one operation (asks y/N on a terminal when confirmation is needed)"
            : "plan and validate one operation without running it",
        ),
    ).action(
      run(async (goal: string[], flags: Record<string, unknown>, cmd: Command) =>
        (await import("./commands/exec.js")).runExec(mode, flags, goal, globalOptions(cmd)),
      ),
    );
  }

  program
    .command("run")
    .argument("<argv...>", "the kubectl/flux command, after --")
    .usage("[options] -- kubectl get pods -A")
    .description("run one kubectl/flux command you wrote, under policy (allow / confirm / deny), without a shell")
    .option("--dry-run", "run with --dry-run=server: the API server checks it, nothing changes")
    .option("--confirm", "approve a risky command (otherwise it waits for confirmation)")
    .option("--confirm-token <token>", "with --confirm: the confirmToken printed with the plan; runs only that exact command")
    .action(
      run(async (argv: string[], flags: Record<string, unknown>, cmd: Command) =>
        (await import("./commands/exec.js")).runExec("exec", { ...flags, argv }, [], globalOptions(cmd)),
      ),
    );

  program
    .command("validate <command>")
    .description("check a kubectl/flux command against policy: exit 0 allow, 3 confirm, 4 deny, 2 usage error")
    .option("-n, --namespace <namespace>", "the namespace the command must target")
    .action(
      run(async (command: string, flags: { namespace?: string }, cmd: Command) =>
        (await import("./commands/validate.js")).runValidate(command, flags, globalOptions(cmd)),
      ),
    );

  program
    .command("health")
    .description("read-only scan of a namespace (-n) or the whole cluster (-A): what is wrong, the evidence, and the next operation for each")
    .option("-n, --namespace <namespace>", "scan this namespace")
    .option("-A, --all-namespaces", "scan every namespace and the nodes")
    .option("--budget <tokens>", "token budget of the answer (default 2000)", integerOption("--budget"))
    .action(
      run(async (flags: { namespace?: string; allNamespaces?: boolean; budget?: number }, cmd: Command) =>
        (await import("./commands/health.js")).runHealth(flags, globalOptions(cmd)),
      ),
    );

  const searchFlags = (c: Command) =>
    c
      .option("--intent <intent>", "only cards with this intent")
      .option("--resource <resource>", "only cards for this resource")
      .option("-q, --query <text>", "what the operation is about (instead of the words)")
      .option("-k <n>", "number of cards", integerOption("-k"))
      .addOption(new Option("--mode <mode>", "retrieval mode").choices(["lexical", "semantic", "hybrid"]));
  searchFlags(program.command("search [query...]").description("rank command cards for a query (words, or -q)")).action(
    run(async (words: string[], flags: Record<string, unknown>, cmd: Command) =>
      (await import("./commands/retrieval.js")).runSearch(words, flags, globalOptions(cmd)),
    ),
  );
  searchFlags(program.command("retrieve [query...]").description("render the card context a planner sees, within a token budget (words, or -q)"))
    .option("--budget <tokens>", "token budget", integerOption("--budget"))
    .action(
      run(async (words: string[], flags: Record<string, unknown>, cmd: Command) =>
        (await import("./commands/retrieval.js")).runRetrieve(words, flags, globalOptions(cmd)),
      ),
    );

  const index = program.command("index").description("the semantic vector index");
  index
    .command("build")
    .description("embed every card and persist the vector index (needs the embedding model)")
    .addOption(new Option("--mode <mode>", "retrieval mode").choices(["semantic", "hybrid"]))
    .action(
      run(async (flags: { mode?: string }, cmd: Command) =>
        (await import("./commands/retrieval.js")).runIndexBuild(flags, globalOptions(cmd)),
      ),
    );

  const cards = program.command("cards").description("command cards");
  cards
    .command("lint [dirs...]")
    .description("check cards: schema, placeholders, examples render exactly, unique ids (exit 2 on errors)")
    .action(
      run(async (dirs: string[], _flags: unknown, cmd: Command) =>
        (await import("./commands/cards.js")).runCardsLint(dirs, globalOptions(cmd)),
      ),
    );
  cards
    .command("list")
    .description("list the cards in effect")
    .action(run(async (_flags: unknown, cmd: Command) => (await import("./commands/cards.js")).runCardsList(globalOptions(cmd))));

  program
    .command("config")
    .description("configuration")
    .command("show")
    .description("print the effective configuration and where each value came from")
    .action(run(async (_flags: unknown, cmd: Command) => (await import("./commands/config.js")).runConfigShow(globalOptions(cmd))));

  const policy = program.command("policy").description("the policy in effect");
  policy
    .command("show")
    .description("the effective rules for a namespace and why they apply (listed, prod-like or unlisted); without -n, cluster-scoped objects")
    .option("-n, --namespace <namespace>", "the namespace to explain")
    .action(run(async (flags: { namespace?: string }, cmd: Command) => (await import("./commands/policy.js")).runPolicyShow(flags, globalOptions(cmd))));
  policy
    .command("lint [dir]")
    .description("check a policy folder (default: the one in effect): file:line:col per problem, exit 2 on any")
    .action(run(async (dir: string | undefined, _flags: unknown, cmd: Command) => (await import("./commands/policy.js")).runPolicyLint(dir, globalOptions(cmd))));

  program
    .command("completion")
    .description("print a shell completion script, e.g. rag-k8s completion bash > ~/.local/share/bash-completion/completions/rag-k8s")
    .addArgument(new Argument("<shell>", "the shell").choices(COMPLETION_SHELLS))
    .action(run(async (shell: CompletionShell, _flags: unknown, cmd: Command) => (await import("./completion.js")).runCompletion(shell, cmd.parent ?? cmd)));

  program
    .command("audit")
    .description("the audit log")
    .command("verify")
    .description("check that every mutation's intent has a result and no line is torn or missing (exit 1 lists the problems)")
    .action(run(async (_flags: unknown, cmd: Command) => (await import("./commands/audit.js")).runAuditVerify(globalOptions(cmd))));

  program
    .command("sandbox")
    .description("run the in-memory Kubernetes API sandbox until stopped; later commands without another target use it")
    .option("--port <port>", "port on 127.0.0.1 (default: a free one)", integerOption("--port"))
    .option("--kubeconfig-out <file>", "also write its kubeconfig here (it is always kept in the state folder)")
    .option("--fixture <file>", "seed state YAML (default: the bundled fixture)")
    .action(
      run(async (flags: { port?: number; kubeconfigOut?: string; fixture?: string }, cmd: Command) =>
        (await import("./commands/sandbox.js")).runSandbox(flags, globalOptions(cmd)),
      ),
    );

  const model = program.command("model").description("download models (needs internet; nothing here needs one)");
  model
    .command("pull <uri>")
    .description("download a planner GGUF, e.g. hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf")
    .action(
      run(async (uri: string, _flags: unknown, cmd: Command) => (await import("./commands/model.js")).runModelPull(uri, globalOptions(cmd))),
    );
  model
    .command("pull-embedder")
    .description("download all-MiniLM-L6-v2 for semantic/hybrid retrieval")
    .action(run(async (_flags: unknown, cmd: Command) => (await import("./commands/model.js")).runPullEmbedder(globalOptions(cmd))));

  program
    .command("eval")
    .description(
      "score planning against a JSONL set of requests or goals with expected commands/decisions (runs nothing but read-only lookups); " +
        "cards that look values up (newest ready pod, workload selector) need --fixture, --sandbox or --kubeconfig",
    )
    .requiredOption("--set <file>", "eval set (repeatable), e.g. eval/goals.jsonl or eval/workloads.jsonl", collect)
    .option("--fixture <file>", "start the sandbox seeded with this fixture for the lookups, e.g. eval/workloads.fixture.yaml")
    .option("--min-accuracy <fraction>", "exit 1 when a set scores below this (0–1; default 1: every case right)", fractionOption("--min-accuracy"))
    .action(
      run(async (flags: { set: string[]; fixture?: string; minAccuracy?: number }, cmd: Command) =>
        (await import("./commands/eval.js")).runEvalCommand(flags, globalOptions(cmd)),
      ),
    );

  program
    .command("serve")
    .description("HTTP API: POST /k8s-exec /plan /retrieve /validate, GET /health /metrics (token required off loopback)")
    .option("--host <host>", "address to bind (default 127.0.0.1)")
    .option("--port <port>", "port (default 8080)", integerOption("--port"))
    .option("--preload", "load the planner model before listening (otherwise /health is 503 until it is loaded)")
    .action(
      run(async (flags: { host?: string; port?: number; preload?: boolean }, cmd: Command) =>
        (await import("./commands/serve.js")).runServe(flags, globalOptions(cmd)),
      ),
    );

  program
    .command("mcp")
    .description("MCP server for Claude Code and other agents: stdio by default, streamable HTTP with --http")
    .option("--http", "serve streamable HTTP on POST /mcp instead of stdio")
    .option("--host <host>", "address to bind with --http (default 127.0.0.1)")
    .option("--port <port>", "port with --http", integerOption("--port"))
    .action(
      run(async (flags: { http?: boolean; host?: string; port?: number }, cmd: Command) =>
        (await import("./commands/mcp.js")).runMcp(flags, globalOptions(cmd)),
      ),
    );

  return program;
}

async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    throw error;
  }
}

// `rag-k8s cards list | head` closes the pipe early: stop writing, but let the operation finish and close cleanly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

// Not a top-level await: the bundle is a CommonJS script (see launch.ts). Actions map their own errors to exit
// codes; what reaches here is a fault of rag-k8s itself.
main(process.argv).catch((error: unknown) => {
  process.stderr.write(`rag-k8s: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = EXIT.internal;
});
