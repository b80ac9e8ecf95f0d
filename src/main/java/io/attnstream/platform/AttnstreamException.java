package io.attnstream.platform;

/**
 * An error whose message is meant for the person running attnstream: the CLI prints the message as
 * one line (no stack trace) and exits non-zero. Use it for bad configuration, missing files and
 * unusable environments.
 */
public class AttnstreamException extends RuntimeException {
    public AttnstreamException(String message) {
        super(message);
    }

    public AttnstreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
