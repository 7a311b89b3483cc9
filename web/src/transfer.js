// postMessage transfers whole ArrayBuffers: a typed array that views part of a
// larger buffer is copied first, so transferring never detaches someone else's data.

/** The array itself when it owns its whole buffer, else a copy that does. */
export function ownBuffer(array) {
  return array.byteOffset === 0 && array.byteLength === array.buffer.byteLength ? array : array.slice();
}
