// Loaded with --import: makes the package named in HIDE_PACKAGE unresolvable, as when an optional add-on is not installed.
import { register } from "node:module";

register("./hide-package-hooks.mjs", import.meta.url, { data: process.env["HIDE_PACKAGE"] ?? "" });
