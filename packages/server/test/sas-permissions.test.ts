import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { grants, SAS_ACCESS } from "../src/auth/sas/sas-permissions.js";
import type { Operation } from "../src/http/route.js";

/** The permission map as docs/sas.md states it: operation → letters, srt, service SAS reach. */
const EXPECTED: Array<[Operation, string, string, string]> = [
  ["Service_ListShares", "l", "s", "never"],
  ["Service_GetProperties", "r", "s", "never"],
  ["Service_SetProperties", "w", "s", "never"],
  ["Share_Create", "cw", "c", "never"],
  ["Share_Delete", "d", "c", "never"],
  ["Share_GetProperties", "r", "c", "never"],
  ["Share_SetMetadata", "w", "c", "never"],
  ["Share_SetProperties", "w", "c", "never"],
  ["Share_Lease", "w", "c", "never"],
  ["Share_CreateSnapshot", "w", "c", "never"],
  ["Share_GetAccessPolicy", "r", "c", "never"],
  ["Share_SetAccessPolicy", "w", "c", "never"],
  ["Share_CreatePermission", "cw", "c", "share"],
  ["Share_GetPermission", "r", "c", "share"],
  ["Directory_Create", "cw", "o", "share"],
  ["Directory_Delete", "d", "o", "share"],
  ["Directory_GetProperties", "r", "o", "share"],
  ["Directory_SetMetadata", "w", "o", "share"],
  ["Directory_List", "l", "c", "share"],
  ["File_Create", "cw", "o", "shareOrFile"],
  ["File_Download", "r", "o", "shareOrFile"],
  ["File_GetProperties", "r", "o", "shareOrFile"],
  ["File_ListRanges", "r", "o", "shareOrFile"],
  ["File_PutRange", "w", "o", "shareOrFile"],
  ["File_SetHttpHeaders", "w", "o", "shareOrFile"],
  ["File_SetMetadata", "w", "o", "shareOrFile"],
  ["File_Lease", "w", "o", "shareOrFile"],
  ["File_Delete", "d", "o", "shareOrFile"],
  ["File_StartCopy", "cw", "o", "shareOrFile"],
];

describe("SAS permission map", () => {
  for (const [op, letters, srt, reach] of EXPECTED) {
    test(`${op}: ${letters} / srt=${srt} / service SAS ${reach}`, () => {
      const access = SAS_ACCESS[op];
      assert.equal([...access.anyOf].sort().join(""), [...letters].sort().join(""));
      assert.equal(access.resourceType, srt);
      assert.equal(access.serviceSas, reach);
    });
  }

  test("only creating a file is limited to new files when the SAS has c without w", () => {
    const createOnly = Object.entries(SAS_ACCESS)
      .filter(([, a]) => a.createOnly)
      .map(([op]) => op)
      .sort();
    assert.deepEqual(createOnly, ["File_Create", "File_StartCopy"]);
  });

  test("a file SAS (sr=f) reaches file operations only", () => {
    for (const [op, access] of Object.entries(SAS_ACCESS)) {
      if (access.serviceSas === "shareOrFile") assert.ok(op.startsWith("File_"), op);
    }
  });

  test("grants: any one needed letter in the signed permissions", () => {
    assert.equal(grants("rl", ["r"]), true);
    assert.equal(grants("c", ["c", "w"]), true);
    assert.equal(grants("w", ["c", "w"]), true);
    assert.equal(grants("rl", ["c", "w"]), false);
    assert.equal(grants("", ["r"]), false);
  });
});
