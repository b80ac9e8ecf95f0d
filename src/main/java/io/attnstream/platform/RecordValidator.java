package io.attnstream.platform;

import java.io.Serializable;
import java.util.Optional;

/**
 * Checks a decoded record's values; returns the problem, if any, as a reason fit for a dead letter.
 */
@FunctionalInterface
public interface RecordValidator<T> extends Serializable {
    Optional<String> problem(T record);

    static <T> RecordValidator<T> acceptAll() {
        return record -> Optional.empty();
    }
}
