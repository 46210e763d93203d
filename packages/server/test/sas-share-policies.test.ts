import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseIso8601 } from "../src/engine/iso-time.js";
import { decodeAcl, encodeAcl, validateSignedIdentifiers } from "../src/engine/share-policies.js";
import type { StorageError } from "../src/errors/storage-error.js";
import { parseSignedIdentifiersXml, signedIdentifiersXml } from "../src/http/handlers/share-acl.js";

const is = (status: number, code: string) => (e: StorageError) => e.status === status && e.code === code;

describe("ISO-8601 times Azure accepts", () => {
  test("the documented forms", () => {
    assert.equal(parseIso8601("2026-01-02"), Date.UTC(2026, 0, 2));
    assert.equal(parseIso8601("2026-01-02T03:04Z"), Date.UTC(2026, 0, 2, 3, 4));
    assert.equal(parseIso8601("2026-01-02T03:04:05Z"), Date.UTC(2026, 0, 2, 3, 4, 5));
    assert.equal(parseIso8601("2026-01-02T03:04:05.1234567Z"), Date.UTC(2026, 0, 2, 3, 4, 5, 123));
    assert.equal(parseIso8601("2026-01-02T03:04:05+02:00"), Date.UTC(2026, 0, 2, 1, 4, 5));
  });
  test("anything else is null", () => {
    for (const bad of [
      "",
      "2026-13-01",
      "2026-02-30",
      "2026-01-02T25:00Z",
      "yesterday",
      "2026-01-02T03:04:05",
      "1767225600",
    ])
      assert.equal(parseIso8601(bad), null, bad);
  });
});

describe("signed identifier validation", () => {
  test("valid identifiers come back with times normalised to 7 fractional digits", () => {
    assert.deepEqual(
      validateSignedIdentifiers([
        { id: "a", start: "2026-01-01T00:00:00Z", expiry: "2026-01-02", permission: "rl" },
        { id: "b" },
      ]),
      [
        {
          id: "a",
          start: "2026-01-01T00:00:00.0000000Z",
          expiry: "2026-01-02T00:00:00.0000000Z",
          permission: "rl",
        },
        { id: "b" },
      ],
    );
  });

  test("at most five identifiers: 400 InvalidXmlDocument", () => {
    const five = [1, 2, 3, 4, 5].map((n) => ({ id: `p${n}` }));
    assert.equal(validateSignedIdentifiers(five).length, 5);
    assert.throws(() => validateSignedIdentifiers([...five, { id: "p6" }]), is(400, "InvalidXmlDocument"));
  });

  test("Id: required, at most 64 characters, unique", () => {
    assert.equal(validateSignedIdentifiers([{ id: "x".repeat(64) }]).length, 1);
    assert.throws(() => validateSignedIdentifiers([{ id: "x".repeat(65) }]), is(400, "InvalidXmlNodeValue"));
    assert.throws(() => validateSignedIdentifiers([{ permission: "r" }]), is(400, "InvalidXmlDocument"));
    assert.throws(
      () => validateSignedIdentifiers([{ id: "a" }, { id: "a" }]),
      is(400, "InvalidXmlNodeValue"),
    );
  });

  test("permissions from rcwdl only; ISO-8601 times only", () => {
    assert.equal(validateSignedIdentifiers([{ id: "a", permission: "rcwdl" }])[0]?.permission, "rcwdl");
    assert.throws(
      () => validateSignedIdentifiers([{ id: "a", permission: "rx" }]),
      is(400, "InvalidXmlNodeValue"),
    );
    assert.throws(
      () => validateSignedIdentifiers([{ id: "a", start: "soon" }]),
      is(400, "InvalidXmlNodeValue"),
    );
    assert.throws(
      () => validateSignedIdentifiers([{ id: "a", expiry: "2026-02-30" }]),
      is(400, "InvalidXmlNodeValue"),
    );
  });

  test("the stored JSON round-trips, and unreadable JSON means no policies", () => {
    const list = [{ id: "a", permission: "r", expiry: "2026-01-02T00:00:00.0000000Z" }, { id: "b" }];
    assert.deepEqual(decodeAcl(encodeAcl(list)), list);
    assert.deepEqual(decodeAcl("[]"), []);
    assert.deepEqual(decodeAcl("not json"), []);
    assert.deepEqual(decodeAcl('{"Id":"a"}'), []);
  });
});

describe("Share ACL XML", () => {
  test("parses SignedIdentifiers with full, partial and empty access policies", () => {
    const xml = Buffer.from(
      `<?xml version="1.0" encoding="utf-8"?><SignedIdentifiers>
        <SignedIdentifier><Id>full</Id><AccessPolicy><Start>2026-01-01T00:00:00.0000000Z</Start><Expiry>2026-01-02T00:00:00.0000000Z</Expiry><Permission>rl</Permission></AccessPolicy></SignedIdentifier>
        <SignedIdentifier><Id>perm-only</Id><AccessPolicy><Permission>r</Permission></AccessPolicy></SignedIdentifier>
        <SignedIdentifier><Id>bare</Id><AccessPolicy/></SignedIdentifier>
      </SignedIdentifiers>`,
    );
    assert.deepEqual(parseSignedIdentifiersXml(xml), [
      {
        id: "full",
        start: "2026-01-01T00:00:00.0000000Z",
        expiry: "2026-01-02T00:00:00.0000000Z",
        permission: "rl",
      },
      { id: "perm-only", permission: "r" },
      { id: "bare" },
    ]);
  });

  test("an empty body or an empty list clears; other roots are not an ACL", () => {
    assert.deepEqual(parseSignedIdentifiersXml(Buffer.alloc(0)), []);
    assert.deepEqual(parseSignedIdentifiersXml(Buffer.from("<SignedIdentifiers/>")), []);
    assert.throws(() => parseSignedIdentifiersXml(Buffer.from("<Other/>")), is(400, "InvalidXmlDocument"));
    assert.throws(
      () => parseSignedIdentifiersXml(Buffer.from("<SignedIdentifiers>")),
      is(400, "InvalidXmlDocument"),
    );
  });

  test("writes the same document shape back", () => {
    const xml = signedIdentifiersXml([{ id: "a", expiry: "2026-01-02T00:00:00.0000000Z", permission: "r" }]);
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="utf-8"?><SignedIdentifiers><SignedIdentifier><Id>a</Id><AccessPolicy><Expiry>2026-01-02T00:00:00.0000000Z</Expiry><Permission>r</Permission></AccessPolicy></SignedIdentifier></SignedIdentifiers>',
    );
    assert.deepEqual(parseSignedIdentifiersXml(Buffer.from(xml)), [
      { id: "a", expiry: "2026-01-02T00:00:00.0000000Z", permission: "r" },
    ]);
    assert.equal(
      signedIdentifiersXml([]),
      '<?xml version="1.0" encoding="utf-8"?><SignedIdentifiers></SignedIdentifiers>',
    );
  });
});
