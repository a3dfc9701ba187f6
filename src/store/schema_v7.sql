-- v7: causal context for deletes. A delete or restore op — and an edit whose author held
-- a delete of the record — records what its author had seen of that record: for each
-- stream (device, scope) with ops on it, the highest seq held. A device holds each stream
-- as a contiguous prefix (gaps are refused), so "held op S:n" is "upto for S >= n", and an
-- edit and a delete are concurrent exactly when neither author had seen the other's op
-- (store/causal.rs). A handful of rows for the rare ops that need them; ordinary edits
-- carry none. Ops written before v7 have none: a delete without rows is judged by clock,
-- as before.
CREATE TABLE op_seen (
    stream INTEGER NOT NULL,              -- the op (with seq)
    seq    INTEGER NOT NULL,
    seen   INTEGER NOT NULL,              -- a stream whose ops on the record were held
    upto   INTEGER NOT NULL,              -- the highest seq of them held
    PRIMARY KEY (stream, seq, seen)
) WITHOUT ROWID;

-- The cadence rule looks up a household's planned visits after every tag edit and every
-- import that touches it (an office's import touches thousands).
CREATE INDEX visit_household ON visit (household_id, status);

-- Readable view of the contexts, for people inspecting a database with sqlite3 (and
-- tests).
CREATE VIEW ops_seen AS
SELECT so.text AS origin, ss.text AS scope, s.seq AS seq, vo.text AS seen_origin,
       s.upto AS upto
FROM op_seen s
JOIN stream st ON st.id = s.stream
JOIN uid_text so ON so.id = st.origin
JOIN uid_text ss ON ss.id = st.scope
JOIN stream vs ON vs.id = s.seen
JOIN uid_text vo ON vo.id = vs.origin;
