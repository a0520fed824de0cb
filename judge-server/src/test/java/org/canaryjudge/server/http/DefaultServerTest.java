package org.canaryjudge.server.http;

import org.canaryjudge.server.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes that share one server with the default settings on a free port, started once per class. */
abstract class DefaultServerTest {

    static JudgeServer server;
    static Client client;

    @BeforeAll
    static void startDefaultServer() {
        server = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false));
        client = new Client(server.uri());
    }

    @AfterAll
    static void stopDefaultServer() {
        server.close();
    }
}
