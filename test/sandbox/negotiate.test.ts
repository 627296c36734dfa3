import assert from "node:assert/strict";
import { test } from "node:test";
import { negotiate } from "../../src/sandbox/negotiate.js";

const PB = "application/vnd.kubernetes.protobuf";

test("response encodings follow the client's Accept preferences, as the API server negotiates them", () => {
  const cases: [accept: string | undefined, protobufAvailable: boolean, expected: ReturnType<typeof negotiate>][] = [
    [undefined, true, "json"],
    ["", true, "json"],
    ["application/json", true, "json"],
    ["*/*", true, "json"],
    [`${PB}, application/json`, true, "protobuf"], // client-go for built-in kinds
    [`${PB},application/json`, false, "json"], // a custom resource: JSON fallback
    [`${PB};stream=watch, application/json`, true, "protobuf"],
    [PB, false, undefined], // nothing acceptable: 406
    [`application/json, ${PB}`, true, "json"], // order is preference
    [`application/json;q=0.5, ${PB}`, true, "protobuf"], // q outranks order
    [`${PB};q=0, application/json`, true, "json"], // q=0 means not acceptable
    ["application/json;as=Table;v=v1;g=meta.k8s.io,application/json", true, "json"],
    [`${PB};as=Table;v=v1;g=meta.k8s.io, ${PB}`, true, "protobuf"], // transformed kinds are skipped here
    ["text/html", true, undefined],
    ["application/yaml", true, "yaml"],
    [`${PB}, application/yaml`, false, "yaml"],
    ["APPLICATION/VND.KUBERNETES.PROTOBUF", true, "protobuf"],
    [";;;,,,=;q=abc", true, undefined],
    [`${"x,".repeat(10_000)}application/json`, true, "json"],
  ];
  for (const [accept, available, expected] of cases) assert.equal(negotiate(accept, available), expected, `${String(accept).slice(0, 60)} (protobuf ${available ? "available" : "unavailable"})`);
});
