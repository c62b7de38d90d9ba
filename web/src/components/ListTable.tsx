import {
  Anchor,
  Box,
  Button,
  Card,
  Group,
  Stack,
  Table,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { z } from 'zod';
import { request } from '../api.js';
import { ScrollTable } from './ScrollTable.js';
import { LoadError, PageLoader } from './Status.js';

/*
 * The one list every queue and register uses: sortable column headers, a filter bar, pages by the
 * server's cursor ("Load more"), and an export of what the filter selects as CSV. On a phone each row
 * becomes a card (the table would hide its columns off screen).
 */

export type ListColumn<T> = {
  key: string;
  header: string;
  /** The server's sort this column's header asks for; none: not sortable. */
  sort?: string;
  cell: (row: T) => ReactNode;
  /** The row's header cell (its name or number), for screen readers and the phone's card title. */
  rowHeader?: boolean;
};

export type ListTableProps<T> = {
  /** The table's name, read out to screen readers. */
  label: string;
  /** The list's path, e.g. /api/v1/maintenance-orders; its export is <path>/export.csv. */
  path: string;
  item: z.ZodType<T>;
  rowKey: (row: T) => string;
  columns: readonly ListColumn<T>[];
  /** The filters as query parameters (empty values are left out). */
  params: Record<string, string | undefined>;
  defaultSort: string;
  defaultOrder: 'asc' | 'desc';
  /** The filter bar's controls (selects, dates), shown before the search box. */
  filters?: ReactNode;
  /** Shown when the filter selects nothing. */
  empty: string;
  minWidth: number;
  pageSize?: number;
  /** What the search box matches, as its placeholder; the staff lists' numbers and names by default. */
  searchHint?: string;
  /** Whether the list offers its CSV export (<path>/export.csv); true unless said otherwise. */
  exportable?: boolean;
  /** Reload the pages shown every so many milliseconds (a list that changes in the background). */
  refetchInterval?: number;
};

function queryOf(params: Record<string, string | undefined>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, v);
  return query;
}

