// How many symbols a Piper model can embed, read from the ONNX bytes: the row
// count of the initializer that a Gather node indexes with the `input` ids.
// ONNX Runtime only notices an id beyond it when a sentence uses that id
// ("indices element out of data bounds"), so loadVoice() checks the config's
// phoneme_id_map against it up front. A minimal protobuf walk: ModelProto.graph
// (7) -> GraphProto.node (1: input 1, op_type 4) and .initializer (5: dims 1, name 8).
import { VoxletError } from '../errors.js';
import { idBeyondSymbols } from './ids.js';

function* fields(bytes, start = 0, end = bytes.length) {
  let pos = start;
  const varint = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[pos++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  };
  while (pos < end) {
    const key = varint();
    const type = key % 8;
    const field = Math.floor(key / 8);
    if (type === 0) yield { field, value: varint() };
    else if (type === 2) {
      const length = varint();
      yield { field, start: pos, end: pos + length };
      pos += length;
    } else if (type === 1) pos += 8;
    else if (type === 5) pos += 4;
    else return; // groups are not used by ONNX
  }
}

function readVarint(bytes, pos) {
  let value = 0;
  for (let scale = 1; ; scale *= 128) {
    const byte = bytes[pos++];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
  }
}

const text = (bytes, { start, end }) => new TextDecoder().decode(bytes.subarray(start, end));

/** Rows of the embedding the `input` ids index, or null when the graph does not show one. */
export function embeddingRows(bytes) {
  const graph = [...fields(bytes)].find((f) => f.field === 7 && f.start !== undefined);
  if (!graph) return null;
  const tables = new Set();
  const dims = new Map();
  for (const item of fields(bytes, graph.start, graph.end)) {
    if (item.start === undefined) continue;
    if (item.field === 1) {
      const node = [...fields(bytes, item.start, item.end)];
      const opType = node.find((f) => f.field === 4);
      const inputs = node.filter((f) => f.field === 1).map((f) => text(bytes, f));
      if (opType && text(bytes, opType) === 'Gather' && inputs[1] === 'input') tables.add(inputs[0]);
    } else if (item.field === 5) {
      const tensor = [...fields(bytes, item.start, item.end)];
      const name = tensor.find((f) => f.field === 8);
      const first = tensor.find((f) => f.field === 1);
      if (!name || !first) continue;
      dims.set(text(bytes, name), first.value ?? readVarint(bytes, first.start)); // packed dims: the first

    }
  }
  for (const table of tables) if (dims.has(table)) return dims.get(table);
  return null;
}

/** Throws MODEL_MISMATCH when the config's phoneme_id_map uses ids the model cannot embed. */
export function checkIdsFitModel(config, modelBytes, modelName = 'the model') {
  const rows = modelBytes ? embeddingRows(modelBytes) : null;
  if (rows === null) return;
  const beyond = idBeyondSymbols(config.phoneme_id_map, rows);
  if (beyond) {
    throw new VoxletError(
      'MODEL_MISMATCH',
      `${modelName} embeds ${rows} symbols (ids 0..${rows - 1}), but the voice config's phoneme_id_map maps "${beyond.symbol}" to id ${beyond.id}` +
        `${config.num_symbols ? ` (its num_symbols says ${config.num_symbols})` : ''}: the config belongs to another model`,
    );
  }
}
