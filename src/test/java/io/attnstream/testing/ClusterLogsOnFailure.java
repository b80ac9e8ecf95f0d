package io.attnstream.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps the logs of the standalone clusters a test started when the test fails: they live in the
 * test's {@code @TempDir}, which JUnit deletes right after, and a failure on CI is otherwise
 * without its evidence. Runs right after the test method (before the temporary directory is
 * closed); the logs go to {@code target/failsafe-reports/<class>.<method>-cluster-logs[-n]}.
 */
public final class ClusterLogsOnFailure implements AfterTestExecutionCallback {
    private final List<StandaloneCluster> watched = new ArrayList<>();

    /** The cluster, watched until the current test ends. */
    public StandaloneCluster watch(StandaloneCluster cluster) {
        watched.add(cluster);
        return cluster;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        try {
            if (context.getExecutionException().isPresent()) {
                String name =
                        context.getRequiredTestClass().getSimpleName()
                                + "."
                                + context.getRequiredTestMethod().getName()
                                + "-cluster-logs";
                Path dir = Path.of("target", "failsafe-reports", name);
                // A rerun of a failed test keeps the first failure's logs too.
                for (int n = 2; Files.exists(dir); n++) {
                    dir = Path.of("target", "failsafe-reports", name + "-" + n);
                }
                for (int i = 0; i < watched.size(); i++) {
                    watched.get(i)
                            .keepLogs(
                                    watched.size() == 1 ? dir : dir.resolve("cluster-" + (i + 1)));
                }
                System.err.println("kept the cluster's logs in " + dir.toAbsolutePath());
            }
        } finally {
            watched.clear();
        }
    }
}
