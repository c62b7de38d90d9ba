import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Language } from '../domain/policy/schema.js';

export const langQuerySchema = z
  .enum(['en', 'zh', 'zh-CN'])
  .optional()
  .describe('Language of clause texts; defaults from Accept-Language, then English.');

/** The reader's language: an explicit `lang` wins, then Accept-Language, then English. */
export function readerLanguage(request: FastifyRequest, lang: z.infer<typeof langQuerySchema>): Language {
  if (lang) return lang === 'en' ? 'en' : 'zh';
  const accept = request.headers['accept-language'];
  if (typeof accept !== 'string') return 'en';
  const first = accept.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('zh') ? 'zh' : 'en';
}
