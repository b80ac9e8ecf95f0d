package io.attnstream.inference;

import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * Lets a DJL {@code Predictor} run a {@link BatchTranslator}: the runtime forms batches itself, so
 * DJL's batchifier is off. DJL runs each call in a {@link TranslatorContext} whose NDManager is a
 * sub-manager of the model's and is closed after the call: every forward pass allocates in a closed
 * scope.
 */
public final class BatchTranslatorAdapter<I, O> implements NoBatchifyTranslator<List<I>, List<O>> {
    private final BatchTranslator<I, O> translator;

    public BatchTranslatorAdapter(BatchTranslator<I, O> translator) {
        this.translator = translator;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<I> input) {
        ctx.setAttachment("batch", input);
        return translator.toTensors(ctx.getNDManager(), input);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<O> processOutput(TranslatorContext ctx, NDList list) {
        return translator.fromTensors(list, (List<I>) ctx.getAttachment("batch"));
    }
}
