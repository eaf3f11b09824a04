-- 0014 (issue 24): the desk's settings, and the full ticket number beside outbox e-mail.
--
-- A row per setting: its name is the core's stable text (`SettingKey::as_str`, e.g.
-- 'public_url'), its value text the core validates (a `PublicUrl`). The store only reads and
-- writes rows.
CREATE TABLE settings (
    name  text PRIMARY KEY,
    value text NOT NULL
);

-- Customers are told the short number (in the subject's tag and the body); the full one goes
-- with the e-mail for its `X-Helpdesk-Ticket` header. E-mail queued before this migration
-- gets its ticket's number here.
ALTER TABLE outbox ADD COLUMN ticket_number text;

UPDATE outbox o
SET ticket_number = t.number_full
FROM tickets t
WHERE t.id = o.ticket_id;
