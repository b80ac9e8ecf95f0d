package io.attnstream.bench;

import io.attnstream.clicks.job.UserClicksSizes;
import io.attnstream.traffic.job.IntervalStateSizes;

/**
 * Serialized keyed-state sizes per user and per network, in this release's format and in the index
 * format of the release before (issue 15's closing note): {@code java -cp <test classpath>
 * io.attnstream.bench.StateSizes}. The values are built as each release would have written them and
 * serialized with the state's own serializer, as a checkpoint writes them.
 */
public final class StateSizes {
    private StateSizes() {}

    public static void main(String[] args) throws Exception {
        UserClicksSizes.print();
        IntervalStateSizes.print();
    }
}
