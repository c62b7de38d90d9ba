import type { Action } from '../../domain/access/access.js';
import type { MaintenanceState } from '../../domain/maintenance/state-machine.js';
import type { PresentedClaim } from '../claims/claim-view.js';
import type { DealerRemedyView } from '../dealer-remedies/perform-dealer-remedy.js';
import type { MaintenanceOrderView } from '../maintenance/maintenance-order-records.js';
import type { InvestigationView } from '../oem/investigation-records.js';
import type {
  ExcessResolutionView,
  OemOrderView,
  RemakeOrderView,
  ReplacementShipmentView,
} from '../oem/oem-records.js';
import type { DefectReportView } from '../oem/read-oem-orders.js';
import type { QuoteView } from '../paid-service/quotes.js';
import type { PurchaseView } from '../purchases/purchase-view.js';
import type { ReimbursementView } from '../reimbursements/read-reimbursements.js';

/*
 * The catalogue of events (issue 17): every state change another system could act on. Each type names
 * the object it is about, the read permission that decides who sees it (the same as for the object
 * itself: domain/access), and — in EventData — the object as the API returns it. The zod schema of
 * each payload is the API's own response schema, mapped in http/events/schemas.ts and checked there
 * against EventData at compile time, so there is one schema per object, not a copy.
 */

export const subjectTypes = [
  'purchase',
  'claim',
  'dealer_remedy',
  'reimbursement',
  'maintenance_order',
  'quote',
  'oem_order',
  'oem_defect_report',
  'excess_resolution',
  'batch_investigation',
  'remake_order',
  'replacement_shipment',
] as const;
export type SubjectType = (typeof subjectTypes)[number];

type CatalogueEntry = { subject: SubjectType; read: Action; summary: string };

