import { z } from "zod";

/**
 * How a container image behaves when the simulated kubelet runs it. The registry is part of the
 * sandbox's world: a pod fails to pull or crash-loops because of its image, never because of its name.
 */
export const ImageBehaviorSchema = z
  .object({
    /**
     * run: starts and stays ready (or, in a pod that does not restart, exits 0); crash: exits and restarts;
     * pull-error: the image cannot be pulled; repull-error: the container ran once and exited, and the tag
     * has since vanished from the registry, so the restart's pull fails (as with `imagePullPolicy: Always`).
     */
    behavior: z.enum(["run", "crash", "pull-error", "repull-error"]).default("run"),
    /** For crash: how many restarts the kubelet has done by the time the sandbox starts. */
    restarts: z.number().int().min(1).default(5),
    exitCode: z.number().int().default(1),
    /** Log lines of the current (or last) run; `{pod}`, `{container}`, `{image}` and `{n}` are filled in. */
    logs: z.array(z.string()).optional(),
    /** Log lines of the previous run (crash only). */
    previousLogs: z.array(z.string()).optional(),
    usage: z.object({ cpu: z.string(), memory: z.string() }).strict().optional(),
  })
  .strict();
export type ImageBehavior = z.infer<typeof ImageBehaviorSchema>;

const RUN: ImageBehavior = { behavior: "run", restarts: 5, exitCode: 1 };

/** Looks images up exactly, then by the longest `prefix*` pattern. */
export class ImageCatalog {
  constructor(private readonly entries: Record<string, ImageBehavior> = {}) {}

  behavior(image: string): ImageBehavior {
    const exact = this.entries[image];
    if (exact) return exact;
    let best: [string, ImageBehavior] | undefined;
    for (const [pattern, behavior] of Object.entries(this.entries)) {
      if (!pattern.endsWith("*")) continue;
      const prefix = pattern.slice(0, -1);
      if (image.startsWith(prefix) && (!best || prefix.length > best[0].length)) best = [prefix, behavior];
    }
    return best?.[1] ?? RUN;
  }
}
