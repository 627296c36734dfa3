let hidden = "";

export function initialize(name) {
  hidden = name;
}

/** Fails the way Node does for a package that is not installed. */
export async function resolve(specifier, context, next) {
  if (hidden !== "" && (specifier === hidden || specifier.startsWith(`${hidden}/`))) {
    throw Object.assign(new Error(`Cannot find package '${specifier}' imported from ${context.parentURL}`), { code: "ERR_MODULE_NOT_FOUND" });
  }
  return next(specifier, context);
}
