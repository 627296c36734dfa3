import { Document } from "yaml";
import { compareBytes } from "./gojson.js";

/**
 * YAML as kubectl's `-o yaml` writes it (sigs.k8s.io/yaml over go-yaml v2): keys sorted, sequences not
 * indented under their key, YAML 1.1 scalars quoted (so "yes", "on" and timestamps stay strings), double
 * quotes, literal blocks for multi-line text, lines folded at 80 columns.
 */
export function goYaml(value: unknown): string {
  const doc = new Document(value, { version: "1.1", sortMapEntries: (a, b) => compareBytes(String(a.key), String(b.key)) });
  return doc.toString({ indentSeq: false, singleQuote: false, blockQuote: "literal", lineWidth: 80, minContentWidth: 0, nullStr: "null" });
}
