import { mpanCheckDigit } from '@dcc/domain';
import { RegistrationBulkServiceClient, type FeedReport, type LoadFeedChunksResponse } from '@dcc/proto';
import type { ChannelCredentials } from '@grpc/grpc-js';
import { meterId, USERS } from '../model/index.ts';

/**
 * The registration feed line of load-estate meter `index`: an enrolled SMETS2 electricity point; with `mdr`, the
 * Other User is appointed its meter data retriever too.
 */
export function estateLine(index: number, mdr = false): string {
  const first12 = String(100_000_000_000 + index);
  return JSON.stringify({
    mpxn: first12 + mpanCheckDigit(first12),
    fuel: 'electricity',
    meterKind: 'SMETS2',
    cspRegion: ['North', 'Central', 'South'][index % 3],
    device: { id: meterId(index), status: 'Commissioned', model: 'LOAD', firmwareVersion: '1.0' },
    supplier: { party: USERS.supplier, from: '2024-01-01' },
    networkOperator: { party: USERS.networkOperator, from: '2020-01-01' },
    ...(mdr ? { mdr: { party: USERS.otherUser, from: '2024-01-01' } } : {}),
  });
}

/** Lines per LoadFeedChunks message, and chunks sent ahead of their answers (enough to keep registration busy). */
const CHUNK_LINES = 2_000;
const CHUNKS_IN_FLIGHT = 8;

/**
 * Registers the load estate, meters 0 to size - 1, through registration's bulk feed (LoadFeedChunks: LoadFeed's
 * validation and report, many lines per message), as a registration data provider's feed would: the development
 * supplier holds every meter's import supply and the development network operator its distribution, so access
 * control's registration checks admit the load Users' requests. The one step that puts meters into the hub: a
 * different estate source replaces this function.
 */
export async function loadEstate(
  address: string,
  channel: ChannelCredentials,
  size: number,
  /** Meters 0 to mdrMeters - 1 have the Other User appointed as their meter data retriever. */
  mdrMeters = 0,
): Promise<FeedReport> {
  const client = new RegistrationBulkServiceClient(address, channel, {
    'grpc.max_send_message_length': 16 * 1024 * 1024,
  });
  try {
    const report = await new Promise<FeedReport>((resolve, reject) => {
      const stream = client.loadFeedChunks();
      let next = 0;
      let sent = 0;
      let answered = 0;
      let ended = false;
      let result: FeedReport | undefined;
      const pump = () => {
        while (sent - answered < CHUNKS_IN_FLIGHT && next < size) {
          const lines: string[] = [];
          for (const end = Math.min(size, next + CHUNK_LINES); next < end; next++) {
            lines.push(estateLine(next, next < mdrMeters));
          }
          const options = sent === 0 ? { feedId: 'load-estate', relaxCheckDigits: false } : undefined;
          stream.write({ options, lines });
          sent++;
        }
        if (next >= size && !ended) {
          ended = true;
          stream.end();
        }
      };
      stream.on('data', (r: LoadFeedChunksResponse) => {
        if (r.result?.$case === 'report') result = r.result.value;
        else if (r.result?.$case === 'progress') {
          answered++;
          pump();
        }
      });
      stream.on('error', reject);
      stream.on('end', () =>
        result ? resolve(result) : reject(new Error('the feed ended without a report')),
      );
      pump();
    });
    if (report.rejected > 0) throw new Error(`registration rejected ${report.rejected} estate lines`);
    return report;
  } finally {
    client.close();
  }
}
