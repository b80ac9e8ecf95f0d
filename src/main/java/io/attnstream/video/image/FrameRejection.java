package io.attnstream.video.image;

/**
 * A camera frame that cannot be used, with the kind of problem and a message fit for a dead letter.
 * Thrown for bad input, which in a stream is routine, so it carries no stack trace.
 */
public final class FrameRejection extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the frame. */
    public enum Reason {
        /** More encoded bytes than {@link FrameLimits#maxBytes()}. */
        TOO_MANY_BYTES,
        /** The header claims more pixels than {@link FrameLimits#maxPixels()}. */
        TOO_MANY_PIXELS,
        /** The image ends before its data does. */
        TRUNCATED,
        /** The bytes are an image of another encoding than the record says. */
        WRONG_ENCODING,
        /** The bytes are not an image of the stated encoding (corrupt, garbage, empty). */
        UNDECODABLE,
        /** The record's width and height disagree with the image's own. */
        SIZE_MISMATCH
    }

    private final Reason reason;

    public FrameRejection(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public FrameRejection(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
