package io.attnstream.clicks.job;

import io.attnstream.platform.RecordValidator;
import io.attnstream.schema.ClickEvent;
import java.util.Optional;

/**
 * Clicks need a user, an item and a time; anything else goes to the dead-letter topic with the
 * reason.
 */
public final class ClickEventValidator implements RecordValidator<ClickEvent> {
    private static final long serialVersionUID = 1L;

    /** Candidate lists longer than this are a client bug, not a page. */
    public static final int MAX_CANDIDATES = 1000;

    /** Ids longer than this are not ids (a payload pasted into a field). */
    public static final int MAX_ID_LENGTH = 256;

    @Override
    public Optional<String> problem(ClickEvent e) {
        Optional<String> bad =
                malformed("user_id", e.getUserId())
                        .or(() -> malformed("item_id", e.getItemId()))
                        .or(
                                () ->
                                        e.getEventId() == null
                                                ? Optional.empty()
                                                : malformed("event_id", e.getEventId()));
        if (bad.isPresent()) {
            return bad;
        }
        if (e.getEventTime().toEpochMilli() <= 0) {
            return Optional.of("event_time " + e.getEventTime() + " is not after 1970");
        }
        if (e.getCandidates().size() > MAX_CANDIDATES) {
            return Optional.of(
                    e.getCandidates().size() + " candidates, more than " + MAX_CANDIDATES);
        }
        return Optional.empty();
    }

    private static Optional<String> malformed(String field, String id) {
        if (id.isBlank()) {
            return Optional.of(field + " is empty");
        }
        if (id.length() > MAX_ID_LENGTH) {
            return Optional.of(
                    field + " is " + id.length() + " characters, more than " + MAX_ID_LENGTH);
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            return Optional.of(field + " contains control characters");
        }
        return Optional.empty();
    }
}
