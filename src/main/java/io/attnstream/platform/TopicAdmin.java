package io.attnstream.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and describes topics, and waits until every partition has a leader before anyone
 * produces.
 */
public final class TopicAdmin implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private final Admin admin;

    public TopicAdmin(KafkaSettings kafka) {
        Properties props = kafka.clientProperties();
        props.putIfAbsent("request.timeout.ms", "15000");
        props.putIfAbsent("default.api.timeout.ms", "30000");
        this.admin = Admin.create(props);
    }

    /**
     * Creates the topics that do not exist yet, then waits until all partitions of all of them have
     * a leader: producing right after creation can otherwise fail with NOT_LEADER_OR_FOLLOWER and
     * lose records.
     *
     * @return the names that were created (the others existed)
     */
    public List<String> ensureTopics(
            Collection<String> names, int partitions, short replication, Duration timeout) {
        return call(
                "create Kafka topics",
                timeout,
                () -> {
                    var existing =
                            admin.listTopics()
                                    .names()
                                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    List<NewTopic> toCreate = new ArrayList<>();
                    for (String name : names) {
                        if (!existing.contains(name)) {
                            toCreate.add(new NewTopic(name, partitions, replication));
                        }
                    }
                    List<String> created = new ArrayList<>();
                    for (var e : admin.createTopics(toCreate).values().entrySet()) {
                        try {
                            e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                            created.add(e.getKey());
                        } catch (ExecutionException ex) {
                            if (!(ex.getCause()
                                    instanceof
                                    TopicExistsException)) { // someone else was faster: fine
                                throw ex;
                            }
                        }
                    }
                    if (!created.isEmpty()) {
                        LOG.info(
                                "Created topics {} ({} partitions, replication {})",
                                created,
                                partitions,
                                replication);
                    }
                    awaitLeaders(names, timeout);
                    return created;
                });
    }

    /** What an admin call does, with Kafka's checked exceptions turned into one readable error. */
    @FunctionalInterface
    private interface AdminCall<T> {
        T run() throws ExecutionException, TimeoutException, InterruptedException;
    }

    private static <T> T call(String what, Duration timeout, AdminCall<T> call) {
        try {
            return call.run();
        } catch (ExecutionException e) {
            throw new AttnstreamException(
                    "Could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AttnstreamException(
                    "Kafka did not answer within "
                            + timeout.toSeconds()
                            + " s (trying to "
                            + what
                            + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AttnstreamException("Interrupted while trying to " + what, e);
        }
    }

    /** Blocks until every partition of the topics has a leader, or throws after the timeout. */
    public void awaitLeaders(Collection<String> names, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> d =
                        admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS);
                boolean ready =
                        d.values().stream()
                                .flatMap(t -> t.partitions().stream())
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (ready) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // Metadata not propagated yet: retry until the deadline.
            }
            if (System.nanoTime() > deadline) {
                throw new AttnstreamException(
                        "Topics "
                                + names
                                + " have partitions without a leader after "
                                + timeout.toSeconds()
                                + " s");
            }
            Thread.sleep(100);
        }
    }

    /** Topic name to partition count, sorted by name; internal topics left out. */
    public Map<String, Integer> describeAll(Duration timeout) {
        return call(
                "list Kafka topics",
                timeout,
                () -> {
                    var names =
                            admin.listTopics()
                                    .names()
                                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    Map<String, TopicDescription> d =
                            admin.describeTopics(names)
                                    .allTopicNames()
                                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    Map<String, Integer> out = new TreeMap<>();
                    d.forEach((name, desc) -> out.put(name, desc.partitions().size()));
                    return out;
                });
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
