package io.attnstream.video.cli;

import io.attnstream.cli.CommonOptions;
import io.attnstream.cli.Main;
import io.attnstream.cli.ProduceDuration;
import io.attnstream.cli.ProducingRun;
import io.attnstream.platform.Topics;
import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.sim.CameraFrameStream;
import io.attnstream.video.sim.FrameFaults;
import io.attnstream.video.sim.StreetSceneGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code produce video}: the street-scene generator, or a replay of an image folder, with faults on
 * request.
 */
@Command(
        name = "video",
        mixinStandardHelpOptions = true,
        description =
                "Write CameraFrames to Kafka: synthetic street scenes (a moving sequence per"
                    + " camera), or a replay of a folder of PNG/JPEG pictures (sorted by name), at"
                    + " a given frame rate per camera.")
public final class ProduceVideoCommand implements Callable<Integer> {
    @Option(
            names = "--replay",
            paramLabel = "DIR",
            description = "Replay the pictures in this folder instead of generating.")
    Path replay;

    @Option(
            names = "--loop",
            description = "Replay: start again at the first picture after the last.")
    boolean loop;

    @Option(
            names = "--cameras",
            defaultValue = "2",
            description =
                    "Cameras; a replay gives each camera the folder from another starting picture"
                            + " (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(
            names = "--fps",
            defaultValue = "2",
            description = "Frames per second per camera (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(
            names = "--width",
            defaultValue = "320",
            description = "Generated frame width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(
            names = "--height",
            defaultValue = "240",
            description = "Generated frame height (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(
            names = "--encoding",
            defaultValue = "JPEG",
            description =
                    "Generated frames' encoding: ${COMPLETION-CANDIDATES} (default:"
                            + " ${DEFAULT-VALUE}; PNG costs ~10-30 ms a frame to encode).")
    FrameEncoding encoding;

    @Option(
            names = "--oversize-rate",
            defaultValue = "0",
            description =
                    "Fraction of frames with more bytes than --oversize-bytes (default:"
                            + " ${DEFAULT-VALUE}).")
    double oversizeRate;

    @Option(
            names = "--oversize-bytes",
            defaultValue = "900000",
            description =
                    "Length of an oversize frame: above the job's attnstream.video.max-frame-bytes"
                            + " and below Kafka's message limit (1 MB by default) (default:"
                            + " ${DEFAULT-VALUE}).")
    long oversizeBytes;

    @Option(
            names = "--huge-header-rate",
            defaultValue = "0",
            description =
                    "Fraction of frames that are tiny PNGs whose header claims 50,000 x 50,000"
                            + " (default: ${DEFAULT-VALUE}).")
    double hugeHeaderRate;

    @Option(
            names = "--truncated-rate",
            defaultValue = "0",
            description = "Fraction of frames cut short (default: ${DEFAULT-VALUE}).")
    double truncatedRate;

    @Option(
            names = "--wrong-encoding-rate",
            defaultValue = "0",
            description =
                    "Fraction of frames whose encoding field names the other format (default:"
                            + " ${DEFAULT-VALUE}).")
    double wrongEncodingRate;

    @Option(
            names = "--undecodable-rate",
            defaultValue = "0",
            description =
                    "Fraction of frames whose bytes are not a picture (default: ${DEFAULT-VALUE}).")
    double undecodableRate;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description =
                    "Random seed of the generator and the faults (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin ProduceDuration duration;

    @Mixin CommonOptions common;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Long durationSeconds = duration.checkedSeconds();
        if (cameras < 1 || !(fps > 0) || width < 8 || height < 8 || width > 4096 || height > 4096) {
            throw new Main.UsageException(
                    "--cameras >= 1, --fps > 0, --width and --height in 8..4096");
        }
        if (replay != null && !Files.isDirectory(replay)) {
            throw new Main.UsageException("replay folder not found: " + replay);
        }
        FrameFaults faults;
        try {
            faults =
                    FrameFaults.builder()
                            .seed(seed)
                            .oversizeBytes(oversizeRate, oversizeBytes)
                            .oversizeHeader(hugeHeaderRate)
                            .truncated(truncatedRate)
                            .wrongEncoding(wrongEncodingRate)
                            .undecodable(undecodableRate)
                            .build();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        ProducingRun producing =
                ProducingRun.to(common, "video", Topics.VIDEO_FRAMES, 0, durationSeconds);
        CameraFrameStream frames =
                replay != null
                        ? CameraFrameStream.replay(
                                replay, cameras, loop, producing.topic(), fps, faults)
                        : CameraFrameStream.generated(
                                new StreetSceneGenerator(seed),
                                cameras,
                                width,
                                height,
                                encoding,
                                producing.topic(),
                                fps,
                                faults);
        producing.run(frames, faults::injected, spec.commandLine().getOut());
        return 0;
    }
}
