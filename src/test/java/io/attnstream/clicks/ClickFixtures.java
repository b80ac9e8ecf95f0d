package io.attnstream.clicks;

import io.attnstream.platform.Sourced;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import java.time.Instant;
import java.util.List;

/** Clicks for the clicks tests. */
public final class ClickFixtures {
    public static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private ClickFixtures() {}

    public static ClickEvent click(String user, String item, int second, List<String> candidates) {
        return ClickEvent.newBuilder()
                .setUserId(user)
                .setItemId(item)
                .setEventType(ClickEventType.CLICK)
                .setEventTime(T0.plusSeconds(second))
                .setCandidates(candidates)
                .build();
    }

    public static Sourced<ClickEvent> sourced(ClickEvent e, long offset) {
        return new Sourced<>(e, "clicks.events", 0, offset);
    }
}
