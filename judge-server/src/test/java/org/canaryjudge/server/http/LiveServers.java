package org.canaryjudge.server.http;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.canaryjudge.server.config.ConfigFile;
import org.canaryjudge.server.config.ServerConfig;

/** Servers for the live-data tests: started from a configuration file, stopped with their Prometheus. */
final class LiveServers {

    private LiveServers() {
    }

    /**
     * @param file a configuration file with sources and live configurations
     * @param adjust changes to the settings (a token, say) on top of a free port and no access log
     * @return a running server with the file's configurations
     */
    static JudgeServer start(Path file, UnaryOperator<ServerConfig> adjust) {
        ConfigFile config = ConfigFile.load(file);
        return JudgeServer.start(adjust.apply(ServerConfig.defaults().withPort(0).withAccessLog(false)
            .withConfigurations(config.configurations(), config.liveConfigurations())));
    }

    /** @return a running server with the configurations of {@code yaml}, written to judge.yaml in {@code dir} */
    static JudgeServer start(Path dir, String yaml) throws java.io.IOException {
        Path file = dir.resolve("judge.yaml");
        java.nio.file.Files.writeString(file, yaml);
        return start(file, c -> c);
    }

    /**
     * @return the judgement of a live configuration whose queries take the variable {@code track}, over
     *     the window from {@code start} to {@code end} (epoch seconds), asserted to be a 200
     */
    static com.fasterxml.jackson.databind.JsonNode judgeTrack(Client client, String config, String track, long start,
                                                              long end) {
        Client.Response r = client.postJson("{\"config\": \"" + config + "\", \"variables\": {\"track\": \"" + track
            + "\"}, \"start\": " + start + ", \"end\": " + end + "}");
        org.junit.jupiter.api.Assertions.assertEquals(200, r.status(), r.body());
        return r.json();
    }

    /** Closes each resource that was opened, in order, even when an earlier one fails to close. */
    static void closeAll(AutoCloseable... resources) {
        IllegalStateException failure = null;
        for (AutoCloseable r : resources) {
            try {
                if (r != null) {
                    r.close();
                }
            } catch (Exception e) {
                failure = failure == null ? new IllegalStateException("could not close " + r, e) : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
