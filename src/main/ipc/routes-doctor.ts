import type { doctorChannels } from '../../shared/doctor';
import type { DoctorService } from '../services/doctor/doctor';
import type { HandlersOf } from './router';

export function doctorHandlers(service: DoctorService): HandlersOf<keyof typeof doctorChannels> {
  return {
    'doctor.run': (request) => service.run(request),
  };
}
