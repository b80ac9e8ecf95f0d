package io.attnstream.video.data;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.image.EncodedFrame;
import io.attnstream.video.image.FrameHeader;
import io.attnstream.video.image.FrameRejection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The PNG and JPEG files of one folder (e.g. CamVid's {@code val/}), sorted by file name, replayed
 * as camera feeds. With several cameras each plays the whole folder, starting {@code size /
 * cameras} pictures after the previous one, so together they show different pictures at the same
 * moment. Files are sent as they are, bytes unchanged; their size and encoding come from their
 * headers. Files are read one at a time, when due.
 */
public final class ImageFolder implements FrameSource {
    private final Path dir;
    private final List<Path> files;
    private final int cameras;
    private final boolean loop;

    private ImageFolder(Path dir, List<Path> files, int cameras, boolean loop) {
        this.dir = dir;
        this.files = files;
        this.cameras = cameras;
        this.loop = loop;
    }

    /**
     * @param loop start again at the first picture after the last (endless); otherwise each camera
     *     ends after one pass over the folder
     */
    public static ImageFolder open(Path dir, int cameras, boolean loop) {
        if (cameras < 1) {
            throw new IllegalArgumentException("cameras must be >= 1, got " + cameras);
        }
        if (!Files.isDirectory(dir)) {
            throw new AttnstreamException(
                    "image folder " + dir + " does not exist or is not a directory");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files =
                    list.filter(Files::isRegularFile)
                            .filter(ImageFolder::isImageName)
                            .sorted(
                                    (a, b) ->
                                            a.getFileName()
                                                    .toString()
                                                    .compareTo(b.getFileName().toString()))
                            .toList();
        } catch (IOException e) {
            throw new AttnstreamException(
                    "cannot list image folder " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new AttnstreamException(
                    "image folder " + dir + " has no .png, .jpg or .jpeg files");
        }
        return new ImageFolder(dir, files, cameras, loop);
    }

    public List<Path> files() {
        return files;
    }

    @Override
    public int cameras() {
        return cameras;
    }

    /**
     * Which file camera {@code camera} shows as its frame {@code k}, or -1 after the end of a
     * single pass.
     */
    public int fileIndex(int camera, long k) {
        int n = files.size();
        if (!loop && k >= n) {
            return -1;
        }
        long offset = (long) camera * n / cameras;
        return (int) ((k + offset) % n);
    }

    @Override
    public EncodedFrame frame(int camera, long k) {
        int index = fileIndex(camera, k);
        return index < 0 ? null : read(files.get(index));
    }

    private EncodedFrame read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AttnstreamException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        FrameEncoding encoding = FrameHeader.sniff(bytes, 0, bytes.length);
        if (encoding == null) {
            throw new AttnstreamException(
                    "image " + file + " is neither a PNG nor a JPEG (in folder " + dir + ")");
        }
        try {
            FrameHeader header = FrameHeader.read(encoding, bytes);
            return new EncodedFrame(encoding, header.width(), header.height(), bytes);
        } catch (FrameRejection e) {
            throw new AttnstreamException(
                    "image " + file + " has no usable header: " + e.getMessage(), e);
        }
    }

    private static boolean isImageName(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }
}
