import type { Database, Transaction } from '../../db/client.js';
import type { Actor } from '../../domain/access/access.js';
import { DEFAULT_TAX_SETTING } from '../../domain/documents/tax.js';
import { type DocumentSettings, documentSettingsSchema } from '../../domain/documents/settings.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { lockSetting, storedSetting, storeSetting } from '../settings/instance-settings.js';

/** The row of `instance_settings` that holds the documents' settings, as JSON. */
export const DOCUMENT_SETTINGS_KEY = 'documents.settings';

/** Until an admin sets them: the maker's name only, and tax as Chinese repair prices carry it. */
export const DEFAULT_DOCUMENT_SETTINGS: DocumentSettings = {
  maker: {
    name: { en: 'Halotek', zh: 'Halotek' },
    address: { en: '', zh: '' },
    phone: '',
    email: '',
    taxId: '',
  },
  tax: { ...DEFAULT_TAX_SETTING },
};

/**
 * The settings in force: the admin's, or the defaults until an admin sets them. A stored value that no
 * longer parses (a hand edit) falls back to the defaults; the settings screen shows what is in force.
 */
export async function documentSettings(db: Database | Transaction): Promise<DocumentSettings> {
  const value = await storedSetting(db, DOCUMENT_SETTINGS_KEY);
  if (value === undefined) return DEFAULT_DOCUMENT_SETTINGS;
  try {
    const parsed = documentSettingsSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : DEFAULT_DOCUMENT_SETTINGS;
  } catch {
    return DEFAULT_DOCUMENT_SETTINGS;
  }
}

const settingsNotFound = { code: 'SETTING_NOT_FOUND', message: 'no such setting' };

export async function readDocumentSettings(db: Database, actor: Actor): Promise<DocumentSettings> {
  assertAllowed(actor, 'settings.manage', {}, settingsNotFound);
  return documentSettings(db);
}

/** An admin sets the maker's details and the tax; the change and what it replaced are audited. */
export async function setDocumentSettings(
  db: Database,
  actor: Actor,
  input: DocumentSettings,
): Promise<DocumentSettings> {
  assertAllowed(actor, 'settings.manage', {}, settingsNotFound);
  const next = documentSettingsSchema.parse(input);
  return db.transaction(async (tx) => {
    await lockSetting(tx, DOCUMENT_SETTINGS_KEY);
    const before = await documentSettings(tx);
    await storeSetting(tx, DOCUMENT_SETTINGS_KEY, JSON.stringify(next));
    await recordAudit(tx, actor, {
      action: 'settings.documents_changed',
      entityType: 'instance_setting',
      entityId: DOCUMENT_SETTINGS_KEY,
      data: { before, after: next },
    });
    return next;
  });
}
