// The same change as v2-change.ts without its patched() guard: replaying a v1 history on it must fail.
import { v2Interceptors } from './v2-change.js';

export const interceptors = v2Interceptors(false);
