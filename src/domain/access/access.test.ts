import { describe, expect, it } from 'vitest';
import {
  type Action,
  type Actor,
  actions,
  actorOf,
  authorize,
  listFilter,
  mayAttempt,
  permissions,
  roles,
} from './access.js';

const dealer: Actor = { userId: 'u1', role: 'dealer', scope: { dealerId: 'd1' } };
const technician: Actor = { userId: 'u2', role: 'technician', scope: { serviceCenterId: 'c1' } };
const oem: Actor = { userId: 'u3', role: 'oem', scope: { oemClientId: 'o1' } };
const customer: Actor = { userId: 'u4', role: 'customer', scope: { endUserId: 'e1' } };
const admin: Actor = { userId: 'u5', role: 'admin', scope: {} };
const qa: Actor = { userId: 'u6', role: 'qa', scope: {} };

describe('authorize', () => {
  it('lets a dealer see its own sale and hides another dealer’s', () => {
    expect(authorize(dealer, 'purchases.read', { dealerId: 'd1', endUserId: 'e9' })).toBe('allowed');
    expect(authorize(dealer, 'purchases.read', { dealerId: 'd2', endUserId: 'e9' })).toBe('not_found');
    // A sale recorded without a dealer belongs to no dealer.
    expect(authorize(dealer, 'purchases.read', { dealerId: null, endUserId: 'e9' })).toBe('not_found');
  });

  it('lets a customer see their own purchase only, whichever dealer sold it', () => {
    expect(authorize(customer, 'purchases.read', { dealerId: 'd1', endUserId: 'e1' })).toBe('allowed');
    expect(authorize(customer, 'purchases.read', { dealerId: 'd1', endUserId: 'e2' })).toBe('not_found');
  });

  it('confines a technician to its center and an OEM user to its client', () => {
    expect(authorize(technician, 'maintenanceOrders.read', { serviceCenterId: 'c1' })).toBe('allowed');
    expect(authorize(technician, 'maintenanceOrders.read', { serviceCenterId: 'c2' })).toBe('not_found');
    expect(authorize(oem, 'oemOrders.read', { oemClientId: 'o1' })).toBe('allowed');
    expect(authorize(oem, 'oemOrders.read', { oemClientId: 'o2' })).toBe('not_found');
  });

  it('lets scoped roles read their own dealer, center and OEM client, and no other', () => {
    expect(authorize(dealer, 'dealers.read', { dealerId: 'd1' })).toBe('allowed');
    expect(authorize(dealer, 'dealers.read', { dealerId: 'd2' })).toBe('not_found');
    expect(authorize(technician, 'serviceCenters.read', { serviceCenterId: 'c2' })).toBe('not_found');
    expect(authorize(oem, 'oemClients.read', { oemClientId: 'o1' })).toBe('allowed');
    expect(authorize(oem, 'oemClients.read', { oemClientId: 'o2' })).toBe('not_found');
    expect(authorize(qa, 'oemClients.read', { oemClientId: 'o2' })).toBe('allowed');
    // Reading is not changing: only an admin manages reference data, even a party's own record.
    expect(authorize(dealer, 'dealers.manage', { dealerId: 'd1' })).toBe('forbidden');
    expect(authorize(oem, 'oemClients.manage', { oemClientId: 'o1' })).toBe('forbidden');
    expect(authorize(technician, 'oemClients.read', { oemClientId: 'o1' })).toBe('forbidden');
    expect(authorize(admin, 'oemClients.manage', {})).toBe('allowed');
  });

  it('forbids a role the action is not granted to, whoever owns the object', () => {
    expect(authorize(dealer, 'oemOrders.read', { oemClientId: 'o1' })).toBe('forbidden');
    expect(authorize(qa, 'purchases.read', { dealerId: 'd1' })).toBe('forbidden');
    expect(authorize(customer, 'users.manage', {})).toBe('forbidden');
  });

  it('never lets a scoped role match on another party’s scope column', () => {
    // A dealer id that happens to equal an end user id must not make the dealer the buyer.
    expect(authorize(dealer, 'purchases.read', { endUserId: 'd1' })).toBe('not_found');
  });

  it('lets an `all` grant through on any object', () => {
    expect(authorize(admin, 'purchases.read', { dealerId: 'dX', endUserId: 'eX' })).toBe('allowed');
  });

  it('answers, for every action and role, the same as the table', () => {
    for (const action of actions) {
      for (const role of roles) {
        const granted = (permissions[action] as Partial<Record<string, string>>)[role] !== undefined;
        expect(mayAttempt(role, action), `${role} ${action}`).toBe(granted);
      }
    }
  });
});

describe('listFilter', () => {
  it('filters a scoped role’s lists to its scope and leaves `all` unfiltered', () => {
    expect(listFilter(dealer, 'purchases.read')).toEqual({ kind: 'scope', owners: { dealerId: 'd1' } });
    expect(listFilter(admin, 'purchases.read')).toEqual({ kind: 'all' });
    expect(listFilter(oem, 'purchases.read' satisfies Action)).toEqual({ kind: 'none' });
    expect(listFilter(dealer, 'dealers.read')).toEqual({ kind: 'scope', owners: { dealerId: 'd1' } });
    expect(listFilter(oem, 'oemClients.read')).toEqual({ kind: 'scope', owners: { oemClientId: 'o1' } });
    expect(listFilter(customer, 'dealers.read')).toEqual({ kind: 'none' });
  });
});

describe('actorOf', () => {
  it('builds scoped actors and refuses a scoped role without its scope', () => {
    expect(actorOf({ id: 'u', role: 'dealer', dealerId: 'd1' })).toEqual({
      userId: 'u',
      role: 'dealer',
      scope: { dealerId: 'd1' },
    });
    expect(actorOf({ id: 'u', role: 'dealer', serviceCenterId: 'c1' })).toBeUndefined();
    expect(actorOf({ id: 'u', role: 'customer' })).toBeUndefined();
    expect(actorOf({ id: 'u', role: 'root' })).toBeUndefined();
    // Stray scope columns on an unscoped role are ignored, not added to its view.
    expect(actorOf({ id: 'u', role: 'support', dealerId: 'd1' })).toEqual({
      userId: 'u',
      role: 'support',
      scope: {},
    });
  });
});
