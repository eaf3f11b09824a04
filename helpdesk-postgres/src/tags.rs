//! Tags in use (migration 0027): [`TagStore`] for [`PostgresStore`], one `GROUP BY` over
//! `ticket_tags` (keys and texts `COLLATE "C"`: bytewise, as core compares them), its
//! prefix a range search on the index by key.

use async_trait::async_trait;
use helpdesk_core::domain::{Tag, TagCount};
use helpdesk_core::store::{TagScope, TagStore};
use helpdesk_core::{Error, Result};
use sqlx::{Postgres, QueryBuilder, Row};
use uuid::Uuid;

use crate::connection::PostgresStore;
use crate::error;
use crate::query::{push_any, push_range};

/// The query for `scope`.
fn tag_counts_query(scope: &TagScope, limit: u32) -> QueryBuilder<Postgres> {
    let mut q = QueryBuilder::new(
        "SELECT min(g.tag) AS tag, count(*) AS n \
         FROM ticket_tags g JOIN tickets t ON t.id = g.ticket_id WHERE TRUE",
    );
    if !scope.prefix.is_empty() {
        // Every key that starts with the prefix sorts in [prefix, prefix + U+10FFFF).
        q.push(" AND g.tag_key >= ")
            .push_bind(scope.prefix.clone())
            .push(" AND g.tag_key < ")
            .push_bind(format!("{}\u{10FFFF}", scope.prefix));
    }
    push_range(&mut q, "t.created_at", &scope.created);
    if let Some(departments) = &scope.departments {
        let ids: Vec<Uuid> = departments.iter().map(|d| d.as_uuid()).collect();
        push_any(&mut q, "t.department", ids);
    }
    q.push(" GROUP BY g.tag_key ORDER BY n DESC, g.tag_key LIMIT ")
        .push_bind(i64::from(limit));
    q
}

#[async_trait]
impl TagStore for PostgresStore {
    async fn tag_counts(&self, scope: &TagScope, limit: u32) -> Result<Vec<TagCount>> {
        let rows = tag_counts_query(scope, limit)
            .build()
            .fetch_all(&self.pool)
            .await
            .map_err(error::db)?;
        rows.iter()
            .map(|row| {
                let text: String = row.try_get("tag").map_err(Error::backend)?;
                let n: i64 = row.try_get("n").map_err(Error::backend)?;
                Ok(TagCount {
                    tag: Tag::parse(&text).map_err(|e| Error::corrupt("ticket_tags", "tag", e))?,
                    tickets: u64::try_from(n)
                        .map_err(|e| Error::corrupt("ticket_tags", "count", e))?,
                })
            })
            .collect()
    }
}
