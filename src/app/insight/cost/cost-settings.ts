import type { Database, Transaction } from '../../../db/client.js';
import type { Actor } from '../../../domain/access/access.js';
import { MAX_LABOUR_RATE_MINOR } from '../../../domain/warranty-cost/work.js';
import { assertAllowed } from '../../access.js';
import { recordAudit } from '../../audit.js';
import { lockSetting, storedSetting, storeSetting } from '../../settings/instance-settings.js';

/**
 * The instance setting the cost of warranty counts in: the maker's currency (the report's, the parts
 * list's) and the labour rate per hour of a repair, in minor units of that currency. A recording keeps
 * the rate it was made at, so a new rate prices only the hours recorded after it.
 */
export const WARRANTY_COST_SETTING = 'warranty_cost';

export type WarrantyCostSettings = { currency: string; labourRatePerHourMinor: number };

/** CN¥120.00 an hour, until an admin sets the rate. */
export const DEFAULT_WARRANTY_COST_SETTINGS: WarrantyCostSettings = {
  currency: 'CNY',
  labourRatePerHourMinor: 12_000,
};

function parse(value: string | undefined): WarrantyCostSettings {
  if (value === undefined) return { ...DEFAULT_WARRANTY_COST_SETTINGS };
  try {
    const parsed = JSON.parse(value) as Partial<WarrantyCostSettings>;
    const { currency, labourRatePerHourMinor: rate } = parsed;
    if (
      typeof currency === 'string' &&
      /^[A-Z]{3}$/.test(currency) &&
      Number.isSafeInteger(rate) &&
      (rate as number) >= 0 &&
      (rate as number) <= MAX_LABOUR_RATE_MINOR
    ) {
      return { currency, labourRatePerHourMinor: rate as number };
    }
  } catch {
    // falls through to the default
  }
  // A hand-edited row that does not parse: the default applies, never a made-up rate.
  return { ...DEFAULT_WARRANTY_COST_SETTINGS };
}

export async function warrantyCostSettings(db: Database | Transaction): Promise<WarrantyCostSettings> {
  return parse(await storedSetting(db, WARRANTY_COST_SETTING));
}

const settingsNotFound = { code: 'SETTING_NOT_FOUND', message: 'no such setting' };

export async function readWarrantyCostSettings(db: Database, actor: Actor): Promise<WarrantyCostSettings> {
  assertAllowed(actor, 'settings.manage', {}, settingsNotFound);
  return warrantyCostSettings(db);
}

/** An admin sets the maker's currency and the labour rate; audited with what it replaced. */
export async function setWarrantyCostSettings(
  db: Database,
  actor: Actor,
  settings: WarrantyCostSettings,
): Promise<WarrantyCostSettings> {
  assertAllowed(actor, 'settings.manage', {}, settingsNotFound);
  return db.transaction(async (tx) => {
    await lockSetting(tx, WARRANTY_COST_SETTING);
    const before = await warrantyCostSettings(tx);
    const value = JSON.stringify(settings);
    await storeSetting(tx, WARRANTY_COST_SETTING, value);
    await recordAudit(tx, actor, {
      action: 'settings.warranty_cost_changed',
      entityType: 'instance_setting',
      entityId: WARRANTY_COST_SETTING,
      data: { before, after: settings },
    });
    return parse(value);
  });
}
