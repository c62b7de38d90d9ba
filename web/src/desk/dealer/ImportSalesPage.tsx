import { useTranslation } from 'react-i18next';
import { SALE_CSV_COLUMNS, SALE_CSV_OPTIONAL_COLUMNS } from '../../../../src/domain/purchases/sale.js';
import { CsvImportPage } from '../../components/CsvImportPage.js';
import { ApiErrorAlert } from '../../components/Status.js';
import { importProblems, importPurchases, purchasesListKey } from '../desk-api.js';

const HEADER = [...SALE_CSV_COLUMNS, ...SALE_CSV_OPTIONAL_COLUMNS].join(',');
const SAMPLE = [
  HEADER,
  'HS200-2406-009001,HS-200,2026-03-02,Zhou Lan,zhou.lan@example.com,,299.00,CNY',
  ',BMS-24,2026-03-05,Xu Ming,,+86 139 0000 1234,,',
].join('\n');

/** A dealer imports a month of sales from a spreadsheet: every row is checked, and all or none go in. */
export default function ImportSalesPage() {
  const { t } = useTranslation();
  return (
    <CsvImportPage
      words="desk.import"
      header={HEADER}
      sample={SAMPLE}
      importText={importPurchases}
      problemsOf={importProblems}
      invalidates={purchasesListKey}
      done={{ to: '/desk/dealer/sales', label: t('desk.record.seeSales') }}
      count="problems"
      ErrorAlert={ApiErrorAlert}
    />
  );
}
