package io.attnstream.video.job;

import io.attnstream.platform.RecordValidator;
import io.attnstream.schema.CameraFrame;
import io.attnstream.video.image.FrameDecoder;
import java.util.Optional;

/**
 * Field checks on a decoded {@link CameraFrame}; anything failing goes to the dead-letter topic
 * with the reason. The image itself (size limits, header, decoding) is {@link FrameDecoder}'s job.
 */
public final class CameraFrameValidator implements RecordValidator<CameraFrame> {
    private static final long serialVersionUID = 1L;

    /** Camera ids longer than this are not ids. */
    public static final int MAX_CAMERA_ID_LENGTH = 256;

    @Override
    public Optional<String> problem(CameraFrame f) {
        String id = f.getCameraId();
        if (id.isBlank()) {
            return Optional.of("camera_id is empty");
        }
        if (id.length() > MAX_CAMERA_ID_LENGTH) {
            return Optional.of(
                    "camera_id is "
                            + id.length()
                            + " characters, more than "
                            + MAX_CAMERA_ID_LENGTH);
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("camera_id contains control characters");
        }
        if (f.getFrameSeq() < 0) {
            return Optional.of("frame_seq " + f.getFrameSeq() + " is negative");
        }
        if (f.getEventTime().toEpochMilli() <= 0) {
            return Optional.of("event_time " + f.getEventTime() + " is not after 1970");
        }
        if (f.getWidth() < 1 || f.getHeight() < 1) {
            return Optional.of(
                    "frame size " + f.getWidth() + " x " + f.getHeight() + " is not positive");
        }
        if (!f.getData().hasRemaining()) {
            return Optional.of("data is empty");
        }
        return Optional.empty();
    }
}
