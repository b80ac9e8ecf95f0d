package io.attnstream.clicks.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.attnstream.inference.BatchTranslator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Batches of user histories for the self-attentive sequence model. Every request becomes one row of
 * the model's fixed input shape (B, T): the last T items, left-padded with 0 (the padding item the
 * model masks), so one compiled shape serves all history lengths. Top-K is taken on the model side
 * over K + T items, then the user's own history is removed in Java, which avoids copying the whole
 * (B, V+1) score matrix out of native memory.
 */
public final class SequenceTranslator implements BatchTranslator<SequenceRequest, SequenceScores> {
    private static final long serialVersionUID = 1L;

    private final int maxLength;
    private final int topK;
    private final boolean perHead;

    public SequenceTranslator(int maxLength, int topK) {
        this(maxLength, topK, false);
    }

    /**
     * @param perHead also copy each head's attention (the model's third output) into the results
     */
    public SequenceTranslator(int maxLength, int topK, boolean perHead) {
        this.maxLength = maxLength;
        this.topK = topK;
        this.perHead = perHead;
    }

    public int maxLength() {
        return maxLength;
    }

    @Override
    public NDList toTensors(NDManager manager, List<SequenceRequest> batch) {
        int b = batch.size();
        long[] items = new long[b * maxLength];
        for (int r = 0; r < b; r++) {
            int[] h = batch.get(r).history;
            int n = Math.min(h.length, maxLength);
            // left padding: row r holds [0 ... 0, h[len-n] ... h[len-1]]
            for (int i = 0; i < n; i++) {
                items[r * maxLength + maxLength - n + i] = h[h.length - n + i];
            }
        }
        return new NDList(manager.create(items, new Shape(b, maxLength))); // (B, T) int64
    }

    @Override
    public List<SequenceScores> fromTensors(NDList outputs, List<SequenceRequest> batch) {
        NDArray scores = outputs.get(0); // (B, V+1)
        NDArray attention = outputs.get(1); // (B, T)
        int b = batch.size();
        long vocab = scores.getShape().get(1);
        int k = (int) Math.min(vocab - 1, topK + maxLength);
        NDList top = scores.topK(k, 1, true, true); // values (B, k), indices (B, k)
        float[] topValues = top.get(0).toFloatArray();
        long[] topIndices = top.get(1).toType(DataType.INT64, false).toLongArray();
        float[] att = attention.toFloatArray();
        NDArray heads = perHead ? outputs.get(2) : null; // (B, H, T)
        int h = heads == null ? 0 : (int) heads.getShape().get(1);
        float[] headAtt = heads == null ? null : heads.toFloatArray();
        float[][] candidateScores = candidateScores(scores, batch);

        List<SequenceScores> out = new ArrayList<>(b);
        for (int r = 0; r < b; r++) {
            SequenceRequest req = batch.get(r);
            Set<Integer> seen = new HashSet<>();
            for (int item : req.history) {
                seen.add(item);
            }
            int[] items = new int[topK];
            float[] values = new float[topK];
            int n = 0;
            for (int j = 0; j < k && n < topK; j++) {
                int item = (int) topIndices[r * k + j];
                if (item != 0 && !seen.contains(item)) {
                    items[n] = item;
                    values[n] = topValues[r * k + j];
                    n++;
                }
            }
            int used = Math.min(req.history.length, maxLength);
            float[] weights =
                    Arrays.copyOfRange(att, r * maxLength + maxLength - used, (r + 1) * maxLength);
            float[] headWeights = null;
            if (headAtt != null) {
                headWeights = new float[h * used];
                for (int i = 0;
                        i < h;
                        i++) { // row (r, i) starts at (r H + i) T; the history is its last `used`
                    System.arraycopy(
                            headAtt,
                            (r * h + i) * maxLength + maxLength - used,
                            headWeights,
                            i * used,
                            used);
                }
            }
            out.add(
                    new SequenceScores(
                            Arrays.copyOf(items, n),
                            Arrays.copyOf(values, n),
                            candidateScores[r],
                            weights,
                            headWeights));
        }
        return out;
    }

    /**
     * Scores of each request's candidates, gathered on the model side: (B, C) for the longest
     * candidate list.
     */
    private static float[][] candidateScores(NDArray scores, List<SequenceRequest> batch) {
        int b = batch.size();
        int c = 0;
        for (SequenceRequest r : batch) {
            c = Math.max(c, r.candidates == null ? 0 : r.candidates.length);
        }
        float[][] out = new float[b][];
        if (c == 0) {
            Arrays.fill(out, new float[0]);
            return out;
        }
        long[] idx = new long[b * c];
        for (int r = 0; r < b; r++) {
            int[] cand = batch.get(r).candidates == null ? new int[0] : batch.get(r).candidates;
            for (int j = 0; j < cand.length; j++) {
                idx[r * c + j] = cand[j];
            }
        }
        NDArray index = scores.getManager().create(idx, new Shape(b, c)); // (B, C)
        float[] gathered = scores.gather(index, 1).toFloatArray(); // (B, C)
        for (int r = 0; r < b; r++) {
            int n = batch.get(r).candidates == null ? 0 : batch.get(r).candidates.length;
            out[r] = Arrays.copyOfRange(gathered, r * c, r * c + n);
        }
        return out;
    }

    @Override
    public float[] attentionOf(SequenceScores result) {
        return result.attention;
    }
}
