import encoding from 'k6/encoding';
import grpc from 'k6/net/grpc';
import { p1363ToDer, submitSigned, transformTariff, type Iteration } from '../model/index.ts';
import { signingKeyOf } from './hub-connection.ts';

const SUBMIT = 'dcc.v1.ServiceRequestsService/Submit';

/**
 * A critical command as a User sends it: command variant 4 (the hub answers I0 with the pre-command), sign the
 * pre-command's bytes exactly as received (ECDSA P-256, SHA-256; WebCrypto's signature converted to DER), then
 * command variant 5 with the same RequestID. Resolves with the CV 5 answer (or the CV 4 one when that failed).
 */
export async function signedTariffUpdate(client: grpc.Client, it: Iteration): Promise<grpc.Response> {
  const cv4 = transformTariff(it);
  const transformed = client.invoke(SUBMIT, { request: cv4 });
  const ack = (transformed.message as { acknowledgement?: { preCommand?: string } } | null)?.acknowledgement;
  if (transformed.status !== grpc.StatusOK || !ack?.preCommand) return transformed;
  const key = await crypto.subtle.importKey(
    'pkcs8',
    signingKeyOf(it.scenario.user),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const preCommand = encoding.b64decode(ack.preCommand, 'std');
  const raw = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, preCommand);
  const der = p1363ToDer(new Uint8Array(raw));
  const signature = encoding.b64encode(new Uint8Array(der).buffer as ArrayBuffer, 'std');
  return client.invoke(SUBMIT, { request: submitSigned(cv4, ack.preCommand, signature) });
}
