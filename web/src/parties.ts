import { queryOptions, useQuery } from '@tanstack/react-query';
import type { LocalizedText } from '../../src/domain/policy/schema.js';
import { fetchDealers, fetchOemClients, fetchServiceCenters } from './reference-data.js';

/** A party a scoped role works for, named in both languages. */
export type PartyOption = { id: string; label: LocalizedText };

export const dealersQuery = queryOptions({ queryKey: ['dealers'], queryFn: fetchDealers });
export const serviceCentersQuery = queryOptions({
  queryKey: ['service-centers'],
  queryFn: fetchServiceCenters,
});
export const oemClientsQuery = queryOptions({ queryKey: ['oem-clients'], queryFn: fetchOemClients });

// OEM clients have one name; service centers are named in each language; a dealer in Chinese where
// the maker gave its Chinese name.
const same = (name: string): LocalizedText => ({ en: name, zh: name });

/** A dealer's name in the reader's language: its Chinese name on the Chinese screens, where it has one. */
export function dealerName(dealer: { name: string; nameZh: string | null }, lang: 'en' | 'zh'): string {
  return lang === 'zh' ? (dealer.nameZh ?? dealer.name) : dealer.name;
}

/** The three lists a scope is chosen from, as options. */
export function useParties() {
  const dealers = useQuery({
    ...dealersQuery,
    select: (rows): PartyOption[] =>
      rows.map((d) => ({ id: d.id, label: { en: d.name, zh: dealerName(d, 'zh') } })),
  });
  const serviceCenters = useQuery({
    ...serviceCentersQuery,
    select: (rows): PartyOption[] => rows.map((c) => ({ id: c.id, label: { en: c.nameEn, zh: c.nameZh } })),
  });
  const oemClients = useQuery({
    ...oemClientsQuery,
    select: (rows): PartyOption[] => rows.map((d) => ({ id: d.id, label: same(d.name) })),
  });
  return { dealers, serviceCenters, oemClients };
}
