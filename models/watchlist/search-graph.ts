import { int, OnnxGraphBuilder } from '../onnx';

/**
 * Similarity search as one ORT call: queries [Q, D] x entries [N, D]ᵀ → scores [Q, N], then TopK.
 * Both operands are L2-normalised, so the scores are cosine similarities.
 */
export function buildSearchModel(dimension: number): Uint8Array {
  const b = new OnnxGraphBuilder();
  b.addInput('queries', 'float32', ['Q', dimension]);
  b.addInput('entries', 'float32', ['N', dimension]);
  b.addInput('k', 'int64', [1]);
  const scores = b.addNode('Gemm', ['queries', 'entries'], ['scores'], { transB: int(1) });
  b.addNode('TopK', [scores, 'k'], ['similarities', 'rows'], { axis: int(1), largest: int(1), sorted: int(1) });
  b.addOutput('similarities', 'float32', ['Q', 'K']);
  b.addOutput('rows', 'int64', ['Q', 'K']);
  return b.toBytes({ graphName: 'watchlist_search' });
}
