import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../src/domain/policy/schema.js';
import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };
import deskEn from './desk.en.json' with { type: 'json' };
import deskZhCN from './desk.zh-CN.json' with { type: 'json' };
import serviceEn from './service.en.json' with { type: 'json' };
import serviceZhCN from './service.zh-CN.json' with { type: 'json' };
import oemEn from './oem.en.json' with { type: 'json' };
import oemZhCN from './oem.zh-CN.json' with { type: 'json' };
import trustEn from './trust.en.json' with { type: 'json' };
import trustZhCN from './trust.zh-CN.json' with { type: 'json' };
import workEn from './work.en.json' with { type: 'json' };
import workZhCN from './work.zh-CN.json' with { type: 'json' };
import documentsEn from './documents.en.json' with { type: 'json' };
import documentsZhCN from './documents.zh-CN.json' with { type: 'json' };
import reserveEn from './reserve.en.json' with { type: 'json' };
import reserveZhCN from './reserve.zh-CN.json' with { type: 'json' };
import insightEn from './insight.en.json' with { type: 'json' };
import insightZhCN from './insight.zh-CN.json' with { type: 'json' };
import insightCostEn from './insight-cost.en.json' with { type: 'json' };
import insightCostZhCN from './insight-cost.zh-CN.json' with { type: 'json' };

/** The languages of the interface, as BCP 47 tags (what `<html lang>` carries). */
export const uiLanguages = ['en', 'zh-CN'] as const;
export type UiLanguage = (typeof uiLanguages)[number];

/** How each language names itself in the switch, so a reader finds their own. */
export const languageNames: Record<UiLanguage, string> = { en: 'English', 'zh-CN': '中文' };

const STORAGE_KEY = 'aftersales.language';

function isUiLanguage(value: unknown): value is UiLanguage {
  return typeof value === 'string' && (uiLanguages as readonly string[]).includes(value);
}

function storedLanguage(): UiLanguage | undefined {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isUiLanguage(value) ? value : undefined;
  } catch {
    return undefined; // storage may be disabled; the browser's language still applies
  }
}

/** The reader's choice if they made one, else the first of the browser's languages we speak. */
export function initialLanguage(): UiLanguage {
  const stored = storedLanguage();
  if (stored) return stored;
  for (const tag of navigator.languages.length > 0 ? navigator.languages : [navigator.language]) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** The language the policy data and the API speak for a UI language. */
export function policyLanguage(ui: string): Language {
  return ui.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function currentUiLanguage(): UiLanguage {
  return isUiLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';
}

export async function changeLanguage(language: UiLanguage): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered, but switched all the same
  }
  await i18n.changeLanguage(language);
}

function reflectInDocument(language: string): void {
  document.documentElement.lang = language;
  document.title = i18n.t('app.name');
}

export async function initI18n(): Promise<typeof i18n> {
  i18n.on('languageChanged', reflectInDocument);
  await i18n.use(initReactI18next).init({
    // Each area keeps its strings in its own file, under its own prefix (`service.…`, `desk.…`, `oem.…`).
    resources: {
      en: {
        translation: {
          ...en,
          service: serviceEn,
          desk: deskEn,
          oem: oemEn,
          trust: trustEn,
          work: workEn,
          documents: documentsEn,
          reserve: reserveEn,
          insight: insightEn,
          insightCost: insightCostEn,
        },
      },
      'zh-CN': {
        translation: {
          ...zhCN,
          service: serviceZhCN,
          desk: deskZhCN,
          oem: oemZhCN,
          trust: trustZhCN,
          work: workZhCN,
          documents: documentsZhCN,
          reserve: reserveZhCN,
          insight: insightZhCN,
          insightCost: insightCostZhCN,
        },
      },
    },
    lng: initialLanguage(),
    fallbackLng: 'en',
    supportedLngs: [...uiLanguages],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  return i18n;
}
