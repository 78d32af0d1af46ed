// `npm start`'s estate: generates the demonstration estate's registration-data feed (libs/registry
// demonstrationEstate: both fuels, SMETS1 and SMETS2 in every cohort and region, every device type with its
// links, the development Users and parties that are not hub Users) and loads it through the registration
// service's gRPC API in chunks of lines (RegistrationBulkService/LoadFeedChunks: LoadFeed's validation and
// report, its record stored in batches), as a registration data provider would. Re-loading is cheap: unchanged
// lines record nothing.
// Each meter's line carries its KA public key, derived from the device provisioning secret
// (.run/pki/device-ka.secret) as the installer that commissioned the simulated meters would register it.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';

/** Lines per chunk: a few hundred kilobytes a message. */
const CHUNK_LINES = 1000;

/**
 * Resolves with the feed report once every line is stored; rejects when a line is rejected or the call fails.
 * `pki` is the development PKI (.run/pki); the call is made with the hub operator's certificate.
 */
export async function loadEstate({ address, points, users, operatorId, pki, root }) {
  const { demonstrationEstate, estateFeedLines } = await import(`${root}/libs/registry/dist/index.js`);
  const { DeviceKaKeys } = await import(`${root}/libs/meter/dist/index.js`);
  const { kaPublicKeyText } = await import(`${root}/libs/domain/dist/index.js`);
  const devices = new DeviceKaKeys(Buffer.from(readFileSync(pki.deviceKaSecret, 'utf8').trim(), 'base64'));
  /** The line with its meter's KA public key (the key is registered once; an unchanged line records nothing). */
  const withKaKey = (line) => {
    const row = JSON.parse(line);
    if (!row.device) return line;
    row.device.kaPublicKey = kaPublicKeyText(devices.keyPair(row.device.id).publicKey);
    return JSON.stringify(row);
  };
  const { RegistrationBulkServiceClient } = await import(`${root}/libs/proto/dist/index.js`);
  const { credentials } = await import('@grpc/grpc-js');
  const client = new RegistrationBulkServiceClient(
    address,
    credentials.createSsl(
      readFileSync(pki.caCertificate),
      readFileSync(pki.userKey(operatorId)),
      readFileSync(pki.userCertificate(operatorId)),
    ),
  );
  try {
    const report = await new Promise((resolve, reject) => {
      const stream = client.loadFeedChunks();
      let last;
      stream.on('data', (response) => {
        if (response.result?.$case === 'report') last = response.result.value;
      });
      stream.on('error', reject);
      stream.on('end', () =>
        last ? resolve(last) : reject(new Error('LoadFeedChunks ended without a report')),
      );
      let lines = [];
      let first = true;
      const send = () => {
        stream.write({
          options: first ? { feedId: 'npm-start-estate', relaxCheckDigits: false } : undefined,
          lines,
        });
        first = false;
        lines = [];
      };
      for (const line of estateFeedLines(demonstrationEstate(points, users))) {
        lines.push(line.startsWith('{') ? withKaKey(line) : line);
        if (lines.length === CHUNK_LINES) send();
      }
      if (lines.length > 0) send();
      stream.end();
    });
    if (report.rejected > 0) {
      throw new Error(
        `estate feed: ${report.rejected} lines rejected, e.g. ${JSON.stringify(report.rejections[0])}`,
      );
    }
    return report;
  } finally {
    client.close();
  }
}
