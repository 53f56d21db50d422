-- casebook store, schema 2 (SQLite): accounts for casebook serve.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	role          TEXT NOT NULL CHECK (role IN ('trainee', 'trainer')),
	password_hash TEXT NOT NULL,
	created_at    TEXT NOT NULL
);

-- A signed-in browser: the SHA-256 of its cookie's token (the token itself
-- is never stored), its CSRF token, and when it expires.
CREATE TABLE web_sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE INDEX web_sessions_user ON web_sessions (user_id);
