// Fault fallback, the deployment guide's remedy table applied automatically:
//   model load failure        -> the next precision variant the voice lists
//   out of memory / a failed  -> a fresh session (frees ORT's arena), and on WebGPU
//   run / WebGPU device lost     the WASM backend; the failed chunk runs again, so
//                                the utterance in flight keeps every chunk and its position.
// Each step taken is recorded as { stage, from, to, code, message } for the caller to see.
import { VoxletError } from './errors.js';
import { PRECISION_PREFERENCE, isUrlSource, loadVoiceSource } from './voice-loader.js';

/** Error codes after which a run is retried on a fresh session / the WASM backend. */
export const RECOVERABLE_RUN_CODES = ['MODEL_RUN_FAILED', 'OUT_OF_MEMORY', 'DEVICE_LOST'];

/** A run error, classified: ORT's messages name lost devices and failed allocations. */
export function classifyRunError(error) {
  if (error?.code && error.code !== 'MODEL_RUN_FAILED') return error.code;
  const text = String(error?.cause?.message ?? error?.message ?? '');
  if (/device (was |is )?lost|GPUDevice.*lost|DXGI_ERROR_DEVICE_REMOVED/i.test(text)) return 'DEVICE_LOST';
  if (/out of memory|\boom\b|bad_alloc|failed to allocate|allocation failed/i.test(text)) return 'OUT_OF_MEMORY';
  return error?.code ?? 'MODEL_RUN_FAILED';
}

/**
 * Loads a voice and opens its session; with precision `auto` and a voice config
 * URL, a variant that fails to load (missing, corrupt, rejected by ORT) hands
 * over to the next in PRECISION_PREFERENCE. With `fallback`, an explicit precision is
 * only the first choice (a tuned plan's), and the others follow in that order.
 * @param {(loaded: object) => Promise<object>} open  creates the session for a loaded voice
 * @returns {Promise<{ loaded: object, opened: object, fallbacks: object[] }>}
 */
export async function loadWithFallback(source, { precision, fallback = false, readBytes, onProgress, open }) {
  const fallbacks = [];
  const tryOne = async (wanted) => {
    const loaded = await loadVoiceSource(source, { precision: wanted, readBytes, onProgress });
    return { loaded, opened: await open(loaded) };
  };
  const byUrl = isUrlSource(source);
  const order = precision === 'auto' ? PRECISION_PREFERENCE : fallback ? [precision, ...PRECISION_PREFERENCE.filter((p) => p !== precision)] : null;
  if (!order || !byUrl) return { ...(await tryOne(precision)), fallbacks };
  let firstError = null;
  for (const candidate of order) {
    try {
      const result = await tryOne(candidate);
      return { ...result, fallbacks };
    } catch (error) {
      if (isAbsentVariant(error)) continue;
      if (!isVariantFault(error)) throw error; // the config itself is bad: no variant can help
      firstError ??= error;
      fallbacks.push({ stage: 'load', from: candidate, to: null, code: error.code, message: error.message });
    }
  }
  throw firstError ?? new VoxletError('MODEL_NOT_FOUND', 'The voice lists no model that could be loaded');
}

// "This voice has no fp16 model" / "has only one model": not a fault, just not offered.
function isAbsentVariant(error) {
  return error?.code === 'INVALID_ARGUMENT' && /has no \S+ model|has only one model/.test(error.message);
}

/** A fault of one model file (absent, corrupt, refused by ORT, too big), not of the voice's config. */
export function isVariantFault(error) {
  return ['MODEL_NOT_FOUND', 'MODEL_TRUNCATED', 'MODEL_SIZE_MISMATCH', 'MODEL_CHECKSUM_MISMATCH', 'MODEL_LOAD_FAILED', 'MODEL_MISMATCH', 'OUT_OF_MEMORY'].includes(error?.code);
}
