import { Alert, Box, Button, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';
import { type ComponentType, type SubmitEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Done, PageHeader } from '../desk/ui.js';
import { ScrollTable } from './ScrollTable.js';

/** One problem of a refused file, as the import routes report it: the row, the column, why. */
export type CsvRowProblem = { row: number; field: string; code: string; message: string };

export type CsvImportPageProps = {
  /** The catalogue section holding this import's words (`desk.import`, `oem.import`). */
  words: string;
  /** The columns' header line and a sample file, shown as the format to follow. */
  header: string;
  sample: string;
  /** Sends the file's text; resolves with how many records went in. */
  importText: (text: string) => Promise<{ imported: number }>;
  /** The row problems of a refusal, or undefined when the error is not a row-by-row refusal. */
  problemsOf: (error: Error) => readonly CsvRowProblem[] | undefined;
  /** Lists that show what was imported, refreshed after a success. */
  invalidates: QueryKey;
  /** Where the imported records are listed, and that link's words. */
  done: { to: string; label: string };
  /** What the refusal counts: each problem, or each row with problems. */
  count: 'problems' | 'rows';
  /** Shows any other error. */
  ErrorAlert: ComponentType<{ error: Error }>;
};

function ProblemTable({ words, problems }: { words: string; problems: readonly CsvRowProblem[] }) {
  const { t } = useTranslation();
  return (
    <ScrollTable label={t(`${words}.reportTitle`)} minWidth={640}>
      <Table striped verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t(`${words}.row`)}</Table.Th>
            <Table.Th scope="col">{t(`${words}.column`)}</Table.Th>
            <Table.Th scope="col">{t(`${words}.problem`)}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {problems.map((p) => (
            <Table.Tr key={`${p.row}-${p.field}-${p.code}`}>
              <Table.Th scope="row">{p.row}</Table.Th>
              <Table.Td>
                {/* A problem of the whole row (not one column) says so in words. */}
                <Code>{p.field === 'row' ? t(`${words}.wholeRow`, { defaultValue: p.field }) : p.field}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {t(`${words}.codes.${p.code}`, { defaultValue: p.code })}
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
 * A spreadsheet import as the dealer's sales and the OEM client's defect reports both work: the format
 * to follow, one file, and either everything recorded or nothing with a report of every problem by row.
 * The two screens differ only in words, columns and the route, so they share this one page.
 */
export function CsvImportPage(props: CsvImportPageProps) {
  const { words, header, sample, ErrorAlert } = props;
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [fileName, setFileName] = useState<string | undefined>();
  const [missing, setMissing] = useState(false);
  const upload = useMutation({
    mutationFn: async (file: File) => props.importText(await file.text()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: props.invalidates }),
  });
  const problems = upload.error ? props.problemsOf(upload.error) : undefined;

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = input.current?.files?.[0];
    setMissing(!file);
    if (file) upload.mutate(file);
  };

  return (
    <Stack gap="lg">
      <PageHeader title={t(`${words}.title`)} intro={t(`${words}.intro`)} />
      <Card withBorder padding="lg" component="section" aria-labelledby="import-format-title">
        <Title order={2} size="h4" id="import-format-title" mb="xs">
          {t(`${words}.formatTitle`)}
        </Title>
        <Text size="sm" mb="sm">
          {t(`${words}.formatBody`)}
        </Text>
        <Text size="sm" fw={600}>
          {t(`${words}.header`)}
        </Text>
        <Code block mb="sm">
          {header}
        </Code>
        <Text size="sm" fw={600}>
          {t(`${words}.sample`)}
        </Text>
        <Code block>{sample}</Code>
        <Text size="sm" c="dark.6" mt="sm">
          {t(`${words}.rules`)}
        </Text>
      </Card>
      <Card withBorder padding="lg" component="section" aria-labelledby="import-file-title">
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Title order={2} size="h4" id="import-file-title">
              {t(`${words}.fileTitle`)}
            </Title>
            <Box>
              <Text component="label" htmlFor={inputId} size="sm" fw={500} display="block" mb={4}>
                {t(`${words}.file`)}
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
                  {t(`${words}.chooseFile`)}
                </Text>
              )}
            </Box>
            <Group>
              <Button
                type="submit"
                loading={upload.isPending}
                loaderProps={{ 'aria-label': t('common.working') }}
              >
                {t(`${words}.submit`)}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
      {upload.isSuccess && (
        <Done title={t(`${words}.doneTitle`)}>
          {t(`${words}.done`, { count: upload.data.imported, file: fileName ?? '' })}{' '}
          <Link to={props.done.to}>{props.done.label}</Link>
        </Done>
      )}
      {problems ? (
        <Stack gap="sm" component="section" aria-labelledby="import-report-title">
          <Alert color="red" variant="light" role="alert" title={t(`${words}.rejectedTitle`)}>
            <Text size="sm">
              {t(`${words}.rejected`, {
                count: props.count === 'rows' ? new Set(problems.map((p) => p.row)).size : problems.length,
                file: fileName ?? '',
              })}
            </Text>
          </Alert>
          <Title order={2} size="h4" id="import-report-title">
            {t(`${words}.reportTitle`)}
          </Title>
          <ProblemTable words={words} problems={problems} />
        </Stack>
      ) : (
        upload.isError && <ErrorAlert error={upload.error} />
      )}
    </Stack>
  );
}
