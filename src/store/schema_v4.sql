-- louzu schema, version 4: a check-in remembers the need each problem item opened
-- ({"楼道堆物": "<need id>"}), so re-opening it shows the link and never opens a second.
ALTER TABLE checkin ADD COLUMN needs TEXT;
