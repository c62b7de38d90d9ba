import { useTranslation } from 'react-i18next';
import { DEFECT_CSV_COLUMNS } from '../../../src/domain/oem/defect-report.js';
import { CsvImportPage } from '../components/CsvImportPage.js';
import { importDefects, importProblems } from './oem-api.js';
import { OemErrorAlert } from './ui.js';

const HEADER = DEFECT_CSV_COLUMNS.join(',');
const SAMPLE = [
  HEADER,
  'OEM-BW-0001,BTH500-L2501A,3,,No sound on the left,2026-11-20',
  'OEM-BW-0001,BTH500-L2501B,,BTH500-2501-001318;BTH500-2501-001342,Does not charge,',
].join('\n');

/**
 * An OEM client uploads many defect reports from a spreadsheet: every row is checked against its
 * order and lot, and all of them are recorded or none, with a report of every problem by row.
 */
export default function ImportDefectsPage() {
  const { t } = useTranslation();
  return (
    <CsvImportPage
      words="oem.import"
      header={HEADER}
      sample={SAMPLE}
      importText={importDefects}
      problemsOf={importProblems}
      invalidates={['oem']}
      done={{ to: '/oem/orders', label: t('oem.import.seeOrders') }}
      count="rows"
      ErrorAlert={OemErrorAlert}
    />
  );
}
