package io.attnstream.cli;

import picocli.CommandLine;

/** Version from the jar manifest (set by Maven), or "dev" when run from classes. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"attnstream " + (v == null ? "dev" : v)};
    }
}
