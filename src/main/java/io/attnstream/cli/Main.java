package io.attnstream.cli;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.AvroTrust;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code attnstream} command line. */
@Command(
        name = "attnstream",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "Real-time attention-model inference on Flink and Kafka: video segmentation,"
                    + " traffic forecasting and recommendation scoring, publishing predictions and"
                    + " attention weights.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            ProduceCommand.class,
            TopicsCommand.class,
            KafkaCommand.class,
            DoctorCommand.class,
            BenchCommand.class,
            PublishModelCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    static {
        // Kafka's broker kit ships a log4j2.yaml that log4j would prefer to ours; name ours
        // explicitly unless the user (or Flink's scripts) chose a configuration.
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:attnstream-log4j2.xml");
        }
        // The demo's shutdown hook drains and logs after Ctrl-C; log4j's own hook would close
        // logging first.
        if (System.getProperty("log4j.shutdownHookEnabled") == null) {
            System.setProperty("log4j.shutdownHookEnabled", "false");
        }
        // Before any DJL class is loaded anywhere in this JVM: DJL reads this once, statically.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        AvroTrust.install();
    }

    /** Exit code of a bad command line (picocli's convention, and what scripts expect). */
    public static final int EXIT_USAGE = 2;

    /**
     * Exit code of a failure at run time with a known cause (missing file, Kafka unreachable, ...).
     */
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code instead of exiting, for tests. */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    /**
     * The command tree as {@code main} runs it: the general commands, every pipeline's own, and the
     * one-line error handling.
     */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        addPipelineCommands(cl);
        cl.setParameterExceptionHandler(Main::onBadArguments);
        cl.setExecutionExceptionHandler(Main::onFailure);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /**
     * Adds each pipeline's train, evaluate and produce commands ({@link PipelineCommands} services)
     * under the commands of those names.
     */
    private static void addPipelineCommands(CommandLine cl) {
        Map<String, CommandLine> parents = cl.getSubcommands();
        List<PipelineCommands> pipelines =
                ServiceLoader.load(PipelineCommands.class, Main.class.getClassLoader()).stream()
                        .map(ServiceLoader.Provider::get)
                        .toList();
        for (PipelineCommands commands : pipelines) {
            commands.train().forEach(c -> parents.get("train").addSubcommand(c));
            commands.evaluate().forEach(c -> parents.get("evaluate").addSubcommand(c));
            commands.produce().forEach(c -> parents.get("produce").addSubcommand(c));
        }
        for (PipelineCommands commands : pipelines) {
            commands.evaluateBaselines().forEach(c -> parents.get("evaluate").addSubcommand(c));
        }
    }

    /** The subcommands' names, for a parent that was run without one: "a, b or c". */
    static String subcommandNames(CommandLine parent) {
        List<String> names = List.copyOf(parent.getSubcommands().keySet());
        if (names.size() < 2) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1))
                + " or "
                + names.get(names.size() - 1);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** One line, exit 2: a wall of usage text hides what was wrong. */
    private static int onBadArguments(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String unknown = unknownSubcommand(ex);
        if (unknown != null) {
            List<String> available =
                    cmd.getSubcommands().keySet().stream().filter(n -> !n.equals("help")).toList();
            err.println(
                    "attnstream: nothing named '"
                            + unknown
                            + "' to "
                            + cmd.getCommandName()
                            + " in this build;"
                            + " available: "
                            + String.join(", ", available));
            err.flush();
            return EXIT_USAGE;
        }
        err.println(
                "attnstream: "
                        + firstLine(ex.getMessage())
                        + " (try '"
                        + cmd.getCommandSpec().qualifiedName()
                        + " --help')");
        err.flush();
        return EXIT_USAGE;
    }

    /**
     * The word after {@code evaluate} that names none of its subcommands, or null: evaluate said
     * "nothing named" before it had subcommands, and scripts may match that.
     */
    private static String unknownSubcommand(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u
                && ex.getCommandLine().getCommand() instanceof EvaluateCommand
                && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            return u.getUnmatched().get(0);
        }
        return null;
    }

    private static int onFailure(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        Throwable cause = ex;
        while (!(cause instanceof AttnstreamException)
                && cause.getCause() != null
                && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof AttnstreamException known) {
            LoggerFactory.getLogger(Main.class).debug("Command failed", known);
            err.println("attnstream: " + firstLine(known.getMessage()));
            err.flush();
            return known instanceof UsageException ? EXIT_USAGE : EXIT_FAILURE;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        log.error("Unexpected failure", ex);
        err.println(
                "attnstream: unexpected "
                        + ex.getClass().getSimpleName()
                        + ": "
                        + firstLine(String.valueOf(ex.getMessage())));
        err.flush();
        return EXIT_FAILURE;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }

    /** A bad argument found after parsing (e.g. a missing input file): one line, exit 2. */
    public static final class UsageException extends AttnstreamException {
        public UsageException(String message) {
            super(message);
        }
    }
}
