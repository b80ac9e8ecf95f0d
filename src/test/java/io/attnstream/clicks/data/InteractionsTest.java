package io.attnstream.clicks.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.schema.ClickEventType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractionsTest {
    private static Path write(Path dir, String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void userItemLinesKeepUserOrderAndActionOrder(@TempDir Path dir) throws Exception {
        Path f = write(dir, "games.txt", "7 30\n7 10\n7 30\n\n2 10\n2 99\n");
        Interactions in = Interactions.readUserItemLines(f);
        assertThat(in.users()).containsExactly("7", "2");
        assertThat(in.sequences().get("7")).containsExactly("30", "10", "30");
        assertThat(in.sequences().get("2")).containsExactly("10", "99");
        assertThat(in.items()).containsExactly("30", "10", "99");
        assertThat(in.size()).isEqualTo(5);
        assertThat(in.hasTimes()).isFalse();
        assertThat(in.hasEventTypes()).isFalse();
    }

    @Test
    void userItemLinesRejectAMissingItemAndANonContiguousUser(@TempDir Path dir) throws Exception {
        Path oneField = write(dir, "a.txt", "1 5\n1\n");
        assertThatThrownBy(() -> Interactions.readUserItemLines(oneField))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining(oneField.toString())
                .hasMessageContaining("line 2")
                .hasMessageContaining("column 2");
        Path split = write(dir, "b.txt", "1 5\n2 6\n1 7\n");
        assertThatThrownBy(() -> Interactions.readUserItemLines(split))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("user '1' reappears");
    }

    @Test
    void csvSortsEachUserByTimestampStablyAndReadsEvents(@TempDir Path dir) throws Exception {
        Path f =
                write(
                        dir,
                        "clicks.csv",
                        "user,item,timestamp,event\n"
                                + "a,i3,1700000300,purchase\n"
                                + "b,i1,1700000000000,view\n"
                                + "a,i1,1700000100,view\n"
                                + "a,i2,1700000100,cart\n"
                                + "b,i9,2023-11-14T22:13:30Z,CLICK\n");
        Interactions in = Interactions.readCsv(f);
        assertThat(in.users()).containsExactly("a", "b");
        // i1 and i2 tie at t=...100: file order is kept
        assertThat(in.sequences().get("a")).containsExactly("i1", "i2", "i3");
        assertThat(in.eventTypes("a"))
                .containsExactly(
                        ClickEventType.VIEW, ClickEventType.ADD_TO_CART, ClickEventType.PURCHASE);
        assertThat(in.times("a"))
                .containsExactly(1_700_000_100_000L, 1_700_000_100_000L, 1_700_000_300_000L);
        assertThat(in.sequences().get("b")).containsExactly("i1", "i9");
        assertThat(in.times("b"))
                .containsExactly(
                        1_700_000_000_000L, Instant.parse("2023-11-14T22:13:30Z").toEpochMilli());
    }

    @Test
    void csvWithoutEventColumnIsAllViews(@TempDir Path dir) throws Exception {
        Path f = write(dir, "c.csv", "user,item,ts\nu,x,20\nu,y,10\n");
        Interactions in = Interactions.readCsv(f);
        assertThat(in.sequences().get("u")).containsExactly("y", "x");
        assertThat(in.eventTypes("u")).containsOnly(ClickEventType.VIEW);
        assertThat(in.times("u")).containsExactly(10_000L, 20_000L);
    }

    @Test
    void csvErrorsNameFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path badTime = write(dir, "t.csv", "user,item,timestamp\nu,x,10\nu,y,yesterday\n");
        assertThatThrownBy(() -> Interactions.readCsv(badTime))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining(badTime.toString())
                .hasMessageContaining("line 3 column 3")
                .hasMessageContaining("yesterday");
        Path badEvent = write(dir, "e.csv", "user,item,timestamp,event\nu,x,10,refund\n");
        assertThatThrownBy(() -> Interactions.readCsv(badEvent))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("line 2 column 4")
                .hasMessageContaining("refund");
        Path shortRow = write(dir, "s.csv", "user,item,timestamp\nu,x\n");
        assertThatThrownBy(() -> Interactions.readCsv(shortRow))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("line 2 column 3")
                .hasMessageContaining("expected 3 columns, found 2");
        Path emptyUser = write(dir, "u.csv", "user,item,timestamp\n ,x,5\n");
        assertThatThrownBy(() -> Interactions.readCsv(emptyUser))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("line 2 column 1")
                .hasMessageContaining("user is empty");
    }

    @Test
    void digineticaOrdersByDateThenTimeframeAndNamesAnonymousSessions(@TempDir Path dir)
            throws Exception {
        Path f =
                write(
                        dir,
                        "views.csv",
                        "session_id;user_id;item_id;timeframe;eventdate\n"
                                + "1;NA;81766;526309;2016-05-09\n"
                                + "1;NA;31331;1031018;2016-05-09\n"
                                + "1;NA;32118;243569;2016-05-09\n"
                                + "48;2;500;100;2016-04-10\n"
                                + "49;2;501;900;2016-04-09\n");
        Interactions in = Interactions.readDiginetica(f);
        assertThat(in.users()).containsExactly("s1", "2");
        assertThat(in.sequences().get("s1")).containsExactly("32118", "81766", "31331");
        // user 2: session 49 is a day earlier, so it comes first despite appearing later in the
        // file
        assertThat(in.sequences().get("2")).containsExactly("501", "500");
        assertThat(in.eventTypes("2")).containsOnly(ClickEventType.VIEW);
        assertThat(in.times("2"))
                .containsExactly(
                        Instant.parse("2016-04-09T00:00:00.900Z").toEpochMilli(),
                        Instant.parse("2016-04-10T00:00:00.100Z").toEpochMilli());
    }

    @Test
    void digineticaErrorsNameLineAndColumn(@TempDir Path dir) throws Exception {
        Path f =
                write(
                        dir,
                        "v.csv",
                        "session_id;user_id;item_id;timeframe;eventdate\n1;NA;5;10;2016-13-01\n");
        assertThatThrownBy(() -> Interactions.readDiginetica(f))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("line 2 column 5");
        Path g =
                write(
                        dir,
                        "w.csv",
                        "session_id;user_id;item_id;timeframe;eventdate\n1;NA;5;ten;2016-01-01\n");
        assertThatThrownBy(() -> Interactions.readDiginetica(g))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("line 2 column 4")
                .hasMessageContaining("ten");
    }

    @Test
    void builderSortsByTimeAndKeepsTypes() {
        Interactions in =
                Interactions.builder()
                        .add("u", "b", ClickEventType.PURCHASE, 20)
                        .add("u", "a", ClickEventType.VIEW, 10)
                        .build();
        assertThat(in.sequences().get("u")).containsExactly("a", "b");
        assertThat(in.eventTypes("u"))
                .containsExactly(ClickEventType.VIEW, ClickEventType.PURCHASE);
    }
}
