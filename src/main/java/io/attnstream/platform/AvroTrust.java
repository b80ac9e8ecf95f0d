package io.attnstream.platform;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate generated classes outside trusted packages ({@code
 * SecurityException: Forbidden ...}) in every JVM that decodes them. attnstream's classes live in
 * {@value #PACKAGE}; this trusts that package on top of whatever the JVM already trusts. Called
 * from static initialisers of the classes that decode Avro, so client JVMs, the MiniCluster and
 * TaskManagers of a real cluster are all covered.
 */
public final class AvroTrust {
    public static final String PACKAGE = "io.attnstream.schema";
    private static volatile boolean installed;

    private AvroTrust() {}

    public static void install() {
        if (installed) {
            return;
        }
        synchronized (AvroTrust.class) {
            if (!installed) {
                ClassSecurityValidator.ClassSecurityPredicate previous =
                        ClassSecurityValidator.getGlobal();
                ClassSecurityValidator.setGlobal(
                        cls -> previous.isTrusted(cls) || cls.getName().startsWith(PACKAGE + "."));
                installed = true;
            }
        }
    }
}
