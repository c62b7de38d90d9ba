import { queryOptions } from '@tanstack/react-query';
import { fetchInvitations, fetchUsers } from '../../accounts.js';

export const usersQuery = queryOptions({ queryKey: ['admin', 'users'], queryFn: fetchUsers });
export const invitationsQuery = queryOptions({
  queryKey: ['admin', 'invitations'],
  queryFn: fetchInvitations,
});
