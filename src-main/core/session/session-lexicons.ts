import type { LexiconDoc } from '@atproto/lexicon'
import docs from './session-lexicons.json' with { type: 'json' }

/**
 * The lexicons of the methods the session client calls and every lexicon
 * they refer to, as @atproto/api ships them. Kept as data rather than imported:
 * @atproto/api brings every lexicon there is (640 kB) into the app's bundle.
 * tests/unit/session-lexicons.test.ts keeps this file equal to @atproto/api's
 * (SKYSWITCH_UPDATE_LEXICONS=1 rewrites it; then prettier --write).
 */
// The JSON import types widen `lexicon: 1` to number; the unit test checks the content.
export const sessionLexicons = docs as unknown as LexiconDoc[]
