-- Times are epoch milliseconds (UTC), so that SQLite and PostgreSQL store and compare them alike.
CREATE TABLE rollouts (
    id               VARCHAR(200) PRIMARY KEY,
    started_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    looks            INTEGER      NOT NULL,
    verdict          VARCHAR(16),
    stage            VARCHAR(200),
    stages           INTEGER      NOT NULL,
    stage_started_at BIGINT,
    stage_looks      INTEGER      NOT NULL
);
CREATE INDEX rollouts_updated_at ON rollouts (updated_at);

CREATE TABLE rollout_stages (
    rollout_id  VARCHAR(200) NOT NULL,
    seq         INTEGER      NOT NULL,
    name        VARCHAR(200),
    started_at  BIGINT       NOT NULL,
    looks       INTEGER      NOT NULL,
    PRIMARY KEY (rollout_id, seq)
);

CREATE TABLE rollout_looks (
    rollout_id    VARCHAR(200) NOT NULL,
    look          INTEGER      NOT NULL,
    at            BIGINT       NOT NULL,
    stage         VARCHAR(200),
    stage_look    INTEGER      NOT NULL,
    configuration VARCHAR(200),
    verdict       VARCHAR(16)  NOT NULL,
    reason        TEXT         NOT NULL,
    metrics       TEXT         NOT NULL,
    PRIMARY KEY (rollout_id, look)
);
