import type { HanLinkReport, MeterCommand, ServiceResponse } from '@dcc/proto';

/**
 * The HAN link an executed join or unjoin (8.7.x, 8.8.x) makes or breaks, as registration is told it; undefined
 * for any other answer (another SRV, or a join the device refused).
 */
export function hanLinkReportOf(command: MeterCommand, response: ServiceResponse): HanLinkReport | undefined {
  const body = response.body;
  if (response.responseCode !== 'I0' || !command.request) return undefined;
  if (body?.$case !== 'serviceJoined' && body?.$case !== 'serviceUnjoined') return undefined;
  return {
    deviceId: command.deviceId,
    otherDeviceId: body.value.otherDeviceId,
    joined: body.$case === 'serviceJoined',
    requestId: command.request.requestId,
  };
}
