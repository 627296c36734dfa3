import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { createSecureContext } from "node:tls";
import { test } from "node:test";
import { selfSignedCertificate } from "../../src/sandbox/tls.js";

test("every generated certificate is DER that OpenSSL loads (500 in a row; random serials once broke 1 start in 256)", () => {
  for (let i = 0; i < 500; i++) {
    const { certPem, keyPem } = selfSignedCertificate();
    assert.doesNotThrow(() => createSecureContext({ cert: certPem, key: keyPem }));
    const cert = new X509Certificate(certPem);
    assert.ok(cert.checkPrivateKey(createPrivateKey(keyPem)), "the key matches the certificate");
    assert.match(cert.subjectAltName ?? "", /IP Address:127\.0\.0\.1/);
    assert.match(cert.serialNumber, /^[4-7]/, "the serial's first byte is 0x40-0x7f: positive and minimally encoded");
  }
});
