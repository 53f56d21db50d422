-- casebook store, schema 4 (SQLite): readiness and calibration.
-- An account may belong to a tier; an assignment has a pass mark and a
-- number of passes in a row (pass^k); a scenario can be assigned to a
-- whole tier; trainers grade attempts by hand, part by part.

ALTER TABLE users ADD COLUMN tier TEXT NOT NULL DEFAULT '';
ALTER TABLE assignments ADD COLUMN pass_mark INTEGER NOT NULL DEFAULT 80;
ALTER TABLE assignments ADD COLUMN k INTEGER NOT NULL DEFAULT 3;

CREATE TABLE tier_assignments (
	scenario   TEXT NOT NULL,
	tier       TEXT NOT NULL,
	pass_mark  INTEGER NOT NULL,
	k          INTEGER NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (scenario, tier)
);

CREATE TABLE grades (
	attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	part       TEXT NOT NULL,
	score      INTEGER NOT NULL,
	max_score  INTEGER NOT NULL,
	comment    TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (attempt_id, user_id, part)
);
