import type { EngineDeps } from "./deps.js";

/** File service properties as the engine keeps them (the XML's content, normalised). */
export interface ServiceProperties {
  hourMetrics: MetricsSettings;
  minuteMetrics: MetricsSettings;
  cors: CorsRule[];
  protocol: { smbMultichannelEnabled: boolean };
}

export interface MetricsSettings {
  version: string;
  enabled: boolean;
  includeAPIs?: boolean;
  retentionDays?: number;
}

export interface CorsRule {
  allowedOrigins: string;
  allowedMethods: string;
  allowedHeaders: string;
  exposedHeaders: string;
  maxAgeInSeconds: number;
}

export const DEFAULT_SERVICE_PROPERTIES: ServiceProperties = {
  hourMetrics: { version: "1.0", enabled: false },
  minuteMetrics: { version: "1.0", enabled: false },
  cors: [],
  protocol: { smbMultichannelEnabled: false },
};

/** Get File Service Properties. */
export async function getServiceProperties(deps: EngineDeps, account: string): Promise<ServiceProperties> {
  const stored = await deps.store.transaction((tx) => tx.getServiceProperties(account));
  return stored ? (JSON.parse(stored.json) as ServiceProperties) : DEFAULT_SERVICE_PROPERTIES;
}

/** Set File Service Properties: merges the parts the request carries over the current ones. */
export async function setServiceProperties(
  deps: EngineDeps,
  account: string,
  update: Partial<ServiceProperties>,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const stored = await tx.getServiceProperties(account);
    const current = stored ? (JSON.parse(stored.json) as ServiceProperties) : DEFAULT_SERVICE_PROPERTIES;
    const next: ServiceProperties = { ...current, ...update };
    await tx.setServiceProperties(account, { json: JSON.stringify(next) });
  });
}
