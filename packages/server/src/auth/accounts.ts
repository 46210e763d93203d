/** The well-known development account (the same name and key as Azure's storage emulators). */
export const DEV_ACCOUNT_NAME = "devstoreaccount1";
export const DEV_ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** An account the server serves, with its decoded shared key. */
export interface Account {
  name: string;
  key: Buffer;
}

/** Accounts by name. */
export class AccountRegistry {
  private readonly byName = new Map<string, Account>();
  /** The first account: path-style requests without an account segment belong to it. */
  readonly defaultName: string;

  constructor(accounts: ReadonlyArray<{ name: string; key: string }>) {
    if (accounts.length === 0) throw new Error("at least one account is needed");
    for (const a of accounts) this.byName.set(a.name, { name: a.name, key: Buffer.from(a.key, "base64") });
    this.defaultName = (accounts[0] as { name: string }).name;
  }

  get(name: string): Account | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }
}

/** Parses `name:key[,name:key…]` (the `--accounts` flag / `SHARELOCK_ACCOUNTS`). */
export function parseAccountList(spec: string): Array<{ name: string; key: string }> {
  return spec
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf(":");
      if (i <= 0) throw new Error(`account "${pair}" is not of the form name:base64key`);
      const name = pair.slice(0, i);
      const key = pair.slice(i + 1);
      if (!/^[a-z0-9]{3,24}$/.test(name))
        throw new Error(`account name "${name}" must be 3-24 lower-case letters or digits`);
      if (Buffer.from(key, "base64").length === 0) throw new Error(`account key of "${name}" is not base64`);
      return { name, key };
    });
}
