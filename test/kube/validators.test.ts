import assert from "node:assert/strict";
import { test } from "node:test";
import { isDns1123Label, isDns1123Subdomain, isDuration, isLabelSelector, isRfc3339Utc } from "../../src/kube/index.js";

test("DNS-1123 labels and subdomains", () => {
  for (const ok of ["a", "web", "web-1", "0abc", "a".repeat(63)]) assert.ok(isDns1123Label(ok), ok);
  for (const bad of ["", "-a", "a-", "Web", "a.b", "a_b", "a".repeat(64), "wеb", "a b", "a\n"]) assert.ok(!isDns1123Label(bad), bad);
  for (const ok of ["a.b", "web-0.svc", `${"a".repeat(63)}.${"b".repeat(63)}`]) assert.ok(isDns1123Subdomain(ok), ok);
  for (const bad of ["", ".a", "a.", "a..b", "a.-b", "a".repeat(254), "web/x", "-x", "a;b"]) assert.ok(!isDns1123Subdomain(bad), bad);
});

test("label selectors follow the Kubernetes grammar", () => {
  const ok = [
    "app", "!app", "app=web", "app==web", "app!=web", "app=", "app.kubernetes.io/name=web", "a=b,c!=d,!e,f",
    "tier in (api,worker)", "tier notin (a, b)", "env in (prod),app=web", " app = web ", "A_b.c-d=X_y",
  ];
  for (const s of ok) assert.ok(isLabelSelector(s), s);
  const bad = [
    "", "=web", "app=web;id", "app=$(id)", "-l", "app=we b", "app in (a", "app in ()", "app in (a,)", "app=web,,b",
    "app=web,", "app=-x", "/name=x", "Bad_/x=y", "app=wеb", "app=web\n", "x".repeat(64) + "=a", "a=" + "b".repeat(64), "app>1",
  ];
  for (const s of bad) assert.ok(!isLabelSelector(s), s);
});

test("durations and timestamps", () => {
  for (const ok of ["30s", "5m", "2h", "1h30m", "1.5h", "250ms"]) assert.ok(isDuration(ok), ok);
  for (const bad of ["", "5", "5 m", "-5m", "5min", "1d", "m", "5m;x"]) assert.ok(!isDuration(bad), bad);
  assert.ok(isRfc3339Utc("2024-05-01T12:00:00Z"));
  for (const bad of ["2024-05-01T12:00:00.123Z", "2024-05-01T12:00:00+02:00", "2024-13-01T12:00:00Z", "now"]) assert.ok(!isRfc3339Utc(bad), bad);
});
