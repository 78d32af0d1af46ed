import {
  createHmac,
  createPublicKey,
  randomBytes,
  timingSafeEqual,
  verify,
  type KeyObject,
} from 'node:crypto';
import { DccError, GrpcStatus, SIGNED_VARIANTS } from '@dcc/domain';
import {
  LocalCommand,
  LocalCommandContent,
  PreCommand,
  PreCommandContent,
  ServiceRequest,
  type Acknowledgement,
  type SignedPreCommand,
} from '@dcc/proto';
import type { AdmittedRequest } from './admission.js';
import type { SigningKey } from './user-directory.js';

/** Version of PreCommandContent this hub issues and accepts. */
export const PRE_COMMAND_FORMAT = 1;
const DEFAULT_TTL_MS = 10 * 60 * 1000;
/** An ECDSA P-256 DER signature is at most 72 bytes; anything much longer is not one. */
const MAX_SIGNATURE_BYTES = 80;
const MAX_PRE_COMMAND_BYTES = 64 * 1024;
/** Prefix of the bytes a LocalCommand's hub_mac covers, so it is never a valid PreCommand MAC (or vice versa). */
const LOCAL_COMMAND_DOMAIN = Buffer.from('dcc.v1.LocalCommand\0');

export interface PreCommandOptions {
  /** HMAC-SHA256 key marking pre-commands as this hub's (PRE_COMMAND_KEY); random when absent. */
  key?: Uint8Array;
  /** Validity of a pre-command after it was issued (PRE_COMMAND_TTL_MS). */
  ttlMs?: number;
  clock?: () => number;
}

/** What admission does next with a critical request: answer the transform now, or dispatch the signed one. */
export type CriticalStep = { acknowledgement: Acknowledgement } | { admitted: AdmittedRequest };

/**
 * The transform-and-sign path of critical SRVs (pre_command.proto):
 * - CV 4: `issue` encodes the admitted request as a PreCommandContent (canonical bytes), wraps it with the hub's
 *   HMAC and returns it in the acknowledgement (I0). Nothing is stored or sent.
 * - CV 5: `verify` checks the signed pre-command: it decodes (else INVALID_ARGUMENT), carries this hub's MAC
 *   (else PERMISSION_DENIED), is for this request: RequestID, SRV, device, User, role, and body if one is given
 *   (else INVALID_ARGUMENT), has not expired (else FAILED_PRECONDITION: transform again), and its signature
 *   verifies with the User's registered key `key_id` (else PERMISSION_DENIED). The request then travels with the
 *   parameters the User signed.
 * - CV 6 and 7 (local delivery): verified exactly as CV 5; request-intake.ts then returns `localCommand` (the
 *   command countersigned by the hub) and, for CV 7 only, dispatches it over the WAN (local-delivery.ts).
 * DCC-REFERENCE gives no DUIS response code for a bad signature, so these refusals are a gRPC status and a message.
 */
export class PreCommands {
  private readonly key: Uint8Array;
  private readonly ttlMs: number;
  private readonly clock: () => number;
  private readonly publicKeys = new Map<string, KeyObject>();

  constructor(options: PreCommandOptions = {}) {
    this.key = options.key ?? randomBytes(32);
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.clock = options.clock ?? Date.now;
  }

  /** The step for an admitted request: CV 4 → the pre-command; CV 5 → verified; other requests pass through. */
  admit(admitted: AdmittedRequest): CriticalStep {
    const { request, srv } = admitted;
    const signed = request.signedPreCommand;
    if (!srv.critical || (request.commandVariant !== 4 && !SIGNED_VARIANTS.has(request.commandVariant))) {
      if (signed) {
        throw DccError.invalidArgument(
          `signed_pre_command belongs to command variants 5, 6 and 7 of a critical SRV, not CV ${request.commandVariant} of SRV ${srv.srv}`,
        );
      }
      return { admitted };
    }
    if (request.commandVariant === 4) {
      if (signed) throw DccError.invalidArgument('command variant 4 asks for a pre-command; it carries none');
      return {
        acknowledgement: {
          requestId: request.requestId,
          responseCode: 'I0',
          statusCode: GrpcStatus.OK,
          detail: `pre-command for SRV ${srv.srv}: sign it (ECDSA P-256, SHA-256, DER) and submit it with command variant 5`,
          preCommand: Buffer.from(this.issue(admitted)),
        },
      };
    }
    const content = this.verify(admitted);
    return {
      admitted: {
        ...admitted,
        request: { ...request, body: content.request?.body },
      },
    };
  }

