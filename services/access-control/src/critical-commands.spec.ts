import { generateKeyPairSync, sign } from 'node:crypto';
import { DccError, GrpcStatus, parseEui64 } from '@dcc/domain';
import { LocalCommand, PreCommand, PreCommandContent, UserRole, type ServiceRequest } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { admit, type AdmittedRequest } from './admission.js';
import { PreCommands } from './critical-commands.js';
import { UserDirectory } from './user-directory.js';

const SUPPLIER = parseEui64('90-B3-D5-1F-30-01-00-00');
const DEVICE = parseEui64('00-DB-12-00-00-00-00-01');
const pair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const userKey = pair();
const otherKey = pair();
const pem = (k: ReturnType<typeof pair>) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const users = UserDirectory.fromConfig(
  JSON.stringify([
    { id: SUPPLIER, roles: ['IS', 'GS'], signingKeys: [{ keyId: '1', publicKeyPem: pem(userKey) }] },
  ]),
);

const request = (cv: number, extra: Partial<ServiceRequest> = {}): ServiceRequest => ({
  requestId: `${SUPPLIER}:${DEVICE}:1000`,
  commandVariant: cv,
  serviceReferenceVariant: '7.2',
  userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  body: undefined,
  ...extra,
});

const signDer = (bytes: Uint8Array, key = userKey) =>
  sign('sha256', bytes, { key: key.privateKey, dsaEncoding: 'der' });

function setup(options: { now?: () => number; key?: Uint8Array } = {}) {
  let now = 1_800_000_000_000;
  const preCommands = new PreCommands({
    key: options.key ?? Buffer.alloc(32, 7),
    ttlMs: 60_000,
    clock: () => now,
  });
  const transform = (r = request(4)) => {
    const step = preCommands.admit(admit(r, users));
    if (!('acknowledgement' in step)) throw new Error('expected a pre-command');
    return step.acknowledgement;
  };
  const submit = (signed: ServiceRequest['signedPreCommand'], extra: Partial<ServiceRequest> = {}) =>
    preCommands.admit(admit(request(5, { signedPreCommand: signed, ...extra }), users)) as {
      admitted: AdmittedRequest;
    };
  return { preCommands, transform, submit, advance: (ms: number) => (now += ms) };
}

function refusal(f: () => unknown): { status: number; message: string } {
  try {
    f();
  } catch (error) {
    const e = error as DccError;
    return { status: e.status, message: e.message };
  }
  throw new Error('expected a refusal');
}

describe('pre-command (CV 4)', () => {
  it('answers I0 with a pre-command that names the request, SRV, device, User and expiry', () => {
    const { transform } = setup();
    const ack = transform();
    expect(ack).toMatchObject({ responseCode: 'I0', statusCode: GrpcStatus.OK });
    const content = PreCommandContent.decode(PreCommand.decode(ack.preCommand!).content);
    expect(content).toMatchObject({
      formatVersion: 1,
      requestId: `${SUPPLIER}:${DEVICE}:1000`,
      serviceReferenceVariant: '7.2',
      deviceId: DEVICE,
      userId: SUPPLIER,
      issuedAtMs: 1_800_000_000_000,
      expiresAtMs: 1_800_000_060_000,
      request: { commandVariant: 4, userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER },
    });
    expect(content.nonce).toHaveLength(16);
  });

  it('is canonical: the same content always encodes to the same bytes, whatever the object field order', () => {
    const { transform } = setup();
    const bytes = PreCommand.decode(transform().preCommand!).content;
    const decoded = PreCommandContent.decode(bytes);
    expect(Buffer.from(PreCommandContent.encode(decoded).finish())).toEqual(Buffer.from(bytes));
    const reordered = Object.fromEntries(Object.entries(decoded).reverse()) as PreCommandContent;
    expect(Buffer.from(PreCommandContent.encode(reordered).finish())).toEqual(Buffer.from(bytes));
  });

  it('gives each transform its own nonce', () => {
    const { transform } = setup();
    expect(Buffer.from(transform().preCommand!)).not.toEqual(Buffer.from(transform().preCommand!));
  });

  it('refuses a signed pre-command on CV 4 and on a non-critical SRV', () => {
    const { preCommands } = setup();
    const signed = { preCommand: Buffer.from([1]), signature: Buffer.from([1]), keyId: '1' };
    expect(
      refusal(() => preCommands.admit(admit(request(4, { signedPreCommand: signed }), users))),
    ).toMatchObject({ status: GrpcStatus.INVALID_ARGUMENT });
    const read = request(1, { serviceReferenceVariant: '7.4', signedPreCommand: signed });
    expect(refusal(() => preCommands.admit(admit(read, users)))).toMatchObject({
      status: GrpcStatus.INVALID_ARGUMENT,
    });
  });
});

