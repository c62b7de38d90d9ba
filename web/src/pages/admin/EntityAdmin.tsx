import { Button, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { type QueryKey, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ScrollTable } from '../../components/ScrollTable.js';
import { ApiErrorAlert, LoadError, PageLoader } from '../../components/Status.js';

/*
 * The shape every reference-data screen shares (dealers, service centers, OEM clients, products): a
 * table of what exists, and one dialog that adds a row or edits one. Each screen brings its columns
 * and its form; this handles loading, saving, errors and the dialog.
 */

export type Column<Row> = { header: string; cell: (row: Row) => ReactNode; nowrap?: boolean };

/** The first message per top-level field of a failed parse, for the form to show beside the input. */
export type FieldErrors = Partial<Record<string, string>>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '');
    errors[key] ??= issue.message;
  }
  return errors;
}

export type FormProps<Draft> = {
  draft: Draft;
  onChange: (draft: Draft) => void;
  errors: FieldErrors;
};

export function EntityAdmin<Row extends { id: string }, Draft, Body>({
  title,
  intro,
  queryKey,
  alsoInvalidate = [],
  fetchRows,
  columns,
  rowName,
  emptyDraft,
  draftOf,
  parse,
  create,
  update,
  Form,
}: {
  title: string;
  intro: string;
  queryKey: QueryKey;
  /** Other lists the change shows in (the public product list, say). */
  alsoInvalidate?: readonly QueryKey[];
  fetchRows: () => Promise<Row[]>;
  columns: readonly Column<Row>[];
  /** How a row is named on its edit button and dialog. */
  rowName: (row: Row) => string;
  emptyDraft: Draft;
  draftOf: (row: Row) => Draft;
  /** The request body from a draft, checked by the server's schema before it is sent. */
  parse: (draft: Draft) => z.ZodSafeParseResult<Body>;
  create: (body: Body) => Promise<Row>;
  update: (id: string, body: Body) => Promise<Row>;
  Form: (props: FormProps<Draft>) => ReactNode;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const rows = useQuery({ queryKey, queryFn: fetchRows });
  const [editing, setEditing] = useState<{ row: Row | null; draft: Draft } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useMutation({
    mutationFn: ({ row, body }: { row: Row | null; body: Body }) =>
      row ? update(row.id, body) : create(body),
    onSuccess: async () => {
      await Promise.all(
        [queryKey, ...alsoInvalidate].map((key) => queryClient.invalidateQueries({ queryKey: key })),
      );
      setEditing(null);
    },
  });

  const open = (row: Row | null) => {
    save.reset();
    setErrors({});
    setEditing({ row, draft: row ? draftOf(row) : emptyDraft });
  };
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!editing) return;
    const parsed = parse(editing.draft);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    save.mutate({ row: editing.row, body: parsed.data });
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{title}</Title>
          <Text mt="xs">{intro}</Text>
        </div>
        <Button
          onClick={() => {
            open(null);
          }}
        >
          {t('admin.add')}
        </Button>
      </Group>
      {rows.isPending ? (
        <PageLoader />
      ) : rows.isError ? (
        <LoadError error={rows.error} onRetry={() => void rows.refetch()} />
      ) : rows.data.length === 0 ? (
        <Text c="dimmed">{t('admin.none')}</Text>
      ) : (
        <ScrollTable label={title} minWidth={760}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                {columns.map((column) => (
                  <Table.Th key={column.header} scope="col">
                    {column.header}
                  </Table.Th>
                ))}
                <Table.Th scope="col">{t('admin.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.data.map((row) => (
                <Table.Tr key={row.id}>
                  {columns.map((column, i) =>
                    i === 0 ? (
                      <Table.Th key={column.header} scope="row" fw={600}>
                        {column.cell(row)}
                      </Table.Th>
                    ) : (
                      <Table.Td key={column.header} className={column.nowrap ? 'nowrap' : undefined}>
                        {column.cell(row)}
                      </Table.Td>
                    ),
                  )}
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="default"
                      aria-label={t('admin.editNamed', { name: rowName(row) })}
                      onClick={() => {
                        open(row);
                      }}
                    >
                      {t('admin.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {editing && (
        <Modal
          opened
          size="lg"
          centered
          onClose={() => {
            setEditing(null);
          }}
          closeButtonProps={{ 'aria-label': t('common.close') }}
          title={
            editing.row
              ? t('admin.editNamed', { name: rowName(editing.row) })
              : t('admin.addTitle', { what: title })
          }
        >
          <form onSubmit={submit} noValidate>
            <Stack gap="md">
              {save.isError && <ApiErrorAlert error={save.error} />}
              {Object.keys(errors).length > 0 && (
                <Text c="red.9" size="sm" role="alert">
                  {t('admin.fixFields')}
                </Text>
              )}
              <Form
                draft={editing.draft}
                errors={errors}
                onChange={(draft) => {
                  setEditing({ ...editing, draft });
                }}
              />
              <Group justify="flex-end" gap="sm">
                <Button
                  variant="default"
                  onClick={() => {
                    setEditing(null);
                  }}
                >
                  {t('common.cancel')}
                </Button>
                <Button
                  type="submit"
                  loading={save.isPending}
                  loaderProps={{ 'aria-label': t('common.working') }}
                >
                  {t('common.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Modal>
      )}
    </Stack>
  );
}
