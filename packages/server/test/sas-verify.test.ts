import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import { type Account, DEV_ACCOUNT_KEY } from "../src/auth/accounts.js";
import { parseSasParams } from "../src/auth/sas/sas-params.js";
import { type SasRequest, verifySas } from "../src/auth/sas/verify-sas.js";
import type { EngineDeps } from "../src/engine/deps.js";
import { encodeAcl, type SignedIdentifier } from "../src/engine/share-policies.js";
import type { StorageError } from "../src/errors/storage-error.js";
import type { Operation } from "../src/http/route.js";

// Signatures here are HMACs of strings written out by hand (see the string-to-sign tests), so the
// verifier is checked against the documented algorithm, not against itself.

const ACCOUNT: Account = { name: "devstoreaccount1", key: Buffer.from(DEV_ACCOUNT_KEY, "base64") };
const NOW = Date.parse("2026-03-01T12:00:00Z");
const mac = (s: string) => createHmac("sha256", ACCOUNT.key).update(s).digest("base64");

function query(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`)
    .join("&");
}

/** A stand-in engine: one share "s1" with `policies`, and files named in `files` at its root. */
function fakeEngine(policies: SignedIdentifier[] = [], files: string[] = []): EngineDeps {
  const tx = {
    getShare: async (_a: string, name: string) =>
      name === "s1" ? { id: 1, acl: encodeAcl(policies) } : null,
    getRoot: async () => ({ id: 10, kind: "directory" }),
    getChild: async (_parent: number, key: string) => (files.includes(key) ? { id: 11, kind: "file" } : null),
  };
  return {
    store: { transaction: async (fn: (t: typeof tx) => Promise<unknown>) => fn(tx) },
    clock: { now: () => NOW },
  } as unknown as EngineDeps;
}

function request(
  rawQuery: string,
  operation: Operation,
  share: string,
  path: string[],
  extra: Partial<SasRequest> = {},
): SasRequest {
  return {
    params: parseSasParams(rawQuery),
    operation,
    target: { account: ACCOUNT.name, share, path, rawResourcePath: "", pathStyle: true },
    clientIp: "127.0.0.1",
    secure: false,
    ...extra,
  };
}

async function refused(promise: Promise<unknown>, code: string, detail?: RegExp): Promise<void> {
  await assert.rejects(promise, (e: StorageError) => {
    assert.equal(e.status, 403);
    assert.equal(e.code, code);
    if (detail) assert.match(e.details.map(([, v]) => v).join(" "), detail);
    return true;
  });
}

/** An account SAS (sv 2026-06-06 layout, with the ses line) signed over the hand-built string. */
function accountSas(f: {
  sp: string;
  ss?: string;
  srt?: string;
  st?: string;
  se?: string;
  sip?: string;
  spr?: string;
}) {
  const ss = f.ss ?? "f";
  const srt = f.srt ?? "sco";
  const se = f.se ?? "2026-03-02T00:00:00Z";
  const sts = `devstoreaccount1\n${f.sp}\n${ss}\n${srt}\n${f.st ?? ""}\n${se}\n${f.sip ?? ""}\n${f.spr ?? ""}\n2026-06-06\n\n`;
  return query({ sv: "2026-06-06", ss, srt, sp: f.sp, st: f.st, se, sip: f.sip, spr: f.spr, sig: mac(sts) });
}

/** A service SAS for share s1 (sr=s) or for a file in it (sr=f), signed over the hand-built string. */
function serviceSas(f: {
  sr: "s" | "f";
  path?: string;
  sp?: string;
  st?: string;
  se?: string;
  si?: string;
  sip?: string;
  spr?: string;
  rscc?: string;
  rsct?: string;
}) {
  const resource = `/file/devstoreaccount1/s1${f.sr === "f" ? `/${f.path}` : ""}`;
  const sts = [
    f.sp ?? "",
    f.st ?? "",
    f.se ?? "",
    resource,
    f.si ?? "",
    f.sip ?? "",
    f.spr ?? "",
    "2026-06-06",
    f.rscc ?? "",
    "",
    "",
    "",
    f.rsct ?? "",
  ].join("\n");
  const { path: _path, ...fields } = f;
  return query({ sv: "2026-06-06", ...fields, sig: mac(sts) });
}

describe("account SAS verification", () => {
  const engine = fakeEngine();

  test("a SAS with what the operation needs is accepted", async () => {
    const grant = await verifySas(
      request(accountSas({ sp: "r", srt: "o" }), "File_Download", "s1", ["f"]),
      ACCOUNT,
      engine,
      NOW,
    );
    assert.equal(grant.kind, "AccountSas");
    await verifySas(
      request(accountSas({ sp: "l", srt: "s" }), "Service_ListShares", "", []),
      ACCOUNT,
      engine,
      NOW,
    );
  });

  test("a changed field breaks the signature: 403 AuthenticationFailed with the string to sign", async () => {
    const tampered = accountSas({ sp: "r" }).replace("sp=r", "sp=rwdl");
    await refused(
      verifySas(request(tampered, "File_Download", "s1", ["f"]), ACCOUNT, engine, NOW),
      "AuthenticationFailed",
      /Signature did not match. String to sign used was devstoreaccount1\nrwdl\nf\n/,
    );
  });

  test("not yet valid and expired: 403 AuthenticationFailed naming the time frame", async () => {
    await refused(
      verifySas(
        request(accountSas({ sp: "r", st: "2026-03-01T13:00:00Z" }), "File_Download", "s1", ["f"]),
        ACCOUNT,
        engine,
        NOW,
      ),
      "AuthenticationFailed",
      /Signature not valid in the specified time frame: Start \[Sun, 01 Mar 2026 13:00:00 GMT\]/,
    );
    await refused(
      verifySas(
        request(accountSas({ sp: "r", se: "2026-03-01T11:59:59Z" }), "File_Download", "s1", ["f"]),
        ACCOUNT,
        engine,
        NOW,
      ),
      "AuthenticationFailed",
      /time frame/,
    );
  });

  test("service, resource type and permission mismatches get their own codes", async () => {
    await refused(
      verifySas(
        request(accountSas({ sp: "r", ss: "bq" }), "File_Download", "s1", ["f"]),
        ACCOUNT,
        engine,
        NOW,
      ),
      "AuthorizationServiceMismatch",
    );
    await refused(
      verifySas(
        request(accountSas({ sp: "r", srt: "sc" }), "File_Download", "s1", ["f"]),
        ACCOUNT,
        engine,
        NOW,
      ),
      "AuthorizationResourceTypeMismatch",
      /SignedResourceTypes 'o' is required/,
    );
    await refused(
      verifySas(request(accountSas({ sp: "rl" }), "File_Delete", "s1", ["f"]), ACCOUNT, engine, NOW),
      "AuthorizationPermissionMismatch",
    );
  });

  test("spr=https refuses plain HTTP, accepts TLS; https,http accepts both", async () => {
    const httpsOnly = accountSas({ sp: "r", spr: "https" });
    await refused(
      verifySas(request(httpsOnly, "File_Download", "s1", ["f"]), ACCOUNT, engine, NOW),
      "AuthorizationProtocolMismatch",
    );
    await verifySas(request(httpsOnly, "File_Download", "s1", ["f"], { secure: true }), ACCOUNT, engine, NOW);
    await verifySas(
      request(accountSas({ sp: "r", spr: "https,http" }), "File_Download", "s1", ["f"]),
      ACCOUNT,
      engine,
      NOW,
    );
  });

  test("sip limits the client address", async () => {
    const range = accountSas({ sp: "r", sip: "10.0.0.1-10.0.0.9" });
    await refused(
      verifySas(request(range, "File_Download", "s1", ["f"]), ACCOUNT, engine, NOW),
      "AuthorizationSourceIPMismatch",
    );
    await verifySas(
      request(range, "File_Download", "s1", ["f"], { clientIp: "10.0.0.9" }),
      ACCOUNT,
      engine,
      NOW,
    );
  });

  test("c without w creates new files only", async () => {
    const withFile = fakeEngine([], ["taken"]);
    await verifySas(request(accountSas({ sp: "c" }), "File_Create", "s1", ["new"]), ACCOUNT, withFile, NOW);
    await refused(
      verifySas(request(accountSas({ sp: "c" }), "File_Create", "s1", ["taken"]), ACCOUNT, withFile, NOW),
      "AuthorizationPermissionMismatch",
    );
    await verifySas(
      request(accountSas({ sp: "cw" }), "File_Create", "s1", ["taken"]),
      ACCOUNT,
      withFile,
      NOW,
    );
  });
});

describe("service SAS verification", () => {
  const engine = fakeEngine();

  test("a share SAS reaches files anywhere in its share, a file SAS its one file", async () => {
    const share = serviceSas({ sr: "s", sp: "rl", se: "2026-03-02T00:00:00Z" });
    await verifySas(request(share, "File_Download", "s1", ["a", "b.txt"]), ACCOUNT, engine, NOW);
    await verifySas(request(share, "Directory_List", "s1", []), ACCOUNT, engine, NOW);
    const file = serviceSas({ sr: "f", path: "a/b.txt", sp: "r", se: "2026-03-02T00:00:00Z" });
    const grant = await verifySas(request(file, "File_Download", "s1", ["a", "b.txt"]), ACCOUNT, engine, NOW);
    assert.equal(grant.kind, "ServiceSas");
  });

  test("another share or a sibling file: 403 AuthenticationFailed (the signature names the resource)", async () => {
    const share = serviceSas({ sr: "s", sp: "r", se: "2026-03-02T00:00:00Z" });
    await refused(
      verifySas(request(share, "File_Download", "s2", ["x"]), ACCOUNT, engine, NOW),
      "AuthenticationFailed",
      /Signature did not match/,
    );
    const file = serviceSas({ sr: "f", path: "a/b.txt", sp: "r", se: "2026-03-02T00:00:00Z" });
    await refused(
      verifySas(request(file, "File_Download", "s1", ["a", "c.txt"]), ACCOUNT, engine, NOW),
      "AuthenticationFailed",
      /Signature did not match/,
    );
  });

  test("turning a share SAS into sr=f does not widen it, and sr=f never reaches a share or directory", async () => {
    const share = serviceSas({ sr: "s", sp: "r", se: "2026-03-02T00:00:00Z" }).replace("sr=s", "sr=f");
    await refused(
      verifySas(request(share, "Share_GetPermission", "s1", []), ACCOUNT, engine, NOW),
      "AuthenticationFailed",
      /not allowed for the this resource level/,
    );
    const dirAsFile = serviceSas({ sr: "f", path: "a", sp: "r", se: "2026-03-02T00:00:00Z" });
    await refused(
      verifySas(request(dirAsFile, "Directory_GetProperties", "s1", ["a"]), ACCOUNT, engine, NOW),
      "AuthenticationFailed",
      /resource level/,
    );
  });

  test("share management needs the account key or an account SAS", async () => {
    const share = serviceSas({ sr: "s", sp: "rcwdl", se: "2026-03-02T00:00:00Z" });
    for (const op of ["Share_Delete", "Share_SetMetadata", "Share_Lease", "Share_SetAccessPolicy"] as const) {
      await refused(
        verifySas(request(share, op, "s1", []), ACCOUNT, engine, NOW),
        "AuthorizationPermissionMismatch",
      );
    }
  });

  test("permission letters per operation", async () => {
    const readList = serviceSas({ sr: "s", sp: "rl", se: "2026-03-02T00:00:00Z" });
    for (const op of [
      "File_PutRange",
      "File_Create",
      "File_Delete",
      "Directory_Create",
      "File_Lease",
    ] as const) {
      await refused(
        verifySas(request(readList, op, "s1", ["x"]), ACCOUNT, engine, NOW),
        "AuthorizationPermissionMismatch",
      );
    }
    const write = serviceSas({ sr: "s", sp: "w", se: "2026-03-02T00:00:00Z" });
    await verifySas(request(write, "File_Lease", "s1", ["x"]), ACCOUNT, engine, NOW);
    await refused(
      verifySas(request(write, "Directory_List", "s1", []), ACCOUNT, engine, NOW),
      "AuthorizationPermissionMismatch",
    );
  });

  test("response header overrides come back with the grant", async () => {
    const sas = serviceSas({
      sr: "f",
      path: "f",
      sp: "r",
      se: "2026-03-02T00:00:00Z",
      rscc: "no-store",
      rsct: "text/csv",
    });
    const grant = await verifySas(request(sas, "File_Download", "s1", ["f"]), ACCOUNT, engine, NOW);
    assert.deepEqual(grant.overrides, { cacheControl: "no-store", contentType: "text/csv" });
  });
});

describe("stored access policies (si=)", () => {
  const policies: SignedIdentifier[] = [
    { id: "readers", permission: "rl", expiry: "2026-03-02T00:00:00.0000000Z" },
    { id: "expired", permission: "r", expiry: "2026-03-01T00:00:00.0000000Z" },
    { id: "open", start: "2026-01-01T00:00:00.0000000Z" },
  ];
  const engine = fakeEngine(policies);

  test("permissions and expiry come from the policy", async () => {
    const sas = serviceSas({ sr: "s", si: "readers" });
    await verifySas(request(sas, "File_Download", "s1", ["f"]), ACCOUNT, engine, NOW);
    await refused(
      verifySas(request(sas, "File_Delete", "s1", ["f"]), ACCOUNT, engine, NOW),
      "AuthorizationPermissionMismatch",
    );
  });

  test("an expired policy, an unknown identifier, or a field in both: 403 AuthenticationFailed", async () => {
    await refused(
      verifySas(
        request(serviceSas({ sr: "s", si: "expired" }), "File_Download", "s1", ["f"]),
        ACCOUNT,
        engine,
        NOW,
      ),
      "AuthenticationFailed",
      /time frame/,
    );
    await refused(
      verifySas(
        request(serviceSas({ sr: "s", si: "nobody" }), "File_Download", "s1", ["f"]),
        ACCOUNT,
        engine,
        NOW,
      ),
      "AuthenticationFailed",
      /nobody/,
    );
    await refused(
      verifySas(
        request(serviceSas({ sr: "s", si: "readers", sp: "r" }), "File_Download", "s1", ["f"]),
        ACCOUNT,
        engine,
        NOW,
      ),
      "AuthenticationFailed",
      /not both/,
    );
  });

  test("the SAS supplies what the policy leaves out", async () => {
    const sas = serviceSas({ sr: "s", si: "open", sp: "r", se: "2026-03-02T00:00:00Z" });
    await verifySas(request(sas, "File_Download", "s1", ["f"]), ACCOUNT, engine, NOW);
    const noExpiry = serviceSas({ sr: "s", si: "open", sp: "r" });
    await refused(
      verifySas(request(noExpiry, "File_Download", "s1", ["f"]), ACCOUNT, engine, NOW),
      "AuthenticationFailed",
      /se is mandatory/,
    );
  });
});

describe("requests that are no SAS this server takes", () => {
  test("no sr and no ss/srt, or user delegation: 403 AuthenticationFailed", async () => {
    await refused(
      verifySas(
        request("sv=2026-06-06&sp=r&sig=abc", "File_Download", "s1", ["f"]),
        ACCOUNT,
        fakeEngine(),
        NOW,
      ),
      "AuthenticationFailed",
    );
    await refused(
      verifySas(
        request("sv=2026-06-06&sr=f&skoid=1&sig=abc", "File_Download", "s1", ["f"]),
        ACCOUNT,
        fakeEngine(),
        NOW,
      ),
      "AuthenticationFailed",
    );
  });
});
