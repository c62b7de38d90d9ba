import { queryOptions } from '@tanstack/react-query';
import { fetchCurrentPolicy, fetchProducts } from './api.js';

export const currentPolicyQuery = queryOptions({
  queryKey: ['policies', 'current'],
  queryFn: fetchCurrentPolicy,
  staleTime: 10 * 60_000,
});

export const productsQuery = queryOptions({
  queryKey: ['products'],
  queryFn: fetchProducts,
  staleTime: 10 * 60_000,
});
