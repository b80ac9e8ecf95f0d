package io.attnstream.platform;

import io.attnstream.schema.AttentionMap;
import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FailureStage;
import io.attnstream.schema.FrameEncoding;
import io.attnstream.schema.HistoryWeight;
import io.attnstream.schema.Lineage;
import io.attnstream.schema.MaskEncoding;
import io.attnstream.schema.ModelUpdate;
import io.attnstream.schema.Recommendation;
import io.attnstream.schema.RecommendationAttention;
import io.attnstream.schema.ScoredItem;
import io.attnstream.schema.SegmentationAttention;
import io.attnstream.schema.SegmentationResult;
import io.attnstream.schema.SensorWeight;
import io.attnstream.schema.TrafficAttention;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.schema.TrafficReading;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * Shared Avro fixtures: where the schema files are, how to parse a schema file together with the
 * shared types of its directory, and one fully populated sample record (every field set, optional
 * ones non-null) per top-level schema.
 */
public final class SchemaFixtures {
    private SchemaFixtures() {}

    /** Event time shared by the samples; millisecond precision, as timestamp-millis keeps. */
    public static final Instant EVENT_TIME = Instant.ofEpochMilli(1_700_000_000_123L);

    public static final Instant PROCESSING_TIME = Instant.ofEpochMilli(1_700_000_000_456L);

    /** One supplier per top-level schema, keyed by schema name (= file name without .avsc). */
    private static final Map<String, Supplier<? extends SpecificRecord>> SAMPLES =
            Map.ofEntries(
                    Map.entry("CameraFrame", SchemaFixtures::cameraFrame),
                    Map.entry("SegmentationResult", SchemaFixtures::segmentationResult),
                    Map.entry("SegmentationAttention", SchemaFixtures::segmentationAttention),
                    Map.entry("TrafficReading", SchemaFixtures::trafficReading),
                    Map.entry("TrafficForecast", SchemaFixtures::trafficForecast),
                    Map.entry("TrafficAttention", SchemaFixtures::trafficAttention),
                    Map.entry("ClickEvent", SchemaFixtures::clickEvent),
                    Map.entry("Recommendation", SchemaFixtures::recommendation),
                    Map.entry("RecommendationAttention", SchemaFixtures::recommendationAttention),
                    Map.entry("DeadLetter", SchemaFixtures::deadLetter),
                    Map.entry("ModelUpdate", SchemaFixtures::modelUpdate));

    /** Names of the top-level schemas, for {@code @MethodSource}. */
    public static Stream<String> topLevelSchemaNames() {
        return new TreeSet<>(SAMPLES.keySet()).stream();
    }

    public static Collection<String> sampledSchemaNames() {
        return new TreeSet<>(SAMPLES.keySet());
    }

    /** A fresh, fully populated record of the named schema. */
    public static SpecificRecord sample(String schemaName) {
        Supplier<? extends SpecificRecord> s = SAMPLES.get(schemaName);
        if (s == null) {
            throw new IllegalArgumentException("no sample for schema " + schemaName);
        }
        return s.get();
    }

    // ----- schema files
    // -------------------------------------------------------------------------------------

    /**
     * schemas/ of the project: {@code -Dattnstream.schemas.dir} (set by surefire), else "schemas".
     */
    public static Path schemasDir() {
        return Paths.get(System.getProperty("attnstream.schemas.dir", "schemas"));
    }

    public static Path releasedRoot() {
        return schemasDir().resolve("released");
    }

