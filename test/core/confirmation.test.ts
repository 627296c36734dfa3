import assert from "node:assert/strict";
import { test } from "node:test";
import { checkApproval } from "../../src/core/confirmation.js";
import type { ApprovedBy } from "../../src/core/confirmation.js";

const TOKEN = "rk1.token";

test("which claims approve: a token over HTTP/MCP/library, --confirm at the terminal, only a person with requireHuman", () => {
  const rows: readonly { confirm: boolean; token?: string; by?: ApprovedBy; requireHuman?: boolean; label?: string; why?: RegExp }[] = [
    { confirm: false, why: /^needs approval$/ },
    { confirm: false, token: TOKEN, why: /without constraints\.confirm/ },
    { confirm: true, why: /confirm = true alone is not an approval/ },
    { confirm: true, token: TOKEN, label: "token" },
    { confirm: true, by: "terminal-flag", label: "terminal" },
    { confirm: true, token: TOKEN, by: "terminal-flag", label: "terminal" },
    { confirm: true, token: TOKEN, by: "terminal-prompt", label: "terminal" },
    { confirm: true, by: "terminal-prompt", why: /alone is not an approval/ },
    { confirm: true, token: TOKEN, by: "elicitation", label: "elicitation" },
    { confirm: true, by: "elicitation", why: /alone is not an approval/ },
    { confirm: true, token: TOKEN, requireHuman: true, why: /requireHuman/ },
    { confirm: true, by: "terminal-flag", requireHuman: true, why: /requireHuman/ },
    { confirm: true, token: TOKEN, by: "terminal-prompt", requireHuman: true, label: "terminal" },
    { confirm: true, token: TOKEN, by: "elicitation", requireHuman: true, label: "elicitation" },
  ];
  for (const row of rows) {
    const name = JSON.stringify(row);
    const check = checkApproval({ confirm: row.confirm, confirmToken: row.token }, row.by, row.requireHuman ?? false);
    if (row.label) {
      assert.equal(check.approved, true, name);
      if (check.approved) {
        assert.equal(check.label, row.label, name);
        assert.equal(check.token, row.token, `${name}: the token is handed on to be redeemed`);
      }
    } else {
      assert.equal(check.approved, false, name);
      if (!check.approved) assert.match(check.message, row.why ?? /./, name);
    }
  }
});
