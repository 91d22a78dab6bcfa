-- A hunter's tags and note per finding (finding ids are stable within a case). Created on first
-- use by main/api/view-handlers.ts; saved with the case like every other table.
CREATE TABLE IF NOT EXISTS annotations (
  finding_id VARCHAR PRIMARY KEY,
  tags VARCHAR[] NOT NULL,
  note VARCHAR NOT NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
)