    /** Released versions (numeric directory names under schemas/released), oldest first. */
    public static List<Path> releasedVersionDirs() {
        try (Stream<Path> dirs = Files.list(releasedRoot())) {
            return dirs.filter(Files::isDirectory)
                    .filter(d -> d.getFileName().toString().matches("\\d+"))
                    .sorted(
                            (a, b) ->
                                    Integer.compare(
                                            Integer.parseInt(a.getFileName().toString()),
                                            Integer.parseInt(b.getFileName().toString())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path latestReleasedDir() {
        List<Path> dirs = releasedVersionDirs();
        if (dirs.isEmpty()) {
            throw new IllegalStateException("no released schema versions under " + releasedRoot());
        }
        return dirs.get(dirs.size() - 1);
    }

    /** File names ending in .avsc directly in {@code dir} (not recursive), sorted. */
    public static TreeSet<String> avscFileNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".avsc"))
                    .collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses {@code dir/<name>.avsc} with a fresh parser that first learned every {@code
     * dir/common/*.avsc} type, the way the avro-maven-plugin's imports work.
     */
    public static Schema parseSchema(Path dir, String name) {
        Schema.Parser parser = new Schema.Parser();
        Path common = dir.resolve("common");
        try {
            if (Files.isDirectory(common)) {
                for (String file : avscFileNames(common)) {
                    parser.parse(Files.readString(common.resolve(file), StandardCharsets.UTF_8));
                }
            }
            return parser.parse(
                    Files.readString(dir.resolve(name + ".avsc"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ----- converting a sample to a generic record of another (e.g. released) schema
    // -----------------------

    /**
     * The sample's data as a {@link GenericRecord} of {@code writerSchema}, field by field by name,
     * in Avro's generic representation (timestamps as epoch millis, enums as symbols). Fields the
     * writer schema lacks are dropped; a writer field the sample lacks is an error (the sample must
     * cover every released field).
     */
    public static GenericRecord toGeneric(SpecificRecord record, Schema writerSchema) {
        return (GenericRecord) toGenericValue(record, writerSchema);
    }

    private static Object toGenericValue(Object value, Schema schema) {
        switch (schema.getType()) {
            case RECORD:
                {
                    SpecificRecord specific = (SpecificRecord) value;
                    Schema specificSchema = specific.getSchema();
                    GenericData.Record out = new GenericData.Record(schema);
                    for (Schema.Field f : schema.getFields()) {
                        Schema.Field source = specificSchema.getField(f.name());
                        if (source == null) {
                            throw new IllegalArgumentException(
                                    specificSchema.getName() + " has no field " + f.name());
                        }
                        out.put(f.name(), toGenericValue(specific.get(source.pos()), f.schema()));
                    }
                    return out;
                }
            case UNION:
                {
                    if (value == null) {
                        return null;
                    }
                    for (Schema branch : schema.getTypes()) {
                        if (branch.getType() != Schema.Type.NULL) {
                            return toGenericValue(value, branch);
                        }
                    }
                    throw new IllegalArgumentException("union without non-null branch: " + schema);
                }
            case ARRAY:
                {
                    List<Object> items = new ArrayList<>();
                    for (Object item : (List<?>) value) {
                        items.add(toGenericValue(item, schema.getElementType()));
                    }
                    return new GenericData.Array<>(schema, items);
                }
            case ENUM:
                return new GenericData.EnumSymbol(schema, value.toString());
            case LONG:
                return value instanceof Instant i ? i.toEpochMilli() : value;
            case BYTES:
                return ((ByteBuffer) value).duplicate();
            default:
                return value;
        }
    }

    // ----- samples
    // -----------------------------------------------------------------------------------------

    public static Lineage lineage() {
        return Lineage.newBuilder()
                .setTopic("traffic.readings")
                .setPartition(3)
                .setOffset(4_294_967_296L)
                .build();
    }

    public static CameraFrame cameraFrame() {
        return CameraFrame.newBuilder()
                .setCameraId("cam-7")
                .setFrameSeq(123_456L)
                .setEventTime(EVENT_TIME)
                .setWidth(2)
                .setHeight(1)
                .setEncoding(FrameEncoding.RGB8)
                .setData(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) 250, (byte) 251, (byte) 252}))
                .build();
    }

    public static SegmentationResult segmentationResult() {
        return SegmentationResult.newBuilder()
                .setPredictionId("pred-seg-1")
                .setModelName("video-attn-unet")
                .setModelVersion("3")
                .setCameraId("cam-7")
                .setFrameSeq(123_456L)
                .setEventTime(EVENT_TIME)
                .setProcessingTime(PROCESSING_TIME)
                .setLineage(lineage())
                .setWidth(2)
                .setHeight(2)
                .setClassNames(List.of("road", "car"))
                .setMask(ByteBuffer.wrap(new byte[] {0, 1, 1, 0}))
                .setClassFractions(List.of(0.5f, 0.5f))
                .setMaskEncoding(MaskEncoding.RAW8)
                .setFrameWidth(4)
                .setFrameHeight(4)
                .setLatencyMs(37L)
                .build();
    }

    public static SegmentationAttention segmentationAttention() {
        return SegmentationAttention.newBuilder()
                .setPredictionId("pred-seg-1")
                .setModelName("video-attn-unet")
                .setModelVersion("3")
                .setCameraId("cam-7")
                .setFrameSeq(123_456L)
                .setEventTime(EVENT_TIME)
                .setProcessingTime(PROCESSING_TIME)
                .setLineage(lineage())
                .setMaps(
                        List.of(
                                AttentionMap.newBuilder()
                                        .setName("gate-1")
                                        .setHeight(1)
                                        .setWidth(2)
                                        .setWeights(List.of(0.25f, 1.0f))
                                        .setLevels(ByteBuffer.wrap(new byte[] {64, (byte) 255}))
                                        .build(),
                                AttentionMap.newBuilder()
                                        .setName("bottleneck")
                                        .setHeight(2)
                                        .setWidth(1)
                                        .setWeights(List.of(0.75f, 0.25f))
                                        .build()))
                .build();
    }

    public static TrafficReading trafficReading() {
        return TrafficReading.newBuilder()
                .setNetworkId("los-loop")
                .setSensorId("773869")
                .setEventTime(EVENT_TIME)
                .setSpeedMph(64.375f)
                .setFlowVph(1_250.5f)
                .setOccupancy(0.125f)
                .build();
    }

    public static TrafficForecast trafficForecast() {
        return TrafficForecast.newBuilder()
                .setPredictionId("pred-traffic-1")
                .setModelName("traffic-forecaster")
                .setModelVersion("2")
                .setNetworkId("los-loop")
                .setSensorId("773869")
                .setEventTime(EVENT_TIME)
                .setProcessingTime(PROCESSING_TIME)
                .setLineage(lineage())
                .setStepSeconds(300)
                .setSpeedsMph(List.of(64.5f, 63.25f, 61.0f))
                .setInputsImputed(2)
                .setWindowClosedTime(PROCESSING_TIME.minusMillis(40))
                .build();
    }

    public static TrafficAttention trafficAttention() {
        return TrafficAttention.newBuilder()
                .setPredictionId("pred-traffic-1")
                .setModelName("traffic-forecaster")
                .setModelVersion("2")
                .setNetworkId("los-loop")
                .setSensorId("773869")
                .setEventTime(EVENT_TIME)
                .setProcessingTime(PROCESSING_TIME)
                .setLineage(lineage())
                .setTemporalWeights(List.of(0.125f, 0.375f, 0.5f))
                .setTopSensors(
                        List.of(
                                SensorWeight.newBuilder()
                                        .setSensorId("767541")
                                        .setWeight(0.625f)
                                        .build(),
                                SensorWeight.newBuilder()
                                        .setSensorId("767542")
                                        .setWeight(0.25f)
                                        .build()))
                .build();
    }

    public static ClickEvent clickEvent() {
        return ClickEvent.newBuilder()
                .setUserId("user-42")
                .setSessionId("session-9")
                .setEventId("evt-77")
                .setItemId("item-1001")
                .setEventType(ClickEventType.ADD_TO_CART)
                .setEventTime(EVENT_TIME)
                .setCandidates(List.of("item-1", "item-2"))
                .build();
    }

    public static Recommendation recommendation() {
        return Recommendation.newBuilder()
                .setPredictionId("pred-rec-1")
                .setModelName("clicks-sasrec")
                .setModelVersion("5")
                .setUserId("user-42")
                .setEventTime(EVENT_TIME)
                .setProcessingTime(PROCESSING_TIME)
                .setLineage(lineage())
                .setTopItems(
                        List.of(
                                ScoredItem.newBuilder().setItemId("item-7").setScore(3.5f).build(),
                                ScoredItem.newBuilder()
                                        .setItemId("item-8")
                                        .setScore(-1.25f)
                                        .build()))
                .setCandidateScores(
                        List.of(ScoredItem.newBuilder().setItemId("item-1").setScore(0.5f).build()))
                .setHistoryLength(17)
                .build();
    }

    public static RecommendationAttention recommendationAttention() {
        return RecommendationAttention.newBuilder()
                .setPredictionId("pred-rec-1")
                .setModelName("clicks-sasrec")
                .setModelVersion("5")
                .setUserId("user-42")
                .setEventTime(EVENT_TIME)
                .setProcessingTime(PROCESSING_TIME)
                .setLineage(lineage())
                .setHistory(
                        List.of(
                                HistoryWeight.newBuilder()
                                        .setItemId("item-3")
                                        .setPosition(0)
                                        .setWeight(0.25f)
                                        .build(),
                                HistoryWeight.newBuilder()
                                        .setItemId("item-4")
                                        .setPosition(1)
                                        .setWeight(0.75f)
                                        .build()))
                .build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setJob("traffic")
                .setStage(FailureStage.VALIDATE)
                .setReason("speed_mph 250.0 outside [0, 120.0]")
                .setErrorClass("java.io.IOException")
                .setSourceTopic("traffic.readings")
                .setSourcePartition(1)
                .setSourceOffset(99L)
                .setSourceTimestamp(EVENT_TIME)
                .setKey(ByteBuffer.wrap("773869".getBytes(StandardCharsets.UTF_8)))
                .setPayload(ByteBuffer.wrap(new byte[] {0, (byte) 0xff, 42}))
                .setFailedAt(PROCESSING_TIME)
                .build();
    }

    public static ModelUpdate modelUpdate() {
        return ModelUpdate.newBuilder()
                .setModelName("clicks-sasrec")
                .setModelVersion("6")
                .setLocation("file:///models/clicks-sasrec/6")
                .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .setIssuedAt(EVENT_TIME)
                .setIssuedBy("ci-job-17")
                .build();
    }
}
