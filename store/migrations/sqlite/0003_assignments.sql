-- casebook store, schema 3 (SQLite): scenarios a trainer assigns to a
-- trainee, at a tier.

CREATE TABLE assignments (
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	scenario   TEXT NOT NULL,
	tier       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (user_id, scenario, tier)
);