export const eventCatalogue = {
  'purchase.recorded': {
    subject: 'purchase',
    read: 'purchases.read',
    summary: 'A sale was recorded by its dealer or support, imported, or registered by its customer',
  },
  'purchase.verified': {
    subject: 'purchase',
    read: 'purchases.read',
    summary: 'A customer’s registration was checked against its proof and confirmed (or corrected)',
  },
  'claim.submitted': {
    subject: 'claim',
    read: 'claims.read',
    summary: 'A customer reported a problem; the claim carries the decision',
  },
  'claim.remedy_chosen': {
    subject: 'claim',
    read: 'claims.read',
    summary: 'The customer chose one of the remedies the decision offers',
  },
  'claim.resolved': {
    subject: 'claim',
    read: 'claims.read',
    summary: 'The chosen remedy was carried out: refunded, replaced or repaired',
  },
  'dealer_remedy.performed': {
    subject: 'dealer_remedy',
    read: 'reimbursements.read',
    summary: 'A dealer refunded or replaced at the counter; the maker owes it a reimbursement',
  },
  'reimbursement.decided': {
    subject: 'reimbursement',
    read: 'reimbursements.read',
    summary: 'The maker approved or rejected what a dealer claimed back',
  },
  'maintenance_order.issued': {
    subject: 'maintenance_order',
    read: 'maintenanceOrders.read',
    summary: 'A maintenance order was issued to a service center (or for mail-in repair)',
  },
  'maintenance_order.moved': {
    subject: 'maintenance_order',
    read: 'maintenanceOrders.read',
    summary: 'A maintenance order moved from one state to another (`change`: from, to)',
  },
  'maintenance_order.contact_recorded': {
    subject: 'maintenance_order',
    read: 'maintenanceOrders.read',
    summary: 'The service center recorded its first contact with the customer',
  },
  'maintenance_order.returned': {
    subject: 'maintenance_order',
    read: 'maintenanceOrders.read',
    summary: 'The product went back to its customer: the order is done',
  },
  'maintenance_order.commitment_due_soon': {
    subject: 'maintenance_order',
    read: 'maintenanceOrders.read',
    summary: 'An order’s service commitment falls due soon, with no contact recorded (`change`: dueOn)',
  },
  'maintenance_order.commitment_missed': {
    subject: 'maintenance_order',
    read: 'maintenanceOrders.read',
    summary: 'An order’s service commitment passed unmet; support is told (`change`: dueOn)',
  },
  'quote.sent': {
    subject: 'quote',
    read: 'quotes.read',
    summary: 'A paid-service quote was sent to its customer',
  },
  'quote.answered': {
    subject: 'quote',
    read: 'quotes.read',
    summary: 'The customer accepted or declined a quote (online, by link or by phone)',
  },
  'quote.invoiced': {
    subject: 'quote',
    read: 'quotes.read',
    summary: 'A repaired quote was invoiced',
  },
  'oem_order.booked': {
    subject: 'oem_order',
    read: 'oemOrders.read',
    summary: 'Sales confirmed an OEM order at the contract price and its spare rate',
  },
  'oem_defects.reported': {
    subject: 'oem_defect_report',
    read: 'oemOrders.read',
    summary: 'An OEM client reported defective units on an order',
  },
  'oem_excess.resolved': {
    subject: 'excess_resolution',
    read: 'oemOrders.read',
    summary: 'Defects beyond the spares were resolved: a replacement shipment or a next-order credit',
  },
  'oem_credit.applied': {
    subject: 'excess_resolution',
    read: 'oemOrders.read',
    summary: 'A next-order credit was applied to a new order',
  },
  'batch_investigation.confirmed': {
    subject: 'batch_investigation',
    read: 'batchInvestigations.read',
    summary: 'QA confirmed a batch defect: a remake is made and shipped by air at the maker’s cost',
  },
  'batch_investigation.dismissed': {
    subject: 'batch_investigation',
    read: 'batchInvestigations.read',
    summary: 'QA dismissed a suspected batch defect',
  },
  'remake_order.shipped': {
    subject: 'remake_order',
    read: 'remakeOrders.read',
    summary: 'A remake left by air, with its waybill',
  },
  'remake_order.delivered': {
    subject: 'remake_order',
    read: 'remakeOrders.read',
    summary: 'A remake reached its client',
  },
  'replacement_shipment.shipped': {
    subject: 'replacement_shipment',
    read: 'replacementShipments.read',
    summary: 'A replacement shipment for excess defects left, with its waybill',
  },
  'replacement_shipment.delivered': {
    subject: 'replacement_shipment',
    read: 'replacementShipments.read',
    summary: 'A replacement shipment reached its client',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type EventType = keyof typeof eventCatalogue;
export const eventTypes = Object.keys(eventCatalogue) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(eventCatalogue, value);
}

/** Each event's `data`: the object as the API answers for it (English texts where it quotes any). */
export type EventData = {
  'purchase.recorded': PurchaseView;
  'purchase.verified': PurchaseView;
  'claim.submitted': PresentedClaim;
  'claim.remedy_chosen': PresentedClaim;
  'claim.resolved': PresentedClaim;
  'dealer_remedy.performed': DealerRemedyView;
  'reimbursement.decided': ReimbursementView;
  'maintenance_order.issued': MaintenanceOrderView;
  'maintenance_order.moved': MaintenanceOrderView;
  'maintenance_order.contact_recorded': MaintenanceOrderView;
  'maintenance_order.returned': MaintenanceOrderView;
  'maintenance_order.commitment_due_soon': MaintenanceOrderView;
  'maintenance_order.commitment_missed': MaintenanceOrderView;
  'quote.sent': QuoteView;
  'quote.answered': QuoteView;
  'quote.invoiced': QuoteView;
  'oem_order.booked': OemOrderView;
  'oem_defects.reported': DefectReportView;
  'oem_excess.resolved': ExcessResolutionView;
  'oem_credit.applied': ExcessResolutionView;
  'batch_investigation.confirmed': InvestigationView;
  'batch_investigation.dismissed': InvestigationView;
  'remake_order.shipped': RemakeOrderView;
  'remake_order.delivered': RemakeOrderView;
  'replacement_shipment.shipped': ReplacementShipmentView;
  'replacement_shipment.delivered': ReplacementShipmentView;
};

/** What changed, for the types that say more than the object's new state. */
export type EventChange = {
  'maintenance_order.moved': { from: MaintenanceState; to: MaintenanceState };
  /** The day the center committed to (its service days from the order's issue). */
  'maintenance_order.commitment_due_soon': { dueOn: string };
  'maintenance_order.commitment_missed': { dueOn: string };
};
export type ChangeOf<T extends EventType> = T extends keyof EventChange ? EventChange[T] : null;

/**
 * Who an event belongs to besides staff, as its object does: a sale's (or claim's) dealer and
 * customer, an order's service center and customer, an OEM client. Readers are narrowed by the type's
 * read permission first: a customer never sees a reimbursement, even one naming its claim.
 */
export type EventScope = {
  dealerId?: string | null;
  serviceCenterId?: string | null;
  oemClientId?: string | null;
  endUserId?: string | null;
};
