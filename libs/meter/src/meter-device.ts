import { DccError, GrpcStatus, type Eui64 } from '@dcc/domain';
import { ConsumptionModel } from './consumption-model.js';

/** What a meter answers to 4.1.1 Read Instantaneous Import Registers. */
export interface ImportRegisterReading {
  totalActiveImportWh: number;
  touActiveImportWh: number[];
  meterTimeMs: number;
}

/**
 * One simulated smart meter (ESME). Holds only what must persist between commands; consumption comes from
 * the deterministic model.
 */
export class MeterDevice {
  private readonly model: ConsumptionModel;

  constructor(
    readonly deviceId: Eui64,
    seed: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.model = new ConsumptionModel(deviceId, seed);
  }

  /** Executes one command; the SRV decides which behaviour runs. */
  execute(srv: string): ImportRegisterReading {
    switch (srv) {
      case '4.1.1':
        return this.readInstantaneousImportRegisters();
      default:
        throw new DccError(GrpcStatus.UNIMPLEMENTED, `SRV ${srv} is not supported by this device model`);
    }
  }

  readInstantaneousImportRegisters(): ImportRegisterReading {
    const now = this.clock();
    return {
      totalActiveImportWh: this.model.totalImportWh(now),
      touActiveImportWh: this.model.touRegistersWh(now),
      meterTimeMs: now,
    };
  }
}
