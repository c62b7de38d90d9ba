import type { Database, Transaction } from '../../db/client.js';
import type { Actor } from '../../domain/access/access.js';
import { DEFAULT_FOUR_EYES_THRESHOLDS } from '../../domain/approvals/four-eyes.js';
import { MAX_AMOUNT_MINOR } from '../../domain/money.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { lockSetting, storedSetting, storeSetting } from '../settings/instance-settings.js';

/** The instance setting holding the four-eyes thresholds: `{ "CNY": 200000, … }` in minor units. */
export const FOUR_EYES_SETTING = 'four_eyes_thresholds';

export type FourEyesThresholds = Record<string, number>;

function parse(value: string | undefined): FourEyesThresholds {
  if (value === undefined) return { ...DEFAULT_FOUR_EYES_THRESHOLDS };
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('shape');
    const out: FourEyesThresholds = {};
    for (const [currency, amount] of Object.entries(parsed)) {
      if (/^[A-Z]{3}$/.test(currency) && Number.isSafeInteger(amount) && (amount as number) >= 0) {
        out[currency] = Math.min(amount as number, MAX_AMOUNT_MINOR);
      }
    }
    return out;
  } catch {
    // A hand-edited row that does not parse must not open the gate: the default applies.
    return { ...DEFAULT_FOUR_EYES_THRESHOLDS };
  }
}

/** The thresholds in force: above them, a refund, a reimbursement or a credit needs a second person. */
export async function fourEyesThresholds(db: Database | Transaction): Promise<FourEyesThresholds> {
  return parse(await storedSetting(db, FOUR_EYES_SETTING));
}

const settingsNotFound = { code: 'SETTING_NOT_FOUND', message: 'no such setting' };

export async function readFourEyesThresholds(db: Database, actor: Actor): Promise<FourEyesThresholds> {
  assertAllowed(actor, 'settings.manage', {}, settingsNotFound);
  return fourEyesThresholds(db);
}

/** An admin sets the thresholds (one per currency; a currency left out always needs a second person). */
export async function setFourEyesThresholds(
  db: Database,
  actor: Actor,
  thresholds: FourEyesThresholds,
): Promise<FourEyesThresholds> {
  assertAllowed(actor, 'settings.manage', {}, settingsNotFound);
  return db.transaction(async (tx) => {
    await lockSetting(tx, FOUR_EYES_SETTING);
    const before = await fourEyesThresholds(tx);
    const value = JSON.stringify(thresholds);
    await storeSetting(tx, FOUR_EYES_SETTING, value);
    await recordAudit(tx, actor, {
      action: 'settings.four_eyes_changed',
      entityType: 'instance_setting',
      entityId: FOUR_EYES_SETTING,
      data: { before, after: thresholds },
    });
    return parse(value);
  });
}