describe('signed pre-command (CV 5)', () => {
  it('is accepted with a good signature, carrying the signed parameters', () => {
    const { transform, submit } = setup();
    const preCommand = transform().preCommand!;
    const step = submit({ preCommand, signature: signDer(preCommand), keyId: '1' });
    expect(step.admitted.request.serviceReferenceVariant).toBe('7.2');
  });

  it('refuses a signature by another key (PERMISSION_DENIED)', () => {
    const { transform, submit } = setup();
    const preCommand = transform().preCommand!;
    expect(
      refusal(() => submit({ preCommand, signature: signDer(preCommand, otherKey), keyId: '1' })),
    ).toMatchObject({
      status: GrpcStatus.PERMISSION_DENIED,
      message: expect.stringContaining('does not verify'),
    });
  });

  it('refuses an unknown key id, a tampered signature and a P1363 (raw r||s) signature', () => {
    const { transform, submit } = setup();
    const preCommand = transform().preCommand!;
    const signature = signDer(preCommand);
    expect(refusal(() => submit({ preCommand, signature, keyId: '2' }))).toMatchObject({
      status: GrpcStatus.PERMISSION_DENIED,
      message: expect.stringContaining('no registered signing key "2"'),
    });
    const tampered = Buffer.from(signature);
    tampered[tampered.length - 1]! ^= 1;
    expect(refusal(() => submit({ preCommand, signature: tampered, keyId: '1' })).status).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
    const p1363 = sign('sha256', preCommand, { key: userKey.privateKey, dsaEncoding: 'ieee-p1363' });
    expect(refusal(() => submit({ preCommand, signature: p1363, keyId: '1' })).status).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
  });

  it('refuses tampered pre-command bytes even when the tampered bytes are signed (not issued by this hub)', () => {
    const { transform, submit } = setup();
    const wrapper = PreCommand.decode(transform().preCommand!);
    const content = PreCommandContent.decode(wrapper.content);
    const forged = Buffer.from(
      PreCommand.encode({
        content: Buffer.from(
          PreCommandContent.encode({ ...content, expiresAtMs: content.expiresAtMs * 2 }).finish(),
        ),
        hubMac: wrapper.hubMac,
      }).finish(),
    );
    expect(
      refusal(() => submit({ preCommand: forged, signature: signDer(forged), keyId: '1' })),
    ).toMatchObject({
      status: GrpcStatus.PERMISSION_DENIED,
      message: expect.stringContaining('not issued by this hub'),
    });
  });

  it('refuses a pre-command another hub (another key) issued: an unknown nonce', () => {
    const other = setup({ key: Buffer.alloc(32, 9) });
    const preCommand = other.transform().preCommand!;
    const { submit } = setup();
    expect(refusal(() => submit({ preCommand, signature: signDer(preCommand), keyId: '1' })).status).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
  });

  it('refuses an expired pre-command (FAILED_PRECONDITION: transform again)', () => {
    const { transform, submit, advance } = setup();
    const preCommand = transform().preCommand!;
    advance(60_001);
    expect(refusal(() => submit({ preCommand, signature: signDer(preCommand), keyId: '1' }))).toMatchObject({
      status: GrpcStatus.FAILED_PRECONDITION,
      message: expect.stringContaining('expired'),
    });
  });

  it('refuses a pre-command for another request, SRV or body (INVALID_ARGUMENT)', () => {
    const { transform, submit } = setup();
    const preCommand = transform().preCommand!;
    const signed = { preCommand, signature: signDer(preCommand), keyId: '1' };
    expect(refusal(() => submit(signed, { requestId: `${SUPPLIER}:${DEVICE}:1001` }))).toMatchObject({
      status: GrpcStatus.INVALID_ARGUMENT,
      message: expect.stringContaining('RequestID'),
    });
    expect(refusal(() => submit(signed, { serviceReferenceVariant: '7.1' })).status).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(refusal(() => submit(signed, { body: { $case: 'enableSupply', value: {} } })).status).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
  });

  it('refuses CV 5 without a signed pre-command, and garbage bytes', () => {
    const { submit } = setup();
    expect(refusal(() => submit(undefined)).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    const garbage = Buffer.from([0xff, 0xff, 0xff]);
    expect(
      refusal(() => submit({ preCommand: garbage, signature: signDer(garbage), keyId: '1' })).status,
    ).toBe(GrpcStatus.INVALID_ARGUMENT);
  });

  it('CV 1 of a critical SRV is E12', () => {
    expect(
      (() => {
        try {
          admit(request(1), users);
        } catch (error) {
          return (error as DccError).responseCode;
        }
      })(),
    ).toBe('E12');
  });
});

describe('local delivery (CV 6 and 7)', () => {
  const signedFor = (transform: () => { preCommand?: Buffer | undefined }) => {
    const preCommand = transform().preCommand!;
    return { preCommand, signature: signDer(preCommand), keyId: '1' };
  };
  const localStep = (preCommands: PreCommands, cv: number, signed: ServiceRequest['signedPreCommand']) =>
    preCommands.admit(admit(request(cv, { signedPreCommand: signed }), users)) as {
      admitted: AdmittedRequest;
    };

  it('verifies CV 6 and 7 as CV 5 and builds a countersigned LocalCommand carrying the signed pre-command', () => {
    const { preCommands, transform } = setup();
    for (const cv of [6, 7]) {
      const signed = signedFor(transform);
      const { admitted } = localStep(preCommands, cv, signed);
      const bytes = preCommands.localCommand(admitted);
      const content = preCommands.openLocalCommand(bytes);
      expect(content).toMatchObject({
        formatVersion: 1,
        requestId: `${SUPPLIER}:${DEVICE}:1000`,
        serviceReferenceVariant: '7.2',
        deviceId: DEVICE,
        userId: SUPPLIER,
        commandVariant: cv,
        request: { serviceReferenceVariant: '7.2', commandVariant: cv },
        issuedAtMs: 1_800_000_000_000,
        expiresAtMs: 1_800_000_060_000,
      });
      expect(Buffer.from(content.signedPreCommand!.preCommand)).toEqual(signed.preCommand);
      expect(content.request?.signedPreCommand).toBeUndefined();
    }
  });

  it('refuses CV 6 with a bad signature, a missing one or an expired pre-command, as CV 5', () => {
    const { preCommands, transform, advance } = setup();
    const signed = signedFor(transform);
    const forged = { ...signed, signature: signDer(signed.preCommand, otherKey) };
    expect(refusal(() => localStep(preCommands, 6, forged)).status).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(refusal(() => localStep(preCommands, 6, undefined)).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    advance(60_001);
    expect(refusal(() => localStep(preCommands, 6, signed)).status).toBe(GrpcStatus.FAILED_PRECONDITION);
  });

  it('a LocalCommand is refused when tampered with, countersigned by another hub, expired, or used as a pre-command', () => {
    const { preCommands, transform, advance } = setup();
    const { admitted } = localStep(preCommands, 6, signedFor(transform));
    const bytes = preCommands.localCommand(admitted);
    const wrapper = LocalCommand.decode(bytes);
    const tampered = LocalCommand.encode({
      content: Buffer.concat([wrapper.content, Buffer.from([0x50, 0x01])]),
      hubMac: wrapper.hubMac,
    }).finish();
    expect(refusal(() => preCommands.openLocalCommand(tampered)).status).toBe(GrpcStatus.PERMISSION_DENIED);
    const otherHub = setup({ key: Buffer.alloc(32, 9) }).preCommands;
    expect(refusal(() => otherHub.openLocalCommand(bytes)).status).toBe(GrpcStatus.PERMISSION_DENIED);
    // Domain-separated MAC: the local command's bytes are no pre-command of this hub.
    expect(
      refusal(() => localStep(preCommands, 5, { preCommand: bytes, signature: signDer(bytes), keyId: '1' }))
        .status,
    ).toBe(GrpcStatus.PERMISSION_DENIED);
    advance(60_001);
    expect(refusal(() => preCommands.openLocalCommand(bytes)).status).toBe(GrpcStatus.FAILED_PRECONDITION);
  });

  it('E17: a role that may not receive local commands is refused CV 2, 3, 6 and 7; CV 1 and 5 are not affected', () => {
    const network = parseEui64('90-B3-D5-1F-30-02-00-00');
    const directory = UserDirectory.fromConfig(JSON.stringify([{ id: network, roles: ['ED'] }]));
    const ed = (srv: string, cv: number) => ({
      requestId: `${network}:${DEVICE}:1`,
      commandVariant: cv,
      serviceReferenceVariant: srv,
      userRole: UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR,
      body: undefined,
    });
    const code = (r: ServiceRequest) => {
      try {
        admit(r, directory);
        return 'admitted';
      } catch (error) {
        return (error as DccError).responseCode;
      }
    };
    for (const cv of [2, 3]) expect(code(ed('7.4', cv))).toBe('E17');
    for (const cv of [6, 7]) expect(code(ed('6.15.1', cv))).toBe('E17');
    expect(code({ ...ed('7.4', 1), body: { $case: 'readSupplyStatus', value: {} } })).toBe('admitted');
    // A supplier may: CV 2 and 3 of a non-critical SRV are admitted.
    for (const cv of [2, 3]) {
      expect(() => admit({ ...request(cv), serviceReferenceVariant: '4.1.1' }, users)).not.toThrow();
    }
  });
});
