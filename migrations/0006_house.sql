-- The subject of each outgoing mail, kept beside its payload so the threads page and the
-- export read it without parsing JSON. Mail queued before this migration takes it from its
-- payload (queueDelivery fills it for everything after).
ALTER TABLE deliveries ADD COLUMN subject TEXT NOT NULL DEFAULT '';
UPDATE deliveries SET subject = coalesce(json_extract(payload, '$.subject'), '')
WHERE json_valid(payload);
