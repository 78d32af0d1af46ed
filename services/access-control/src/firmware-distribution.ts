import { FIRMWARE_TRANSFER_HEADER, subjects, type DurablePublisher } from '@dcc/bus';
import {
  DccError,
  otaImageFacts,
  parseEui64,
  partitionOf,
  requireSrv,
  type OtaImageFacts,
} from '@dcc/domain';
import { FirmwareTransfer, type FirmwareDistribution, type ServiceResponse } from '@dcc/proto';
import type { Context } from '@opentelemetry/api';
import type { RoutedRequest } from './admission.js';
import type { RegistrationCheck, RegistrationGrant } from './registration-check.js';

/** Where accepted images are kept once, by hash (@dcc/bus FirmwareImageStore). */
export interface FirmwareImageSink {
  put(hash: string, image: Uint8Array): Promise<void>;
}

export interface FirmwareDistributionDeps {
  images: FirmwareImageSink;
  publisher: DurablePublisher;
  registration: RegistrationCheck;
  /** METER_MAIL partitions (the device's mail subject). */
  partitions: number;
}

type FirmwareBody = Extract<
  NonNullable<ServiceResponse['body']> | NonNullable<RoutedRequest['request']['body']>,
  { $case: 'updateFirmware' | 'updatePpmidFirmware' }
>;

/** Activating the image (11.3) is what the devices will be asked next: they must be ones it applies to. */
const ACTIVATE = requireSrv('11.3');

/**
 * 11.1 Update Firmware and 11.4 Update PPMID Firmware, after the body passed the SRV table's rules (a whole OTA
 * image within the size limit, the version, the device list): every listed device is judged as an 11.3 to it
 * would be now (registration: E19 unknown, E11 a type firmware does not apply to, E4 not the User's, E5 its
 * status), and 11.1 takes no PPMID while 11.4 takes only PPMIDs (E11). One device refused refuses the request:
 * nothing is kept or sent. Then the image is kept once under its SHA-256, each device's mail gets a
 * FirmwareTransfer naming it (its generation's adapter carries it: libs/meter-delivery firmware-transfer.ts), and
 * the answer names the hash an 11.3 activates it by. The transfers' outcomes come as alerts (0x8F8A / 0x8F89).
 */
export class FirmwareDistributor {
  constructor(private readonly deps: FirmwareDistributionDeps) {}

  async answer(
    routed: RoutedRequest,
    nowMs: number,
    trace: Context,
  ): Promise<NonNullable<ServiceResponse['body']>> {
    const body = routed.request.body as FirmwareBody | undefined;
    if (body?.$case !== 'updateFirmware' && body?.$case !== 'updatePpmidFirmware') {
      throw DccError.invalidArgument(`SRV ${routed.srv.srv} takes a firmware image body`);
    }
    const { firmwareImage, firmwareVersion, deviceIds } = body.value;
    const ppmidOnly = body.$case === 'updatePpmidFirmware';
    const grants: [string, RegistrationGrant][] = [];
    for (const id of deviceIds) {
      const target = parseEui64(id, 'deviceIds');
      grants.push([target, await this.judge(routed, target, ppmidOnly, nowMs)]);
    }
    const facts = otaImageFacts(firmwareImage);
    await this.deps.images.put(facts.hash, firmwareImage);
    const version = firmwareVersion.toUpperCase();
    for (const [deviceId, grant] of grants) {
      await this.mail(routed, deviceId, grant, facts, version, nowMs, trace);
    }
    const value = distribution(facts, version, grants);
    return ppmidOnly ? { $case: 'ppmidFirmwareDistributed', value } : { $case: 'firmwareDistributed', value };
  }

  private async judge(
    routed: RoutedRequest,
    target: ReturnType<typeof parseEui64>,
    ppmidOnly: boolean,
    nowMs: number,
  ): Promise<RegistrationGrant> {
    const grant = await this.deps.registration.check(
      {
        request: {
          ...routed.request,
          serviceReferenceVariant: ACTIVATE.srv,
          commandVariant: 4,
          body: undefined,
        },
        id: { ...routed.id, target },
        srv: ACTIVATE,
      },
      nowMs,
    );
    const ppmid = grant.deviceType === 'PPMID';
    if (ppmidOnly && !ppmid) {
      throw DccError.duis('E11', `SRV 11.4 updates PPMIDs; ${target} is a ${grant.deviceType} (use 11.1)`);
    }
    if (!ppmidOnly && ppmid)
      throw DccError.duis('E11', `SRV 11.1 does not update PPMIDs; ${target} is one (use 11.4)`);
    return grant;
  }

  /** The device's mail: a FirmwareTransfer, message id per (device, image, request) so a retry is not sent twice. */
  private async mail(
    routed: RoutedRequest,
    deviceId: string,
    grant: RegistrationGrant,
    facts: OtaImageFacts,
    version: string,
    nowMs: number,
    trace: Context,
  ): Promise<void> {
    const target = parseEui64(deviceId);
    const transfer: FirmwareTransfer = {
      deviceId,
      imageHash: facts.hash,
      firmwareVersion: version,
      requestId: routed.request.requestId,
      userId: routed.id.originator,
      sentAtMs: nowMs,
      deviceType: grant.deviceType,
    };
    await this.deps.publisher.publish(
      subjects.meterMail(grant.path, partitionOf(target, this.deps.partitions), target),
      FirmwareTransfer,
      transfer,
      `firmware:${deviceId}:${facts.hash}:${routed.request.requestId}`,
      trace,
      { [FIRMWARE_TRANSFER_HEADER]: '1' },
    );
  }
}

function distribution(
  facts: OtaImageFacts,
  version: string,
  grants: readonly [string, RegistrationGrant][],
): FirmwareDistribution {
  return {
    imageHash: facts.hash,
    firmwareVersion: version,
    imageSizeBytes: facts.sizeBytes,
    manufacturerCode: facts.manufacturerCode,
    imageType: facts.imageType,
    otaFileVersion: facts.fileVersion,
    targets: grants.map(([deviceId, grant]) => ({ deviceId, commsHubId: grant.commsHubId })),
  };
}
