/**
 * The session engine's model test (first half of its sequences; see ./engine-model.ts).
 * A failure prints fast-check's seed and the shrunk sequence.
 */
import { describeModel } from './engine-model'

describeModel(0)
