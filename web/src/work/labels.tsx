import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoment } from '../format.js';
import type { AuditEvent } from './work-api.js';

/** An action as people read it; the raw action when no label was written for it. */
export function useActionLabel(): (action: string) => string {
  const { t } = useTranslation();
  return (action) => t(`work.action.${action.replace(/\./g, '_')}`, { defaultValue: action });
}

export function useEntityLabel(): (type: string) => string {
  const { t } = useTranslation();
  return (type) => t(`work.entity.${type}`, { defaultValue: type });
}

/** Who did it: a user by name, the system, or a guest following a link. */
export function ActorName({ actor }: { actor: AuditEvent['actor'] }) {
  const { t } = useTranslation();
  const name =
    actor.kind === 'user'
      ? (actor.name ?? t('work.context.someone'))
      : actor.kind === 'system'
        ? t('work.context.system')
        : actor.kind === 'guest'
          ? t('work.context.guest')
          : (actor.name ?? '—');
  return (
    <Text span size="sm">
      {name}
    </Text>
  );
}

/**
 * A moment, as a date and time on the store's clock (format.ts), not the reader's browser's: the audit
 * history says 3 December 00:30 for what the store did on the 3rd, wherever it is read.
 */
export function Moment({ at }: { at: string }) {
  const { i18n } = useTranslation();
  return <span className="nowrap">{formatMoment(at, i18n.language)}</span>;
}