  /** CV 4: the pre-command bytes (an encoded PreCommand) for an admitted critical request. */
  issue(admitted: AdmittedRequest): Uint8Array {
    const now = this.clock();
    const { signedPreCommand: _none, ...rest } = admitted.request;
    const content = PreCommandContent.encode({
      formatVersion: PRE_COMMAND_FORMAT,
      requestId: admitted.request.requestId,
      serviceReferenceVariant: admitted.srv.srv,
      deviceId: admitted.id.target,
      userId: admitted.id.originator,
      request: { ...rest, commandVariant: 4 },
      nonce: randomBytes(16),
      issuedAtMs: now,
      expiresAtMs: now + this.ttlMs,
    }).finish();
    return PreCommand.encode({ content: Buffer.from(content), hubMac: this.mac(content) }).finish();
  }

  /** CV 5: the signed pre-command's content, once every check passed (see the class comment). */
  verify(admitted: AdmittedRequest): PreCommandContent {
    const { request, user, id, srv } = admitted;
    const signed = request.signedPreCommand;
    if (!signed || signed.preCommand.length === 0) {
      throw DccError.invalidArgument(
        `command variant ${request.commandVariant} of SRV ${srv.srv} needs signed_pre_command: the pre-command from its CV 4 submission, signed`,
      );
    }
    if (signed.preCommand.length > MAX_PRE_COMMAND_BYTES) {
      throw DccError.invalidArgument(
        `signed_pre_command.pre_command is longer than ${MAX_PRE_COMMAND_BYTES} bytes`,
      );
    }
    const wrapper = decode(PreCommand, signed.preCommand, 'signed_pre_command.pre_command');
    const expected = this.mac(wrapper.content);
    if (wrapper.hubMac.length !== expected.length || !timingSafeEqual(wrapper.hubMac, expected)) {
      throw new DccError(
        GrpcStatus.PERMISSION_DENIED,
        'the pre-command was not issued by this hub (or the hub restarted since): submit command variant 4 again',
      );
    }
    const content = decode(PreCommandContent, wrapper.content, 'the pre-command content');
    if (content.formatVersion !== PRE_COMMAND_FORMAT) {
      throw DccError.invalidArgument(
        `pre-command format ${content.formatVersion} is not ${PRE_COMMAND_FORMAT}`,
      );
    }
    const mismatch = [
      ['RequestID', content.requestId, request.requestId],
      ['SRV', content.serviceReferenceVariant, srv.srv],
      ['device', content.deviceId, id.target],
      ['User', content.userId, id.originator],
      ['user_role', String(content.request?.userRole), String(request.userRole)],
    ].find(([, signedValue, submitted]) => signedValue !== submitted);
    if (mismatch) {
      const [what, signedValue, submitted] = mismatch;
      throw DccError.invalidArgument(
        `the signed pre-command does not match this request: its ${what} is ${signedValue}, the request's ${submitted}`,
      );
    }
    if (request.body && !sameBody(request.body, content.request?.body)) {
      throw DccError.invalidArgument(
        'the request body differs from the parameters in the signed pre-command (omit it, or send the same)',
      );
    }
    if (this.clock() > content.expiresAtMs) {
      throw new DccError(
        GrpcStatus.FAILED_PRECONDITION,
        `the pre-command expired at ${new Date(content.expiresAtMs).toISOString()}: submit command variant 4 again`,
      );
    }
    this.checkSignature(signed, user.signingKeys ?? [], user.id);
    return content;
  }

