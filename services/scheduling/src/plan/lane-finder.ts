import { requestTyped, subjects, type Requester } from '@dcc/bus';
import { DccError } from '@dcc/domain';
import { AuthoriseRegistrationRequest, AuthoriseRegistrationResponse, type ScheduledRun } from '@dcc/proto';
import { laneOf, type PlanLane } from './plan-lanes.js';

const TIMEOUT_MS = 2_000;

/**
 * Which capacity lane a run belongs to, from the Smart Metering Inventory (registration's
 * `dcc.registration.authorise`, asked as access control asks, for the run's User, role and device at its due
 * time): the CSP region of a SMETS2 installation, the cohort of a SMETS1 meter point. The answer carries the
 * device's facts whether or not the User may address it; access control decides that when the run is
 * released. Registration unavailable: UNAVAILABLE, the run stays in the due index and is tried again.
 */
export class LaneFinder {
  constructor(private readonly requester: Requester) {}

  async laneOf(run: ScheduledRun): Promise<PlanLane> {
    try {
      const answer = await requestTyped(
        this.requester,
        subjects.registrationAuthorise,
        {
          codec: AuthoriseRegistrationRequest,
          message: {
            userId: run.userId,
            userRole: run.userRole,
            deviceId: run.deviceId,
            instantMs: run.dueMs,
          },
        },
        AuthoriseRegistrationResponse,
        TIMEOUT_MS,
      );
      return laneOf(answer);
    } catch (error) {
      throw DccError.unavailable(`registration unavailable: ${(error as Error).message}`);
    }
  }
}
