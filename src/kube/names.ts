/** The namespace Flux installs itself into and its CLI defaults to. */
export const FLUX_NAMESPACE = "flux-system";
