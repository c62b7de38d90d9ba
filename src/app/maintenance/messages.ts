import type { MaintenanceMode } from '../../domain/maintenance/state-machine.js';
import type { NotifiedMove } from '../messages/en.js';
import { bilingual, type Mail } from '../messages/index.js';

/*
 * What people are told about a maintenance order, in English then Chinese in one message: the outbox
 * does not know which language a customer reads, and both fit on one screen. The words are in the
 * message catalogues (app/messages).
 */

export type OutboxText = Mail;

/** The moves a customer hears about: the rest are the center's business. */
export type { NotifiedMove } from '../messages/en.js';

type CenterFacts = { nameEn: string; nameZh: string; address: string; phone: string };

export function orderIssuedMessage(input: {
  customerName: string;
  maintenanceNumber: string;
  mode: MaintenanceMode;
  center: CenterFacts;
  /** The tracking link as the row shows it, without its secret (sealed beside the body). */
  trackingUrl: string;
}): OutboxText {
  const { center } = input;
  return bilingual((m, lang) =>
    m.maintenance.issued({
      customerName: input.customerName,
      number: input.maintenanceNumber,
      mode: input.mode,
      center: lang === 'zh' ? center.nameZh : center.nameEn,
      address: center.address,
      phone: center.phone,
      trackingUrl: input.trackingUrl,
    }),
  );
}

export function orderMovedMessage(input: {
  customerName: string;
  maintenanceNumber: string;
  to: NotifiedMove;
  on: string;
  dueOn: string | null;
  returnTracking: string | null;
  note: string | null;
  centerPhone: string;
}): OutboxText {
  const { maintenanceNumber: number, ...facts } = input;
  return bilingual((m) => m.maintenance.moved({ number, ...facts }));
}

export function commitmentReminderMessage(input: {
  customerName: string;
  maintenanceNumber: string;
  dueOn: string;
  missed: boolean;
  centerPhone: string;
}): OutboxText {
  const { maintenanceNumber: number, ...facts } = input;
  return bilingual((m) => m.maintenance.reminder({ number, ...facts }));
}

export function commitmentMissedEscalation(input: {
  maintenanceNumber: string;
  orderId: string;
  dueOn: string;
  state: string;
  centerName: string;
  centerPhone: string;
  customerName: string;
  customerContact: string | null;
}): OutboxText {
  const { maintenanceNumber: number, ...facts } = input;
  return bilingual((m) => m.maintenance.missedEscalation({ number, ...facts }));
}
