/** The page's one runtime client (its worker is created on first use, so tfjs loads only then). */
import { RuntimeClient } from '../runtime/client';

let client: RuntimeClient | null = null;

/** The shared RuntimeClient. */
export const runtime = (): RuntimeClient => (client ??= new RuntimeClient());
