-- v6: on equal clocks the greater change id wins, not the greater origin. A restored or
-- copied database's op is kept under a fork origin on some devices and under its own
-- origin on others; only what the op itself carries breaks a tie the same way everywhere.
-- (One change held under two names is one edit with one value: the greater origin
-- then picks the name that holds the field, so the view shows one holder.)
DROP VIEW IF EXISTS field_state;
CREATE VIEW field_state AS
SELECT r.text AS entity_id, f.field AS field, so.text AS origin, ss.text AS scope,
       o.seq AS seq, o.hlc AS hlc
FROM op o
JOIN stream st ON st.id = o.stream
JOIN uid_text so ON so.id = st.origin
JOIN uid_text ss ON ss.id = st.scope
JOIN uid_text r ON r.id = o.rec
JOIN uid_text oc ON oc.id = o.change
JOIN field_name f ON f.id = o.field
WHERE NOT EXISTS (
    SELECT 1 FROM op x JOIN stream xs ON xs.id = x.stream
    JOIN uid_text xo ON xo.id = xs.origin
    JOIN uid_text xc ON xc.id = x.change
    WHERE x.rec = o.rec AND x.field = o.field
      AND (x.hlc > o.hlc
        OR (x.hlc = o.hlc AND xc.text > oc.text)
        OR (x.hlc = o.hlc AND xc.text = oc.text AND xo.text > so.text)));
