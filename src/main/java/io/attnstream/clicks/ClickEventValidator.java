package io.attnstream.clicks;

import io.attnstream.platform.RecordValidator;
import io.attnstream.schema.ClickEvent;

import java.util.Optional;

/** Clicks need a user, an item and a time; anything else goes to the dead-letter topic with the reason. */
public final class ClickEventValidator implements RecordValidator<ClickEvent> {
    private static final long serialVersionUID = 1L;
    /** Candidate lists longer than this are a client bug, not a page. */
    public static final int MAX_CANDIDATES = 1000;

    @Override
    public Optional<String> problem(ClickEvent e) {
        if (e.getUserId().isBlank()) {
            return Optional.of("user_id is empty");
        }
        if (e.getItemId().isBlank()) {
            return Optional.of("item_id is empty");
        }
        if (e.getEventTime().toEpochMilli() <= 0) {
            return Optional.of("event_time " + e.getEventTime() + " is not after 1970");
        }
        if (e.getCandidates().size() > MAX_CANDIDATES) {
            return Optional.of(e.getCandidates().size() + " candidates, more than " + MAX_CANDIDATES);
        }
        return Optional.empty();
    }
}
