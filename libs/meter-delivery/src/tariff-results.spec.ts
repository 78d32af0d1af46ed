import { MeterHarness, type SupportedSrv } from '@dcc/meter';
import {
  ESME_HYBRID_TARIFF,
  GSME_BLOCK_TARIFF,
  ServiceRequest,
  ServiceResponse,
  TARIFF_BODIES,
  UserRole,
} from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { deviceCallOf } from './srv-params.js';
import { responseOf } from './srv-results.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const START = Date.UTC(2026, 2, 2, 13, 17);

/** A tariff SRV through the adapter as the wire carries it: request → meter → response → the User. */
function exchange(meter: MeterHarness, srv: string, body: ServiceRequest['body'], counter: number) {
  const request = ServiceRequest.decode(
    ServiceRequest.encode({
      requestId: `${SUPPLIER}:${meter.deviceId}:${counter}`,
      commandVariant: 1,
      serviceReferenceVariant: srv,
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      body,
    }).finish(),
  );
  const result = meter.send(srv as SupportedSrv, deviceCallOf(request).params as never);
  return ServiceResponse.decode(ServiceResponse.encode(responseOf(request, result, START)).finish()).body;
}

describe('tariffs in DUIS form through the adapter', () => {
  it('an ESME answers 1.1.1 with the tariff and its daily table, and 4.11.1 reads the same tariff back', () => {
    const meter = new MeterHarness('00-DB-12-00-00-00-00-3A' as never, 0, START);
    const set = exchange(meter, '1.1.1', TARIFF_BODIES['1.1.1'], 1);
    expect(set?.$case === 'importTariffUpdated' && set.value).toMatchObject({
      tariff: ESME_HYBRID_TARIFF,
      // 2 March 2026 is a Monday: rate 1 until 07:00, then block row 1 (register 3).
      switchingTable: [...Array<number>(14).fill(1), ...Array<number>(34).fill(3)],
      pricesPencePerKwh: ['2.121', '3.127', '2.289'],
      standingChargePencePerDay: '20',
    });
    const read = exchange(meter, '4.11.1', TARIFF_BODIES['4.11.1'], 2);
    expect(read?.$case === 'tariffPrimaryElement' && read.value.tariff).toEqual(ESME_HYBRID_TARIFF);
    const matrices = exchange(meter, '4.1.3', TARIFF_BODIES['4.1.3'], 3);
    expect(matrices?.$case === 'touWithBlocksMatrices' && matrices.value.blockCounters).toHaveLength(8);
  });

  it('the secondary element reads back as 1.1.2 and 1.2.2 left it', () => {
    const meter = new MeterHarness('00-DB-12-00-00-00-00-3B' as never, 0, START);
    exchange(meter, '1.1.2', TARIFF_BODIES['1.1.2'], 1);
    const prices = { priceScale: -4, prices: [1, 2] };
    exchange(meter, '1.2.2', { $case: 'updatePriceSecondaryElement', value: { priceElements: prices } }, 2);
    const read = exchange(meter, '4.11.2', TARIFF_BODIES['4.11.2'], 3);
    expect(read?.$case === 'tariffSecondaryElement' && read.value).toMatchObject({
      switchingTable: TARIFF_BODIES['1.1.2'].value.switchingTable,
      priceElements: prices,
    });
  });

  it('a GSME keeps its block tariff and answers 4.1.4 with its four block counters', () => {
    const meter = new MeterHarness('00-DB-12-00-00-00-00-3C' as never, 0, START, { deviceType: 'GSME' });
    const body = {
      ...TARIFF_BODIES['1.1.1'],
      value: { ...TARIFF_BODIES['1.1.1'].value, tariff: GSME_BLOCK_TARIFF },
    };
    exchange(meter, '1.1.1', body, 1);
    const read = exchange(meter, '4.11.1', TARIFF_BODIES['4.11.1'], 2);
    expect(read?.$case === 'tariffPrimaryElement' && read.value.tariff).toEqual(GSME_BLOCK_TARIFF);
    const counters = exchange(meter, '4.1.4', TARIFF_BODIES['4.1.4'], 3);
    expect(counters?.$case === 'blockCounters' && counters.value.counters).toHaveLength(4);
  });
});
