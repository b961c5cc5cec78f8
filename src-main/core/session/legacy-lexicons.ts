import type { LexiconDoc } from '@atproto/lexicon'

/**
 * The pre-2023 session methods (seed 000). Old servers answer only these;
 * the current com.atproto.server.* names are in session-lexicons.ts.
 */
const sessionOutput = {
  encoding: 'application/json',
  schema: {
    type: 'object',
    required: ['accessJwt', 'refreshJwt', 'handle', 'did'],
    properties: {
      accessJwt: { type: 'string' },
      refreshJwt: { type: 'string' },
      handle: { type: 'string' },
      did: { type: 'string' },
    },
  },
} as const

export const legacySessionLexicons: LexiconDoc[] = [
  {
    lexicon: 1,
    id: 'com.atproto.session.create',
    defs: {
      main: {
        type: 'procedure',
        input: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['handle', 'password'],
            properties: { handle: { type: 'string' }, password: { type: 'string' } },
          },
        },
        output: sessionOutput,
      },
    },
  },
  {
    lexicon: 1,
    id: 'com.atproto.session.get',
    defs: {
      main: {
        type: 'query',
        output: {
          encoding: 'application/json',
          schema: {
            type: 'object',
            required: ['handle', 'did'],
            properties: { handle: { type: 'string' }, did: { type: 'string' } },
          },
        },
      },
    },
  },
  {
    lexicon: 1,
    id: 'com.atproto.session.refresh',
    defs: { main: { type: 'procedure', output: sessionOutput } },
  },
  { lexicon: 1, id: 'com.atproto.session.delete', defs: { main: { type: 'procedure' } } },
] as LexiconDoc[]
