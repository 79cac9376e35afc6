import { z } from 'zod';

// zod 4 probes for `new Function` (its JIT for object parsing) whenever an object schema is built,
// and our CSP (no 'unsafe-eval') reports that probe as a violation even though zod catches the
// failure. Imported first by lazy-signed-in-app.tsx, so it runs before the protocol's schemas are
// built. The sign-in page's chunk has no zod at all: keep it that way (the bundle budget and
// e2e/tests/first-page.spec.ts check it).
z.config({ jitless: true });
