import { TARIFF_BODIES } from '@dcc/proto';
import type { ServiceRequest } from '@dcc/proto';
import { jsonOf as json, type DeviceCall } from './device-call.js';

/*
 * The tariff SRVs' request bodies and the device model's parameters each maps to (tariff parts travel as the
 * wire's JSON), for the adapter's mapping specs. In an order a meter takes them: 1.1.2 before 1.2.2.
 */

const body = <S extends keyof typeof TARIFF_BODIES>(srv: S) => TARIFF_BODIES[srv] as ServiceRequest['body'];

export const TARIFF_CASES: [string, ServiceRequest['body'], DeviceCall][] = [
  [
    '1.1.2',
    body('1.1.2'),
    {
      params: {
        switchingTable: json(TARIFF_BODIES['1.1.2'].value.switchingTable),
        specialDays: [],
        priceElements: json(TARIFF_BODIES['1.1.2'].value.priceElements),
      },
    },
  ],
  ['1.2.1', body('1.2.1'), { params: { priceElements: json(TARIFF_BODIES['1.2.1'].value.priceElements) } }],
  ['1.2.2', body('1.2.2'), { params: { priceElements: json(TARIFF_BODIES['1.2.2'].value.priceElements) } }],
  ['1.7', body('1.7'), {}],
  ['4.11.1', body('4.11.1'), {}],
  ['4.11.2', body('4.11.2'), {}],
  ['4.1.3', body('4.1.3'), {}],
  ['4.1.4', body('4.1.4'), {}],
  ['6.26', body('6.26'), { params: { dailyReset: true } }],
];
