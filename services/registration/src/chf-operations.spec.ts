import { ChfFaultReturnType, UserRole, type RoutedChfOperationRequest } from '@dcc/proto';
import { DEVICE_STATUS_NAMES } from '@dcc/registry';
import { gbcsResponseBytes } from '@dcc/testkit';
import { describe, expect, it } from 'vitest';
import { chfStatusChanges, localCommandResponseReturned } from './chf-operations.js';
import { feedRowChanges } from './feed-changes.js';
import { parseFeedLine } from './feed.js';
import { RegistrationState } from './state.js';
import { mpan, mprn } from './test-helpers.js';

// SRVs 8.14.x change a communications hub's SMI status (and its GPF's on a return), for the supplier of a point the
// hub serves; 8.13 answers a returned GBCS response for the original request's sender, if still the supplier.

const ELECTRICITY = mpan('101234567801');
const GAS = mprn('12345601');
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const OTHER_SUPPLIER = '90-B3-D5-1F-30-09-00-00';
const ESME = '00-DB-12-00-00-00-02-01';
const GSME = '00-DB-12-00-00-00-02-02';
const CHF = '00-DB-12-00-00-00-02-03';
const GPF = '00-DB-12-00-00-00-02-04';
const NOW = Date.UTC(2026, 5, 1);

function estate(chfStatus: string): RegistrationState {
  const state = new RegistrationState(16);
  const common = {
    meterKind: 'SMETS2',
    cspRegion: 'North',
    commsHub: { id: CHF, status: chfStatus },
    supplier: { party: SUPPLIER, from: '2024-01-01' },
  };
  const rows = [
    { mpxn: ELECTRICITY, fuel: 'electricity', device: { id: ESME, status: 'Commissioned' }, ...common },
    {
      mpxn: GAS,
      fuel: 'gas',
      device: { id: GSME, status: 'Commissioned' },
      gpf: { id: GPF, status: 'Commissioned' },
      ...common,
    },
  ];
  for (const row of rows) {
    const line = parseFeedLine(JSON.stringify(row));
    for (const change of feedRowChanges(state, line)) state.apply({ recordedAtMs: 0, change });
  }
  return state;
}

const supplier = { userId: SUPPLIER, userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER };
type StatusUpdate = Parameters<typeof chfStatusChanges>[2];
const install = {
  deviceId: CHF,
  installType: 'New CHF Install',
  mpxn: ELECTRICITY,
  aerialInstall: false,
  location: 'Outside',
};
const OPERATIONS: Record<string, StatusUpdate> = {
  installSuccess: { $case: 'chfInstallSuccess', value: install },
  installNoWan: {
    $case: 'chfInstallNoSmWan',
    value: {
      ...install,
      premiseType: 'House',
      metalObstructionCheck: false,
      connectivityObstructionCheck: false,
      sharedObstructionCheck: false,
    },
  },
  faultPrior: {
    $case: 'chfFaultReturn',
    value: {
      deviceId: CHF,
      faultReturnType: ChfFaultReturnType.CHF_FAULT_RETURN_TYPE_PRIOR_TO_INSTALLATION,
      otherDeviceId: '',
      connectionMethod: 'Hot-shoe',
      faultReason: 'Damaged case',
    },
  },
  faultPost: {
    $case: 'chfFaultReturn',
    value: {
      deviceId: CHF,
      faultReturnType: ChfFaultReturnType.CHF_FAULT_RETURN_TYPE_POST_INSTALLATION,
      otherDeviceId: ESME,
      connectionMethod: 'Cradle',
      faultReason: 'Fault with aerial',
    },
  },
  noFault: {
    $case: 'chfNoFaultReturn',
    value: { deviceId: CHF, noFaultReturnType: 'No Fault Return (general)' },
  },
};

/** Decides and applies the update as the recorder would; the CHF's and GPF's statuses after, or the refusal. */
function update(from: string, operation: string, request = supplier) {
  const state = estate(from);
  try {
    const changes = chfStatusChanges(state, request, OPERATIONS[operation]!, NOW);
    for (const change of changes) state.apply({ recordedAtMs: NOW, change });
    return {
      chf: DEVICE_STATUS_NAMES[state.devices.get(CHF)!.status],
      gpf: DEVICE_STATUS_NAMES[state.devices.get(GPF)!.status],
      changed: changes.length > 0,
    };
  } catch (error) {
    const e = error as { responseCode?: string; status: number; message: string };
    return { refused: e.responseCode ?? e.status, message: e.message };
  }
}

const FAILED_PRECONDITION = 9;

