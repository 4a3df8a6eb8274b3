import type { Handlers } from './handler';
import type { modelOperations } from '../shared/ops/model';

export const modelHandlers: Handlers<keyof typeof modelOperations & string> = {};
