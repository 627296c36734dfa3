// Loaded with --import: makes the package named in HIDE_PACKAGE unresolvable, as when an optional add-on is not installed.
import { register } from "node:module";
import { env } from "node:process";

register("./hide-package-hooks.mjs", import.meta.url, { data: env["HIDE_PACKAGE"] ?? "" });
