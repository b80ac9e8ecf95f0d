package io.attnstream.inference;

/**
 * A request that could not be scored (its batch failed, or the runtime shut down); becomes a dead
 * letter.
 */
public class InferenceException extends RuntimeException {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