describe('8.14.x: the communications hub status transitions', () => {
  it.each([
    ['Pending', 'installSuccess', 'Commissioned'],
    ['Whitelisted', 'installSuccess', 'Commissioned'],
    ['InstalledNotCommissioned', 'installSuccess', 'Commissioned'],
    ['Pending', 'installNoWan', 'InstalledNotCommissioned'],
    ['Whitelisted', 'installNoWan', 'InstalledNotCommissioned'],
    ['Pending', 'faultPrior', 'Withdrawn'],
    ['Commissioned', 'faultPost', 'Withdrawn'],
    ['InstalledNotCommissioned', 'faultPost', 'Withdrawn'],
    ['Commissioned', 'noFault', 'Withdrawn'],
    ['Pending', 'noFault', 'Withdrawn'],
  ])('a %s hub after %s is %s', (from, operation, to) => {
    expect(update(from, operation)).toMatchObject({ chf: to, changed: true });
  });

  it('a return withdraws the GPF on the same hub; an install leaves it as it is', () => {
    expect(update('Commissioned', 'noFault')).toMatchObject({ gpf: 'Withdrawn' });
    expect(update('Commissioned', 'faultPost')).toMatchObject({ gpf: 'Withdrawn' });
    expect(update('Pending', 'installSuccess')).toMatchObject({ gpf: 'Commissioned' });
  });

  it('a report the record already matches changes nothing', () => {
    expect(update('Commissioned', 'installSuccess')).toEqual({
      chf: 'Commissioned',
      gpf: 'Commissioned',
      changed: false,
    });
    expect(update('InstalledNotCommissioned', 'installNoWan')).toMatchObject({ changed: false });
  });

  it.each([
    ['Commissioned', 'installNoWan'],
    ['Commissioned', 'faultPrior'],
    ['Pending', 'faultPost'],
    ['Withdrawn', 'noFault'],
    ['Withdrawn', 'installSuccess'],
    ['Decommissioned', 'faultPost'],
  ])('a %s hub refuses %s (FAILED_PRECONDITION), unchanged', (from, operation) => {
    expect(update(from, operation)).toMatchObject({ refused: FAILED_PRECONDITION, message: /cannot become/ });
  });

  it('only the registered supplier of a point the hub serves, as IS or GS, may update it (E4)', () => {
    expect(update('Commissioned', 'noFault', { ...supplier, userId: OTHER_SUPPLIER })).toMatchObject({
      refused: 'E4',
    });
    expect(
      update('Commissioned', 'noFault', {
        ...supplier,
        userRole: UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR,
      }),
    ).toMatchObject({ refused: 'E4' });
    expect(
      update('Commissioned', 'noFault', { ...supplier, userRole: UserRole.USER_ROLE_GAS_SUPPLIER }),
    ).toMatchObject({ chf: 'Withdrawn' });
  });

  it('a device the inventory does not hold is E19, one that is not a CHF E11', () => {
    const state = estate('Commissioned');
    const unknown: StatusUpdate = {
      $case: 'chfNoFaultReturn',
      value: { deviceId: '00-DB-12-00-00-00-02-99', noFaultReturnType: 'x' },
    };
    const meter: StatusUpdate = {
      $case: 'chfNoFaultReturn',
      value: { deviceId: ESME, noFaultReturnType: 'x' },
    };
    expect(() => chfStatusChanges(state, supplier, unknown, NOW)).toThrow(
      expect.objectContaining({ responseCode: 'E19' }),
    );
    expect(() => chfStatusChanges(state, supplier, meter, NOW)).toThrow(
      expect.objectContaining({ responseCode: 'E11' }),
    );
  });
});

describe('8.13: a returned local command response', () => {
  const returned = (userId: string, original: string) => {
    const [originator, target, counter] = original.split(':') as [string, string, string];
    const bytes = gbcsResponseBytes({
      device: target,
      recipient: originator,
      counter: BigInt(counter),
      messageCode: 0x12,
    });
    const request: Pick<RoutedChfOperationRequest, 'userId' | 'userRole'> = { ...supplier, userId };
    return localCommandResponseReturned(
      estate('Commissioned'),
      request,
      { originalRequestId: original, deviceGbcsResponse: bytes },
      NOW,
    );
  };

  it("is answered for the original request's sender, still the device's supplier, with what the response says", () => {
    expect(returned(SUPPLIER, `${SUPPLIER}:${ESME}:1000`)).toEqual({
      originalRequestId: `${SUPPLIER}:${ESME}:1000`,
      deviceId: ESME,
      messageCode: 0x12,
      counter: '1000',
    });
  });

  it("another User's request is E4, as is a device the sender no longer supplies; an unknown device E19", () => {
    expect(() => returned(SUPPLIER, `${OTHER_SUPPLIER}:${ESME}:1000`)).toThrow(
      expect.objectContaining({ responseCode: 'E4' }),
    );
    expect(() => returned(OTHER_SUPPLIER, `${OTHER_SUPPLIER}:${ESME}:1000`)).toThrow(
      expect.objectContaining({ responseCode: 'E4' }),
    );
    expect(() => returned(SUPPLIER, `${SUPPLIER}:00-DB-12-00-00-00-02-99:1000`)).toThrow(
      expect.objectContaining({ responseCode: 'E19' }),
    );
  });
});
