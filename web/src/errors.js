// One error class for everything Voxlet reports. `code` is a stable name
// (e.g. "MALFORMED_SSML", "INVALID_CONFIG", "INVALID_ARGUMENT"); the message
// says what is wrong and what to do.
export class VoxletError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'VoxletError';
    this.code = code;
  }
}

// Parses an engine reply (JSON) and throws its error, if any, as a VoxletError.
export function unwrapEngineReply(replyJson) {
  const reply = JSON.parse(replyJson);
  if (reply && reply.error) throw new VoxletError(reply.error.code, reply.error.message);
  return reply;
}
