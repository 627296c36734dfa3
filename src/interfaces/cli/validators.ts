import { z } from "zod";

/**
 * zod compiles a fast validator for each schema the first time it parses with it: worth it in a server that
 * parses the same shapes many times, a loss in a one-shot command and while a server is still starting (the
 * configuration and the first protocol messages are each parsed once). Every command starts without; a server
 * calls this once it serves.
 */
export function compileValidatorsFromNowOn(): void {
  z.config({ jitless: false });
}

export function interpretValidators(): void {
  z.config({ jitless: true });
}