  /**
   * Local delivery (CV 2, 3, 6, 7): the encoded LocalCommand for an admitted request, countersigned with the hub
   * key. For CV 6/7 `admitted.request.body` is already the signed parameters (admit) and the signed pre-command
   * travels along; it expires with the pre-command TTL after now.
   */
  localCommand(admitted: AdmittedRequest): Buffer {
    const now = this.clock();
    const { signedPreCommand, ...request } = admitted.request;
    const content = LocalCommandContent.encode({
      formatVersion: PRE_COMMAND_FORMAT,
      requestId: request.requestId,
      serviceReferenceVariant: admitted.srv.srv,
      deviceId: admitted.id.target,
      userId: admitted.id.originator,
      commandVariant: request.commandVariant,
      request,
      signedPreCommand,
      issuedAtMs: now,
      expiresAtMs: now + this.ttlMs,
    }).finish();
    return Buffer.from(
      LocalCommand.encode({ content: Buffer.from(content), hubMac: this.localMac(content) }).finish(),
    );
  }

  /**
   * What a device or hand-held terminal holding the hub key checks before delivering a LocalCommand: it decodes,
   * carries this hub's countersignature (else PERMISSION_DENIED) and has not expired (else FAILED_PRECONDITION).
   */
  openLocalCommand(bytes: Uint8Array): LocalCommandContent {
    const wrapper = decode(LocalCommand, bytes, 'the local command');
    const expected = this.localMac(wrapper.content);
    if (wrapper.hubMac.length !== expected.length || !timingSafeEqual(wrapper.hubMac, expected)) {
      throw new DccError(GrpcStatus.PERMISSION_DENIED, 'the local command is not countersigned by this hub');
    }
    const content = decode(LocalCommandContent, wrapper.content, 'the local command content');
    if (this.clock() > content.expiresAtMs) {
      throw new DccError(
        GrpcStatus.FAILED_PRECONDITION,
        `the local command expired at ${new Date(content.expiresAtMs).toISOString()}`,
      );
    }
    return content;
  }

  private localMac(content: Uint8Array): Buffer {
    return createHmac('sha256', this.key).update(LOCAL_COMMAND_DOMAIN).update(content).digest();
  }

  private checkSignature(signed: SignedPreCommand, keys: readonly SigningKey[], userId: string): void {
    const key = keys.find((k) => k.keyId === signed.keyId);
    if (!key) {
      throw new DccError(
        GrpcStatus.PERMISSION_DENIED,
        `User ${userId} has no registered signing key "${signed.keyId}"`,
      );
    }
    if (!verifyPreCommandSignature(this.publicKey(key.publicKeyPem), signed)) {
      throw new DccError(
        GrpcStatus.PERMISSION_DENIED,
        `the pre-command signature does not verify with signing key "${key.keyId}" of User ${userId} (ECDSA P-256, SHA-256, DER)`,
      );
    }
  }

  private publicKey(pem: string): KeyObject {
    let key = this.publicKeys.get(pem);
    if (!key) {
      key = createPublicKey(pem);
      this.publicKeys.set(pem, key);
    }
    return key;
  }

  private mac(content: Uint8Array): Buffer {
    return createHmac('sha256', this.key).update(content).digest();
  }
}

/** ECDSA P-256 / SHA-256 over the pre-command bytes, signature DER; false for any malformed signature. */
export function verifyPreCommandSignature(publicKey: KeyObject, signed: SignedPreCommand): boolean {
  if (signed.signature.length === 0 || signed.signature.length > MAX_SIGNATURE_BYTES) return false;
  try {
    return verify('sha256', signed.preCommand, { key: publicKey, dsaEncoding: 'der' }, signed.signature);
  } catch {
    return false;
  }
}

function decode<T>(codec: { decode(bytes: Uint8Array): T }, bytes: Uint8Array, what: string): T {
  try {
    return codec.decode(bytes);
  } catch (error) {
    throw DccError.invalidArgument(`${what} is not a dcc.v1 pre-command: ${(error as Error).message}`);
  }
}

function sameBody(a: ServiceRequest['body'], b: ServiceRequest['body']): boolean {
  const bytes = (body: ServiceRequest['body']) =>
    Buffer.from(
      ServiceRequest.encode({
        requestId: '',
        commandVariant: 0,
        serviceReferenceVariant: '',
        userRole: 0,
        body,
      }).finish(),
    );
  return bytes(a).equals(bytes(b));
}
