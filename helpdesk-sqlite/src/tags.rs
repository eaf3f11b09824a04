//! Tags in use (migration 0027): [`TagStore`] for [`SqliteStore`], one `GROUP BY` over
//! `ticket_tags`, its prefix a range search on the index by key.

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::clock::ceil_micros;
use helpdesk_core::domain::{Tag, TagCount};
use helpdesk_core::error::Error;
use helpdesk_core::store::{TagScope, TagStore};
use rusqlite::params_from_iter;
use rusqlite::types::Value;

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::{blob, micros};

/// The query and its parameters for `scope`.
fn tag_counts_sql(scope: &TagScope, limit: u32) -> (String, Vec<Value>) {
    let mut params: Vec<Value> = Vec::new();
    let mut bind = |v: Value| {
        params.push(v);
        format!("?{}", params.len())
    };
    let mut clauses: Vec<String> = Vec::new();
    if !scope.prefix.is_empty() {
        // Every key that starts with the prefix sorts in [prefix, prefix + U+10FFFF).
        let from = bind(Value::Text(scope.prefix.clone()));
        let to = bind(Value::Text(format!("{}\u{10FFFF}", scope.prefix)));
        clauses.push(format!("g.tag_key >= {from} AND g.tag_key < {to}"));
    }
    if let Some(from) = scope.created.from {
        let p = bind(Value::Integer(micros(ceil_micros(from))));
        clauses.push(format!("t.created_at >= {p}"));
    }
    if let Some(to) = scope.created.to {
        let p = bind(Value::Integer(micros(ceil_micros(to))));
        clauses.push(format!("t.created_at < {p}"));
    }
    if let Some(departments) = &scope.departments {
        if departments.is_empty() {
            clauses.push("FALSE".into());
        } else {
            let marks: Vec<String> = (departments.iter())
                .map(|d| bind(Value::Blob(blob(d.as_uuid()).to_vec())))
                .collect();
            clauses.push(format!("t.department IN ({})", marks.join(", ")));
        }
    }
    let limit = bind(Value::Integer(limit.into()));
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!(
        "SELECT min(g.tag), count(*) AS n
         FROM ticket_tags g JOIN tickets t ON t.id = g.ticket_id
         {filter}
         GROUP BY g.tag_key
         ORDER BY n DESC, g.tag_key
         LIMIT {limit}"
    );
    (sql, params)
}

fn tag_counts(conn: &rusqlite::Connection, scope: &TagScope, limit: u32) -> Outcome<Vec<TagCount>> {
    let (sql, params) = tag_counts_sql(scope, limit);
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(params))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let text: String = row.get(0)?;
        let n: i64 = row.get(1)?;
        let tag = Tag::parse(&text).map_err(|e| Error::corrupt("ticket_tags", "tag", e))?;
        let tickets = u64::try_from(n).map_err(|e| Error::corrupt("ticket_tags", "count", e))?;
        out.push(TagCount { tag, tickets });
    }
    Ok(out)
}

#[async_trait]
impl TagStore for SqliteStore {
    async fn tag_counts(&self, scope: &TagScope, limit: u32) -> Result<Vec<TagCount>> {
        let scope = scope.clone();
        self.read(move |conn| tag_counts(conn, &scope, limit)).await
    }
}
