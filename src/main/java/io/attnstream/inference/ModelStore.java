package io.attnstream.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.attnstream.platform.AttnstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Model directories: {@code <dir>/model.json} plus the DJL parameter file it names. A models root
 * holds {@code <root>/<name>/<version>/}; a model is referred to by a directory path or by {@code
 * name[@version]} (the latest version when none is given).
 *
 * <p>Loading checks, before anything is served: model.json exists and parses, the parameter file
 * exists and has the recorded SHA-256, the kind is known, the parameters load, and the rebuilt
 * block's output shapes equal the recorded ones. Each failure is one {@link AttnstreamException}
 * naming the file.
 */
public final class ModelStore {
    public static final String SPEC_FILE = "model.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    public ModelStore(Path root) {
        this.root = root;
    }

    /** A directory path (has model.json), or name[@version] under the root. */
    public Path resolve(String ref) {
        Path asPath = Path.of(ref);
        if (Files.isRegularFile(asPath.resolve(SPEC_FILE))) {
            return asPath;
        }
        int at = ref.indexOf('@');
        String name = at < 0 ? ref : ref.substring(0, at);
        Path modelDir = root.resolve(name);
        if (!Files.isDirectory(modelDir)) {
            throw new AttnstreamException(
                    "model '"
                            + ref
                            + "' not found: neither a directory with "
                            + SPEC_FILE
                            + " nor a model under "
                            + root.toAbsolutePath());
        }
        if (at >= 0) {
            Path dir = modelDir.resolve(ref.substring(at + 1));
            if (!Files.isRegularFile(dir.resolve(SPEC_FILE))) {
                throw new AttnstreamException(
                        "model '"
                                + ref
                                + "' not found: "
                                + dir.resolve(SPEC_FILE)
                                + " does not exist");
            }
            return dir;
        }
        return latestVersion(modelDir);
    }

    /**
     * The version a newly trained model {@code name} gets: one above the highest numeric version,
     * "1" if none.
     */
    public String nextVersion(String name) {
        Path modelDir = root.resolve(name);
        if (!Files.isDirectory(modelDir)) {
            return "1";
        }
        try (Stream<Path> s = Files.list(modelDir)) {
            long max =
                    s.map(d -> d.getFileName().toString())
                            .filter(v -> v.matches("\\d{1,18}"))
                            .mapToLong(Long::parseLong)
                            .max()
                            .orElse(0);
            return Long.toString(max + 1);
        } catch (IOException e) {
            throw new AttnstreamException("cannot list " + modelDir + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    private static Path latestVersion(Path modelDir) {
        try (Stream<Path> s = Files.list(modelDir)) {
            return s.filter(d -> Files.isRegularFile(d.resolve(SPEC_FILE)))
                    .max(
                            Comparator.comparing(
                                    d -> d.getFileName().toString(), ModelStore::compareVersions))
                    .orElseThrow(
                            () ->
                                    new AttnstreamException(
                                            "no version of model '"
                                                    + modelDir.getFileName()
                                                    + "' under "
                                                    + modelDir
                                                    + " has a "
                                                    + SPEC_FILE));
        } catch (IOException e) {
            throw new AttnstreamException("cannot list " + modelDir + ": " + e.getMessage(), e);
        }
    }

    /** Natural order: "2" < "10", "1.9" < "1.10"; numeric runs compare as numbers. */
    static int compareVersions(String a, String b) {
        String[] pa = a.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        String[] pb = b.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            int c;
            if (pa[i].chars().allMatch(Character::isDigit)
                    && pb[i].chars().allMatch(Character::isDigit)) {
                c = new BigInteger(pa[i]).compareTo(new BigInteger(pb[i]));
            } else {
                c = pa[i].compareTo(pb[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pa.length, pb.length);
    }

    public static ModelSpec readSpec(Path dir) {
        Path json = dir.resolve(SPEC_FILE);
        if (!Files.isRegularFile(json)) {
            throw new AttnstreamException("model directory " + dir + " has no " + SPEC_FILE);
        }
        ModelSpec spec;
        try {
            spec = JSON.readValue(json.toFile(), ModelSpec.class);
        } catch (IOException e) {
            throw new AttnstreamException(
                    json + " is not a valid model description: " + firstLine(e.getMessage()), e);
        }
        List<String> missing = new ArrayList<>();
        if (spec.name() == null) missing.add("name");
        if (spec.version() == null) missing.add("version");
        if (spec.kind() == null) missing.add("kind");
        if (spec.inputs() == null || spec.inputs().isEmpty()) missing.add("inputs");
        if (spec.outputs() == null || spec.outputs().isEmpty()) missing.add("outputs");
        if (spec.parameters() == null
                || spec.parameters().file() == null
                || spec.parameters().sha256() == null) {
            missing.add("parameters.file/sha256");
        }
        if (!missing.isEmpty()) {
            throw new AttnstreamException(json + " lacks " + String.join(", ", missing));
        }
        return spec;
    }

    /**
     * Loads and checks a model directory onto a device; see the class comment for what is checked.
     */
    public static LoadedModel load(Path dir, Device device) {
        ModelSpec spec = readSpec(dir);
        Path params = dir.resolve(spec.parameters().file());
        if (!Files.isRegularFile(params)) {
            throw new AttnstreamException(
                    "parameter file "
                            + params
                            + " named in "
                            + dir.resolve(SPEC_FILE)
                            + " does not exist");
        }
        String actual = sha256(params);
        if (!actual.equalsIgnoreCase(spec.parameters().sha256())) {
            throw new AttnstreamException(
                    "parameter file "
                            + params
                            + " is corrupt or was replaced: SHA-256 "
                            + actual
                            + ", model.json records "
                            + spec.parameters().sha256());
        }
        String where = dir.resolve(SPEC_FILE).toString();
        Block block = ModelFamilies.build(spec.kind(), spec.hyperParameters(), where);
        try {
            ModelFamilies.of(spec.kind(), where).preprocessing(spec); // a bad value fails here
        } catch (AttnstreamException e) {
            throw inFile(dir, e);
        }
        checkShapes(spec, block, dir);
        DjlEngine.pytorch(); // the engine through its one door: a readable error, NNPACK's switch
        Model model = Model.newInstance(spec.name(), device);
        try {
            model.setBlock(block);
            model.load(dir, parameterPrefix(spec.parameters().file()));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new AttnstreamException(
                    "cannot load parameters from " + params + ": " + firstLine(e.getMessage()), e);
        }
        model.setProperty("version", spec.version());
        return new LoadedModel(spec, model, dir);
    }

    /**
     * An error about "model.json" that names the file of the model in {@code dir} instead; other
     * errors as they are.
     */
    public static AttnstreamException inFile(Path dir, AttnstreamException e) {
        String message = e.getMessage();
        if (message == null || !message.startsWith("model.json ")) {
            return e;
        }
        return new AttnstreamException(
                dir.resolve(SPEC_FILE) + ": " + message.substring("model.json ".length()), e);
    }

    private static void checkShapes(ModelSpec spec, Block block, Path dir) {
        Shape[] in = spec.inputs().stream().map(t -> withBatch(t.shape())).toArray(Shape[]::new);
        Shape[] declared =
                spec.outputs().stream().map(t -> withBatch(t.shape())).toArray(Shape[]::new);
        Shape[] actual;
        try {
            actual = block.getOutputShapes(in);
        } catch (RuntimeException e) {
            throw new AttnstreamException(
                    dir.resolve(SPEC_FILE)
                            + ": input shapes "
                            + Arrays.toString(in)
                            + " do not fit the '"
                            + spec.kind()
                            + "' block: "
                            + firstLine(e.getMessage()),
                    e);
        }
        if (!Arrays.equals(actual, declared)) {
            throw new AttnstreamException(
                    dir.resolve(SPEC_FILE)
                            + ": shape mismatch: the block gives "
                            + Arrays.toString(actual)
                            + " for inputs "
                            + Arrays.toString(in)
                            + ", model.json declares "
                            + Arrays.toString(declared));
        }
    }

    /** Shape with the batch dimension (-1) set to 1. */
    public static Shape withBatch(long[] shape) {
        long[] s = shape.clone();
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                s[i] = 1;
            }
        }
        return new Shape(s);
    }

    /** DJL names parameter files {@code <prefix>-<epoch>.params}; load() wants the prefix. */
    static String parameterPrefix(String file) {
        String base =
                file.endsWith(".params")
                        ? file.substring(0, file.length() - ".params".length())
                        : file;
        return base.replaceFirst("-\\d{4}$", "");
    }

    /**
     * Writes a model directory: the parameters (DJL format), then model.json with their checksum.
     * The model's block must be initialised.
     *
     * @return the directory written
     */
    public static Path save(Model model, ModelSpec spec, Path dir) {
        try {
            Files.createDirectories(dir);
            model.setProperty("Epoch", "0");
            model.save(dir, spec.name());
            Path params = dir.resolve(spec.name() + "-0000.params");
            if (!Files.isRegularFile(params)) {
                throw new AttnstreamException("DJL did not write " + params);
            }
            ModelSpec full =
                    spec.withParameters(
                            new ModelSpec.ParameterFile(
                                    params.getFileName().toString(), sha256(params)));
            if (full.createdAt() == null) {
                full =
                        new ModelSpec(
                                full.name(),
                                full.version(),
                                full.kind(),
                                full.hyperParameters(),
                                full.inputs(),
                                full.outputs(),
                                full.preprocessing(),
                                full.trainingData(),
                                full.metrics(),
                                full.parameters(),
                                Instant.now().toString());
            }
            JSON.writeValue(dir.resolve(SPEC_FILE).toFile(), full);
            return dir;
        } catch (IOException e) {
            throw new AttnstreamException(
                    "cannot write model to " + dir + ": " + e.getMessage(), e);
        }
    }

    public static String sha256(Path file) {
        try (InputStream in =
                new DigestInputStream(
                        Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // digesting
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new AttnstreamException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
