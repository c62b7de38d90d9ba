import type { Database, Transaction } from '../../db/client.js';
import type { Actor } from '../../domain/access/access.js';
import { defaultRiskSettings, type RiskSettings, riskSettingsSchema } from '../../domain/risk/signals.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { lockSetting, storedSetting, storeSetting } from '../settings/instance-settings.js';

/** The row of `instance_settings` that holds the fraud signals' thresholds, as JSON. */
const KEY = 'risk.settings';

/**
 * The thresholds in force: the admin's, or the documented defaults until an admin sets them. A stored
 * value that no longer parses (a hand edit) falls back to the defaults rather than switching the rules
 * off; the settings screen shows what is in force.
 */
export async function readRiskSettings(db: Database | Transaction): Promise<RiskSettings> {
  const value = await storedSetting(db, KEY);
  if (value === undefined) return defaultRiskSettings;
  try {
    const parsed = riskSettingsSchema.safeParse({
      ...defaultRiskSettings,
      ...(JSON.parse(value) as object),
    });
    return parsed.success ? parsed.data : defaultRiskSettings;
  } catch {
    return defaultRiskSettings;
  }
}

/** An admin sets the thresholds; the change and what it replaced are audited. */
export async function updateRiskSettings(
  deps: { db: Database },
  actor: Actor,
  input: RiskSettings,
): Promise<RiskSettings> {
  assertAllowed(
    actor,
    'riskSettings.manage',
    {},
    { code: 'SETTINGS_NOT_FOUND', message: 'no such settings' },
  );
  const next = riskSettingsSchema.parse(input);
  return deps.db.transaction(async (tx) => {
    await lockSetting(tx, KEY);
    const before = await readRiskSettings(tx);
    await storeSetting(tx, KEY, JSON.stringify(next));
    await recordAudit(tx, actor, {
      action: 'risk.settings.updated',
      entityType: 'settings',
      entityId: KEY,
      data: { from: before, to: next },
    });
    return next;
  });
}
