package io.attnstream.platform;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes raw Kafka bytes into an Avro record and validates it, for a source of {@link RawRecord}s
 * (the model-update path). A record that does not decode or fails validation goes to the {@link
 * DeadLetters#TAG} side output with the reason and its topic/partition/offset; the job keeps
 * running. The pipelines' record sources decode inside the source instead ({@link
 * DecodingDeserializer}), with the same {@link RecordDecoder}.
 */
public class DecodeFunction<T extends SpecificRecord>
        extends ProcessFunction<RawRecord, Sourced<T>> {
    private static final long serialVersionUID = 1L;

    private final RecordDecoder<T> decoder;
    private transient Counter decoded;
    private transient Counter rejected;

    public DecodeFunction(String job, Class<T> type, RecordValidator<T> validator) {
        this.decoder = new RecordDecoder<>(job, type, validator);
    }

    @Override
    public void open(OpenContext openContext) {
        AvroTrust.install();
        decoded = getRuntimeContext().getMetricGroup().counter("recordsDecoded");
        rejected = getRuntimeContext().getMetricGroup().counter("recordsDeadLettered");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<Sourced<T>> out) {
        Decoded<T> d =
                decoder.decode(
                        raw.topic, raw.partition, raw.offset, raw.timestamp, raw.key, raw.value);
        if (d.isValid()) {
            decoded.inc();
            out.collect(d.sourced());
        } else {
            rejected.inc();
            ctx.output(DeadLetters.TAG, d.deadLetter);
        }
    }
}
