-- casebook store, schema 1 (SQLite): trainees, their attempts move by
-- move, and the scorecard of each closed attempt.

CREATE TABLE trainees (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE attempts (
	id               INTEGER PRIMARY KEY,
	trainee_id       INTEGER NOT NULL REFERENCES trainees (id),
	scenario         TEXT NOT NULL,
	playbook         TEXT NOT NULL,
	playbook_version TEXT NOT NULL,
	tier             TEXT NOT NULL,
	mode             TEXT NOT NULL,
	rules            INTEGER NOT NULL,
	started_at       TEXT NOT NULL,
	-- The header line as an attempt file holds it, and its SHA-256: one
	-- attempt, however often it is imported.
	header           TEXT NOT NULL,
	header_key       TEXT NOT NULL UNIQUE,
	-- Where the attempt came from: played under a server (supervised), by
	-- casebook train on the trainee's machine (local), or imported from an
	-- attempt file (self-reported; source is that file).
	origin           TEXT NOT NULL CHECK (origin IN ('supervised', 'local', 'self-reported')),
	source           TEXT NOT NULL,
	moves            INTEGER NOT NULL,
	-- 1 once a move closed the case.
	closed           INTEGER NOT NULL DEFAULT 0,
	-- 1 once the scorecard of all its moves is stored.
	scored           INTEGER NOT NULL DEFAULT 0,
	created_at       TEXT NOT NULL
);

CREATE INDEX attempts_trainee ON attempts (trainee_id);
CREATE INDEX attempts_unscored ON attempts (id) WHERE scored = 0;

-- One row per move, as the attempt file's move line holds it (the turns
-- included, for people; a replay trusts only the move).
CREATE TABLE moves (
	attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
	n          INTEGER NOT NULL,
	move       TEXT NOT NULL,
	line       TEXT NOT NULL,
	PRIMARY KEY (attempt_id, n)
);

-- The golden paths scorecards refer to (a report needs each once).
CREATE TABLE goldens (
	key   TEXT PRIMARY KEY,
	moves TEXT NOT NULL
);

-- The scorecard of a closed attempt, the scorecard/v1 JSON replay
-- prints (indented again when it is read).
CREATE TABLE scorecards (
	attempt_id INTEGER PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
	rules      INTEGER NOT NULL,
	total      INTEGER NOT NULL,
	moves      INTEGER NOT NULL,
	card       BLOB NOT NULL, -- compact JSON, DEFLATE-compressed
	scored_at  TEXT NOT NULL
);

-- The words summaries are written in: trainees, scenarios, tiers, steps,
-- rules, moves, each stored once and named by its id in the summaries.
CREATE TABLE words (
	id   INTEGER PRIMARY KEY,
	text TEXT NOT NULL UNIQUE
);

-- What a report counts of each scorecard, apart from the scorecards so
-- that a report over a million attempts reads a small table.
CREATE TABLE summaries (
	attempt_id INTEGER PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
	origin     TEXT NOT NULL,
	summary    BLOB NOT NULL
);
