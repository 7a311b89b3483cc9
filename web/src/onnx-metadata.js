// The metadata_props of an ONNX model (ModelProto field 14: key 1, value 2), read
// from the bytes without a protobuf library: only the top level is walked, and
// the graph (the bulk of the file) is skipped by its length prefix. sherpa-onnx
// keeps a converted Piper voice's settings there (piper-config.js reads them).

/** @returns {Record<string, string>} the model's metadata_props (empty when none or unreadable) */
export function onnxMetadata(bytes) {
  const metadata = {};
  try {
    for (const entry of topLevelFields(bytes)) {
      if (entry.field !== 14 || entry.end === undefined) continue;
      const pair = {};
      for (const part of topLevelFields(bytes, entry.start, entry.end)) {
        if (part.end !== undefined && (part.field === 1 || part.field === 2)) pair[part.field] = utf8(bytes, part);
      }
      if (pair[1] !== undefined) metadata[pair[1]] = pair[2] ?? '';
    }
  } catch {
    return {}; // not an ONNX model: the session creation reports that in words
  }
  return metadata;
}

// Length-delimited fields yield { field, start, end }; others { field } (values not needed).
function* topLevelFields(bytes, start = 0, end = bytes.length) {
  let pos = start;
  const varint = () => {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      if (pos >= end) throw new RangeError('truncated varint');
      const byte = bytes[pos++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
  };
  while (pos < end) {
    const key = varint();
    const type = key % 8;
    const field = Math.floor(key / 8);
    if (type === 0) varint();
    else if (type === 1) pos += 8;
    else if (type === 5) pos += 4;
    else if (type === 2) {
      const length = varint();
      if (pos + length > end) throw new RangeError('field beyond the message');
      yield { field, start: pos, end: pos + length };
      pos += length;
      continue;
    } else throw new RangeError(`wire type ${type}`); // groups: never in ONNX
    yield { field };
  }
}

function utf8(bytes, { start, end }) {
  return new TextDecoder().decode(bytes.subarray(start, end));
}
