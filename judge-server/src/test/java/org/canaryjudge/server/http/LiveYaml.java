package org.canaryjudge.server.http;

/**
 * Live configurations for the tests as one-line YAML flow mappings, so that a test states only
 * what differs between its configurations: the name, the source and the queries.
 */
final class LiveYaml {

    private LiveYaml() {
    }

    /**
     * @return {@code name: {...}}: one rate metric, {@code error_rate}, held at +0.5 points, at a
     *     one-minute step, with the given queries mapping
     */
    static String errorRate(String name, String source, String queries) {
        return name + ": {source: " + source + ", step: 60s, metrics: [{name: error_rate, type: rate,"
            + " hold: {absolute: 0.005}, rollback: {absolute: 0.02}, queries: " + queries + "}]}";
    }

    /** @return the queries of a rate whose errors are the requests query's 5xx series, one query a side */
    static String byCode(String baselineRequests, String canaryRequests) {
        return "{baseline: {requests: " + baselineRequests + ", errors: {label: code, matches: '5..'}},"
            + " canary: {requests: " + canaryRequests + ", errors: {label: code, matches: '5..'}}}";
    }

    /** @return the queries of a rate with an errors and a requests query a side, and any extra fields first */
    static String twoQueries(String extra, String baselineErrors, String baselineRequests, String canaryErrors,
                             String canaryRequests) {
        return "{" + extra + "baseline: {errors: " + baselineErrors + ", requests: " + baselineRequests + "},"
            + " canary: {errors: " + canaryErrors + ", requests: " + canaryRequests + "}}";
    }
}
