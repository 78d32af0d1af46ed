import { DurablePublisher, ensureHubStreams } from '@dcc/bus';
import { ServiceRequestsServiceService } from '@dcc/proto';
import { tolerantDefinition, type ServiceModule } from '@dcc/service-kit';
import { accessControlConfig } from './config.js';
import { simulatedFleetDirectory } from './device-directory.js';
import { RequestIntake } from './request-intake.js';
import { ResponseStreams } from './response-stream.js';
import { ServiceRequestsApi } from './service-requests-api.js';
import { UserDirectory } from './user-directory.js';

/** access-control: the DCC User Interface. */
export const accessControl: ServiceModule<typeof accessControlConfig> = {
  name: 'access-control',
  defaultGrpcPort: 50061,
  config: accessControlConfig,
  async start({ config, nc, requester, log }) {
    await ensureHubStreams(nc);
    const users = UserDirectory.fromConfig(config.USERS);
    const intake = new RequestIntake({
      users,
      devices: simulatedFleetDirectory(config.FLEET_SIZE),
      publisher: new DurablePublisher(requester),
      partitions: config.METER_PARTITIONS,
    });
    const api = new ServiceRequestsApi(intake, new ResponseStreams(nc, users, log), config.STREAM_WINDOW);
    return {
      grpc: [
        {
          name: 'dcc.v1.ServiceRequestsService',
          definition: tolerantDefinition(ServiceRequestsServiceService),
          implementation: api.implementation(),
        },
      ],
      drain: () => api.drain(),
    };
  },
};
