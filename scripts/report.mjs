// The hub's reports from the command line, as the development operator against `npm start`'s hub:
//   npm run report -- --month 2026-12 [--accounting] [--user <User id>] [--csv]
// Monthly performance by default (--accounting: service accounting per User and SRV); JSON unless --csv.
// Settings: REPORTING_PORT (50068), DCC_RUN_DIR (.run, where the development PKI is).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { credentials } from '@grpc/grpc-js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    month: { type: 'string', default: new Date().toISOString().slice(0, 7) },
    accounting: { type: 'boolean', default: false },
    user: { type: 'string', default: '' },
    csv: { type: 'boolean', default: false },
  },
});
// Built by `npm start` (or `npm run build`).
const { MonthlyPerformanceResponse, ReportingServiceClient, ReportKind, ServiceAccountingResponse } =
  await import('../libs/proto/dist/index.js');
const { DEVELOPMENT_OPERATOR_ID, readPkiDir } = await import('../libs/pki/dist/index.js');

const pki = readPkiDir(join(process.env.DCC_RUN_DIR ?? join(root, '.run'), 'pki'));
if (!pki) {
  console.error('no development PKI: start the hub first (npm start)');
  process.exit(1);
}
const client = new ReportingServiceClient(
  `localhost:${process.env.REPORTING_PORT ?? '50068'}`,
  credentials.createSsl(
    readFileSync(pki.caCertificate),
    readFileSync(pki.userKey(DEVELOPMENT_OPERATOR_ID)),
    readFileSync(pki.userCertificate(DEVELOPMENT_OPERATOR_ID)),
  ),
);
const call = (method, request) =>
  new Promise((resolve, reject) =>
    client[method](request, (error, reply) => (error ? reject(error) : resolve(reply))),
  );

try {
  if (values.csv) {
    const report = values.accounting
      ? ReportKind.REPORT_KIND_SERVICE_ACCOUNTING
      : ReportKind.REPORT_KIND_MONTHLY_PERFORMANCE;
    const { csv } = await call('exportCsv', { report, month: values.month, userId: values.user });
    process.stdout.write(csv);
  } else if (values.accounting) {
    const reply = await call('serviceAccounting', { month: values.month, userId: values.user });
    console.log(JSON.stringify(ServiceAccountingResponse.toJSON(reply), null, 2));
  } else {
    const reply = await call('monthlyPerformance', { month: values.month });
    // The proto3 JSON form: enum names (PERFORMANCE_MEASURE_ON_DEMAND), not their numbers.
    console.log(JSON.stringify(MonthlyPerformanceResponse.toJSON(reply), null, 2));
  }
} catch (error) {
  console.error(`report failed: ${error.details ?? error.message}`);
  process.exitCode = 1;
} finally {
  client.close();
}
