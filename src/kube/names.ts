/**
 * Validators for the names Kubernetes accepts. They are ASCII-only and anchored: a value that passes never
 * carries whitespace, control characters, unicode look-alikes or a leading "-" that kubectl would read as a flag.
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** RFC 1123 label, as Kubernetes requires for namespace names: at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** RFC 1123 subdomain, as Kubernetes requires for most object names: at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** The namespace Flux installs itself into and its CLI defaults to. */
export const FLUX_NAMESPACE = "flux-system";
