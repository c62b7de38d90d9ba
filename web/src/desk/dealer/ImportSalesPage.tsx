import { Alert, Box, Button, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { SALE_CSV_COLUMNS, SALE_CSV_OPTIONAL_COLUMNS } from '../../../../src/domain/purchases/sale.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { ApiErrorAlert } from '../../components/Status.js';
import { type ImportRowProblem, importProblems, importPurchases, purchasesListKey } from '../desk-api.js';
import { Done, PageHeader } from '../ui.js';

const HEADER = [...SALE_CSV_COLUMNS, ...SALE_CSV_OPTIONAL_COLUMNS].join(',');
const SAMPLE = [
  HEADER,
  'HS200-2406-009001,HS-200,2026-03-02,Zhou Lan,zhou.lan@example.com,,299.00,CNY',
  ',BMS-24,2026-03-05,Xu Ming,,+86 139 0000 1234,,',
].join('\n');

function ProblemTable({ problems }: { problems: readonly ImportRowProblem[] }) {
  const { t } = useTranslation();
  return (
    <ScrollTable label={t('desk.import.reportTitle')} minWidth={640}>
      <Table striped verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('desk.import.row')}</Table.Th>
            <Table.Th scope="col">{t('desk.import.column')}</Table.Th>
            <Table.Th scope="col">{t('desk.import.problem')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {problems.map((p) => (
            <Table.Tr key={`${p.row}-${p.field}-${p.code}`}>
              <Table.Th scope="row">{p.row}</Table.Th>
              <Table.Td>
                <Code>{p.field}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {t(`desk.import.codes.${p.code}`, { defaultValue: p.code })}
                </Text>
                <Text size="xs" c="dark.6">
                  {p.message}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

/** A dealer imports a month of sales from a spreadsheet: every row is checked, and all or none go in. */
export default function ImportSalesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [fileName, setFileName] = useState<string | undefined>();
  const [missing, setMissing] = useState(false);
  const upload = useMutation({
    mutationFn: async (file: File) => importPurchases(await file.text()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: purchasesListKey }),
  });
  const problems = upload.error ? importProblems(upload.error) : undefined;

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = input.current?.files?.[0];
    setMissing(!file);
    if (file) upload.mutate(file);
  };

  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.import.title')} intro={t('desk.import.intro')} />
      <Card withBorder padding="lg" component="section" aria-labelledby="import-format-title">
        <Title order={2} size="h4" id="import-format-title" mb="xs">
          {t('desk.import.formatTitle')}
        </Title>
        <Text size="sm" mb="sm">
          {t('desk.import.formatBody')}
        </Text>
        <Text size="sm" fw={600}>
          {t('desk.import.header')}
        </Text>
        <Code block mb="sm">
          {HEADER}
        </Code>
        <Text size="sm" fw={600}>
          {t('desk.import.sample')}
        </Text>
        <Code block>{SAMPLE}</Code>
        <Text size="sm" c="dark.6" mt="sm">
          {t('desk.import.rules')}
        </Text>
      </Card>
      <Card withBorder padding="lg" component="section" aria-labelledby="import-file-title">
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Title order={2} size="h4" id="import-file-title">
              {t('desk.import.fileTitle')}
            </Title>
            <Box>
              <Text component="label" htmlFor={inputId} size="sm" fw={500} display="block" mb={4}>
                {t('desk.import.file')}
              </Text>
              <input
                id={inputId}
                ref={input}
                type="file"
                name="file"
                accept=".csv,text/csv"
                aria-invalid={missing}
                onChange={(e) => {
                  setFileName(e.currentTarget.files?.[0]?.name);
                  setMissing(false);
                  upload.reset();
                }}
              />
              {missing && (
                <Text c="red.9" size="sm" role="alert" mt={4}>
                  {t('desk.import.chooseFile')}
                </Text>
              )}
            </Box>
            <Group>
              <Button
                type="submit"
                loading={upload.isPending}
                loaderProps={{ 'aria-label': t('common.working') }}
              >
                {t('desk.import.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
      {upload.isSuccess && (
        <Done title={t('desk.import.doneTitle')}>
          {t('desk.import.done', { count: upload.data.imported, file: fileName ?? '' })}{' '}
          <Link to="/desk/dealer/sales">{t('desk.record.seeSales')}</Link>
        </Done>
      )}
      {problems ? (
        <Stack gap="sm" component="section" aria-labelledby="import-report-title">
          <Alert color="red" variant="light" role="alert" title={t('desk.import.rejectedTitle')}>
            <Text size="sm">
              {t('desk.import.rejected', { count: problems.length, file: fileName ?? '' })}
            </Text>
          </Alert>
          <Title order={2} size="h4" id="import-report-title">
            {t('desk.import.reportTitle')}
          </Title>
          <ProblemTable problems={problems} />
        </Stack>
      ) : (
        upload.isError && <ApiErrorAlert error={upload.error} />
      )}
    </Stack>
  );
}
