import { Alert, Box, Button, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DEFECT_CSV_COLUMNS } from '../../../src/domain/oem/defect-report.js';
import { ScrollTable } from '../components/ScrollTable.js';
import { Done, PageHeader } from '../desk/ui.js';
import { type ImportRowProblem, importDefects, importProblems } from './oem-api.js';
import { OemErrorAlert } from './ui.js';

const HEADER = DEFECT_CSV_COLUMNS.join(',');
const SAMPLE = [
  HEADER,
  'OEM-BW-0001,BTH500-L2501A,3,,No sound on the left,2026-11-20',
  'OEM-BW-0001,BTH500-L2501B,,BTH500-2501-001318;BTH500-2501-001342,Does not charge,',
].join('\n');

function ProblemTable({ problems }: { problems: readonly ImportRowProblem[] }) {
  const { t } = useTranslation();
  return (
    <ScrollTable label={t('oem.import.reportTitle')} minWidth={640}>
      <Table striped verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('oem.import.row')}</Table.Th>
            <Table.Th scope="col">{t('oem.import.column')}</Table.Th>
            <Table.Th scope="col">{t('oem.import.problem')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {problems.map((p) => (
            <Table.Tr key={`${p.row}-${p.field}-${p.code}`}>
              <Table.Th scope="row">{p.row}</Table.Th>
              <Table.Td>
                <Code>{p.field === 'row' ? t('oem.import.wholeRow') : p.field}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {t(`oem.import.codes.${p.code}`, { defaultValue: p.code })}
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

/**
 * An OEM client uploads many defect reports from a spreadsheet: every row is checked against its
 * order and lot, and all of them are recorded or none, with a report of every problem by row.
 */
export default function ImportDefectsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [fileName, setFileName] = useState<string | undefined>();
  const [missing, setMissing] = useState(false);
  const upload = useMutation({
    mutationFn: async (file: File) => importDefects(await file.text()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['oem'] }),
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
      <PageHeader title={t('oem.import.title')} intro={t('oem.import.intro')} />
      <Card withBorder padding="lg" component="section" aria-labelledby="import-format-title">
        <Title order={2} size="h4" id="import-format-title" mb="xs">
          {t('oem.import.formatTitle')}
        </Title>
        <Text size="sm" mb="sm">
          {t('oem.import.formatBody')}
        </Text>
        <Text size="sm" fw={600}>
          {t('oem.import.header')}
        </Text>
        <Code block mb="sm">
          {HEADER}
        </Code>
        <Text size="sm" fw={600}>
          {t('oem.import.sample')}
        </Text>
        <Code block>{SAMPLE}</Code>
        <Text size="sm" c="dark.6" mt="sm">
          {t('oem.import.rules')}
        </Text>
      </Card>
      <Card withBorder padding="lg" component="section" aria-labelledby="import-file-title">
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Title order={2} size="h4" id="import-file-title">
              {t('oem.import.fileTitle')}
            </Title>
            <Box>
              <Text component="label" htmlFor={inputId} size="sm" fw={500} display="block" mb={4}>
                {t('oem.import.file')}
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
                  {t('oem.import.chooseFile')}
                </Text>
              )}
            </Box>
            <Group>
              <Button
                type="submit"
                loading={upload.isPending}
                loaderProps={{ 'aria-label': t('common.working') }}
              >
                {t('oem.import.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
      {upload.isSuccess && (
        <Done title={t('oem.import.doneTitle')}>
          {t('oem.import.done', { count: upload.data.imported, file: fileName ?? '' })}{' '}
          <Link to="/oem/orders">{t('oem.import.seeOrders')}</Link>
        </Done>
      )}
      {problems ? (
        <Stack gap="sm" component="section" aria-labelledby="import-report-title">
          <Alert color="red" variant="light" role="alert" title={t('oem.import.rejectedTitle')}>
            <Text size="sm">
              {t('oem.import.rejected', {
                count: new Set(problems.map((p) => p.row)).size,
                file: fileName ?? '',
              })}
            </Text>
          </Alert>
          <Title order={2} size="h4" id="import-report-title">
            {t('oem.import.reportTitle')}
          </Title>
          <ProblemTable problems={problems} />
        </Stack>
      ) : (
        upload.isError && <OemErrorAlert error={upload.error} />
      )}
    </Stack>
  );
}