export function ListTable<T>(props: ListTableProps<T>) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 40em)');
  const [sort, setSort] = useState(props.defaultSort);
  const [order, setOrder] = useState<'asc' | 'desc'>(props.defaultOrder);
  const [q, setQ] = useState('');
  const [typed, setTyped] = useState('');
  const filterQuery = queryOf({ ...props.params, q, sort, order });
  const page = z.object({ items: z.array(props.item), nextCursor: z.string().nullable() });
  const list = useInfiniteQuery({
    queryKey: ['list', props.path, filterQuery.toString(), props.pageSize ?? 50],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams(filterQuery);
      query.set('limit', String(props.pageSize ?? 50));
      if (pageParam) query.set('cursor', pageParam);
      return request(page, `${props.path}?${query.toString()}`);
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    ...(props.refetchInterval ? { refetchInterval: props.refetchInterval } : {}),
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const sortBy = (column: ListColumn<T>) => {
    if (!column.sort) return;
    if (column.sort === sort) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(column.sort);
      setOrder('asc');
    }
  };
  const ariaSort = (column: ListColumn<T>) =>
    column.sort === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined;

  const header = (column: ListColumn<T>) =>
    column.sort ? (
      <UnstyledButton
        onClick={() => {
          sortBy(column);
        }}
        fw={700}
        fz="sm"
        aria-label={t('list.sortBy', { column: column.header })}
      >
        {column.header}{' '}
        <span aria-hidden="true">{column.sort === sort ? (order === 'asc' ? '▲' : '▼') : '↕'}</span>
      </UnstyledButton>
    ) : (
      column.header
    );

  return (
    <Stack gap="md">
      <Group gap="md" align="flex-end" role="search" aria-label={t('list.filters', { list: props.label })}>
        {props.filters}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setQ(typed.trim());
          }}
        >
          <Group gap="xs" align="flex-end">
            <TextInput
              label={t('list.search')}
              placeholder={props.searchHint ?? t('list.searchHint')}
              value={typed}
              onChange={(e) => {
                setTyped(e.currentTarget.value);
              }}
              maxLength={100}
            />
            <Button type="submit" variant="light">
              {t('list.find')}
            </Button>
          </Group>
        </form>
        {props.exportable !== false && (
          <Button
            component="a"
            variant="default"
            href={`${props.path}/export.csv?${filterQuery.toString()}`}
            download
          >
            {t('list.exportCsv')}
          </Button>
        )}
      </Group>
      {phone && (
        <Group gap="xs" aria-label={t('list.sortOn')} role="group">
          {props.columns
            .filter((c) => c.sort)
            .map((c) => (
              <Button
                key={c.key}
                size="xs"
                variant={c.sort === sort ? 'filled' : 'default'}
                onClick={() => {
                  sortBy(c);
                }}
                aria-pressed={c.sort === sort}
              >
                {c.header} {c.sort === sort ? (order === 'asc' ? '▲' : '▼') : ''}
              </Button>
            ))}
        </Group>
      )}
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <Text c="dimmed">{props.empty}</Text>
      ) : phone ? (
        <Stack gap="sm" aria-label={props.label} role="list">
          {rows.map((row) => (
            <Card key={props.rowKey(row)} withBorder padding="sm" role="listitem">
              {props.columns.map((c) => (
                <Box key={c.key} mb={4}>
                  {c.rowHeader ? (
                    c.cell(row)
                  ) : (
                    <Group gap="xs" wrap="nowrap" align="flex-start">
                      <Text size="xs" c="dark.6" w={110} style={{ flexShrink: 0 }}>
                        {c.header}
                      </Text>
                      <Box style={{ minWidth: 0 }}>{c.cell(row)}</Box>
                    </Group>
                  )}
                </Box>
              ))}
            </Card>
          ))}
        </Stack>
      ) : (
        <ScrollTable label={props.label} minWidth={props.minWidth}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                {props.columns.map((c) => (
                  <Table.Th key={c.key} scope="col" aria-sort={ariaSort(c)}>
                    {header(c)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={props.rowKey(row)}>
                  {props.columns.map((c) =>
                    c.rowHeader ? (
                      <Table.Th key={c.key} scope="row">
                        {c.cell(row)}
                      </Table.Th>
                    ) : (
                      <Table.Td key={c.key}>{c.cell(row)}</Table.Td>
                    ),
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {list.hasNextPage && (
        <Group>
          <Button variant="light" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('list.loadMore')}
          </Button>
          <Text size="sm" c="dark.6">
            {t('list.shown', { count: rows.length })}
          </Text>
        </Group>
      )}
    </Stack>
  );
}

/** A link to a row's own page, as the list's row header. */
export function RowLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={to} size="sm" className="nowrap">
      {children}
    </Anchor>
  );
}

/** A page size from the address (`per`), so a shared link keeps it: 1..200, else the default 50. */
export function pageSizeOf(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 200 ? n : 50;
}

/**
 * A list page's filters as they stand in the address (so a filtered list can be shared and survives a
 * reload): `filter(name)` reads one ('' when unset), `setParam(name, value)` sets it, an empty value
 * removes it, and the history entry is replaced, not added.
 */
export function useFilterParams() {
  const [params, setParams] = useSearchParams();
  const filter = (name: string) => params.get(name) ?? '';
  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  return { params, filter, setParam };
}

/**
 * Two calendar days from the address, `from` and `to` (the list's own meaning: bought, ordered, made),
 * as the store's days: the API reads them in the store's time zone.
 */
export function DayRangeFilter({
  filter,
  setParam,
  fromLabel,
  toLabel,
}: {
  filter: (name: string) => string;
  setParam: (name: string, value: string) => void;
  fromLabel: string;
  toLabel: string;
}) {
  return (
    <>
      <TextInput
        type="date"
        label={fromLabel}
        value={filter('from')}
        max={filter('to') || undefined}
        onChange={(e) => {
          setParam('from', e.currentTarget.value);
        }}
      />
      <TextInput
        type="date"
        label={toLabel}
        value={filter('to')}
        min={filter('from') || undefined}
        onChange={(e) => {
          setParam('to', e.currentTarget.value);
        }}
      />
    </>
  );
}
