package org.canaryjudge.server.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (set by Maven), or "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = CanaryJudgeCommand.class.getPackage().getImplementationVersion();
        return new String[] {"canary-judge " + (v == null ? "development" : v)};
    }
}
