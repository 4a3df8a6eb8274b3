import type { Handlers } from './handler';
import type { evidenceOperations } from '../shared/ops/evidence';

export const evidenceHandlers: Handlers<keyof typeof evidenceOperations & string> = {};
