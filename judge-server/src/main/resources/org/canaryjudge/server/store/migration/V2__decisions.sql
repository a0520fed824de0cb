-- A person's decisions on a rollout. stage_seq is the stage (rollout_stages.seq) the decision was
-- made in: it counts for the later looks of that stage only.
CREATE TABLE rollout_decisions (
    rollout_id  VARCHAR(200)  NOT NULL,
    seq         INTEGER       NOT NULL,
    at          BIGINT        NOT NULL,
    stage_seq   INTEGER       NOT NULL,
    stage       VARCHAR(200),
    decision    VARCHAR(16)   NOT NULL,
    reviewer    VARCHAR(100)  NOT NULL,
    comment     VARCHAR(2000),
    PRIMARY KEY (rollout_id, seq)
);

ALTER TABLE rollouts ADD COLUMN decisions INTEGER NOT NULL DEFAULT 0;
