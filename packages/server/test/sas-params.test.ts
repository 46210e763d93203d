import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ipInRange, ipv4ToNumber, normaliseClientIp, parseIpRange } from "../src/auth/sas/sas-ip.js";
import { hasSasSignature, parseSasParams } from "../src/auth/sas/sas-params.js";
import type { StorageError } from "../src/errors/storage-error.js";

const authFailed = (e: StorageError) => e.status === 403 && e.code === "AuthenticationFailed";

describe("SAS query parameters", () => {
  test("sig= marks a SAS request, whatever else the query holds", () => {
    assert.equal(hasSasSignature("restype=share&comp=list&sv=2026-06-06&sig=abc"), true);
    assert.equal(hasSasSignature("SIG=abc"), true);
    assert.equal(hasSasSignature("restype=share&comp=acl"), false);
    assert.equal(hasSasSignature(""), false);
  });

  test("values are percent-decoded; a literal + stays + (base64 signatures)", () => {
    const p = parseSasParams(
      "comp=list&sv=2026-06-06&sr=s&sp=rl&se=2026-01-02T00%3A00%3A00Z&sip=1.2.3.4-1.2.3.9&spr=https%2Chttp&rscd=attachment%3B%20filename%3D%22a%20b.txt%22&sig=ab+cd%2Fef%3D",
    );
    assert.equal(p.sv, "2026-06-06");
    assert.equal(p.sr, "s");
    assert.equal(p.sp, "rl");
    assert.equal(p.se, "2026-01-02T00:00:00Z");
    assert.equal(p.sip, "1.2.3.4-1.2.3.9");
    assert.equal(p.spr, "https,http");
    assert.equal(p.rscd, 'attachment; filename="a b.txt"');
    assert.equal(p.sig, "ab+cd/ef=");
    assert.equal(p.userDelegation, false);
    assert.equal(p.st, undefined);
    assert.equal(p.si, undefined);
  });

  test("names are case-insensitive; the first of a repeated name wins", () => {
    const p = parseSasParams("SV=2026-06-06&Sig=one&sig=two&SP=r&sp=w");
    assert.equal(p.sv, "2026-06-06");
    assert.equal(p.sig, "one");
    assert.equal(p.sp, "r");
  });

  test("sv and sig are mandatory", () => {
    assert.throws(() => parseSasParams("sig=abc&sp=r"), authFailed);
    assert.throws(() => parseSasParams("sv=&sig=abc"), authFailed);
    assert.throws(() => parseSasParams("sv=2026-06-06&sig="), authFailed);
  });

  test("user-delegation fields are recognised", () => {
    assert.equal(parseSasParams("sv=2026-06-06&sig=x&skoid=1234").userDelegation, true);
    assert.equal(parseSasParams("sv=2026-06-06&sig=x&sktid=1234").userDelegation, true);
  });
});

describe("SAS IP ranges", () => {
  test("dotted quads become numbers; malformed ones are null", () => {
    assert.equal(ipv4ToNumber("0.0.0.0"), 0);
    assert.equal(ipv4ToNumber("127.0.0.1"), 0x7f000001);
    assert.equal(ipv4ToNumber("255.255.255.255"), 0xffffffff);
    for (const bad of ["256.0.0.1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "::1", ""])
      assert.equal(ipv4ToNumber(bad), null);
  });

  test("single address and inclusive ranges", () => {
    const one = parseIpRange("127.0.0.1");
    assert.ok(one);
    assert.equal(ipInRange("127.0.0.1", one), true);
    assert.equal(ipInRange("127.0.0.2", one), false);
    const range = parseIpRange("10.0.0.5-10.0.1.0");
    assert.ok(range);
    assert.equal(ipInRange("10.0.0.5", range), true);
    assert.equal(ipInRange("10.0.0.255", range), true);
    assert.equal(ipInRange("10.0.1.0", range), true);
    assert.equal(ipInRange("10.0.1.1", range), false);
    assert.equal(ipInRange("10.0.0.4", range), false);
  });

  test("reversed or malformed ranges are refused", () => {
    assert.equal(parseIpRange("10.0.0.9-10.0.0.1"), null);
    assert.equal(parseIpRange("10.0.0.1-"), null);
    assert.equal(parseIpRange("x"), null);
  });

  test("IPv4-mapped IPv6 clients are seen as IPv4; IPv6 clients are never in an IPv4 range", () => {
    assert.equal(normaliseClientIp("::ffff:127.0.0.1"), "127.0.0.1");
    assert.equal(normaliseClientIp("127.0.0.1"), "127.0.0.1");
    assert.equal(normaliseClientIp("::1"), "::1");
    assert.equal(normaliseClientIp(undefined), "");
    const all = parseIpRange("0.0.0.0-255.255.255.255");
    assert.ok(all);
    assert.equal(ipInRange("::1", all), false);
  });
});
