//! The fast filler checked against the library: before the filler runs, the baseline writes
//! a copy of each warm-up ticket (the same index, so the same customer, department and
//! text) the way it writes filler tickets, and the library must see the copy as it sees the
//! ticket it wrote itself: the same rows in each child table, found by the same searches
//! (every word of the subject and messages, and each word's stem), the same queue, the same
//! thread. A difference in what is found stops the run: the read figures would be of rows
//! the store does not write.

use helpdesk::Helpdesk;
use helpdesk::domain::{Actor, CustomerId, DepartmentId, TicketId};
use helpdesk::search::words;
use helpdesk::store::{PageRequest, TicketFilter, TicketOrder};
use uuid::Uuid;

use crate::base::{Baseline, Res};
use crate::{Templates, World, spec};

/// Writes and checks the copies; returns how many tickets it wrote.
pub async fn check<B: Baseline>(
    desk: &Helpdesk,
    base: &mut B,
    world: &World,
    tpl: &Templates<B::Row>,
    agent: Actor,
) -> Res<usize> {
    let acting = desk.acting_as(agent).await?;
    let mut problems = Vec::new();
    let mut searches = 0;
    for (kind, &(i, library)) in tpl.warm.iter().enumerate() {
        let copy = spec(world, i);
        base.fill(&tpl.full[kind], std::slice::from_ref(&copy))
            .await?;
        // The rows of each child table, counted.
        let (a, b) = (base.snapshot(library).await?, base.snapshot(copy.id).await?);
        let counts = |s: &crate::base::Snapshot<B::Row>| {
            (s.children.iter())
                .map(|(t, rows)| (t.clone(), rows.len()))
                .collect::<Vec<_>>()
        };
        if counts(&a) != counts(&b) {
            problems.push(format!(
                "kind {kind}: rows {:?} (library) against {:?} (filler)",
                counts(&a),
                counts(&b)
            ));
        }
        // Every word of its text, and the word with its last letter dropped (a search of
        // another form of it goes through the stem keys).
        let mut typed: Vec<String> = std::iter::once(&copy.subject)
            .chain(&copy.bodies)
            .flat_map(|t| words(t))
            .collect();
        let forms: Vec<String> = (typed.iter())
            .filter(|w| w.chars().count() > 5)
            .map(|w| {
                let mut w = w.clone();
                w.pop();
                w
            })
            .collect();
        typed.extend(forms);
        typed.sort();
        typed.dedup();
        let theirs = TicketFilter {
            customer: Some(CustomerId::from_uuid(copy.customer)),
            ..TicketFilter::default()
        };
        for word in &typed {
            let Ok(page) = acting.search_tickets(word, theirs.clone(), first()).await else {
                continue; // not a query (e.g. an operator word): no search to compare
            };
            searches += 1;
            let has = |id: Uuid| page.items.iter().any(|t| t.id.as_uuid() == id);
            if has(library) != has(copy.id) {
                problems.push(format!(
                    "kind {kind}: {word:?} finds the library's ticket: {}, the filler's: {}",
                    has(library),
                    has(copy.id)
                ));
            }
        }
        // The department's queue, and the thread.
        let queue = TicketFilter {
            departments: Some(vec![DepartmentId::from_uuid(copy.department)]),
            ..theirs.clone()
        };
        let listed = acting.list_tickets(queue, first()).await?;
        let listed = |id: Uuid| listed.items.iter().any(|t| t.id.as_uuid() == id);
        if !listed(library) || !listed(copy.id) {
            problems.push(format!("kind {kind}: the queue does not list both"));
        }
        let shown = |id| acting.ticket_with_thread(TicketId::from_uuid(id), 50);
        let (x, y) = (shown(library).await?, shown(copy.id).await?);
        if x.ticket.status != y.ticket.status
            || x.thread.items.len() != y.thread.items.len()
            || (x.thread.items.iter().zip(&y.thread.items))
                .any(|(m, n)| m.visibility != n.visibility || m.author != n.author)
        {
            problems.push(format!(
                "kind {kind}: status or thread differ: {:?}/{} against {:?}/{}",
                x.ticket.status,
                x.thread.items.len(),
                y.ticket.status,
                y.thread.items.len()
            ));
        }
    }
    if !problems.is_empty() {
        return Err(format!("the fast filler's rows differ:\n{}", problems.join("\n")).into());
    }
    eprintln!(
        "fill check: {} filler copies read as the library's tickets ({searches} searches)",
        tpl.warm.len()
    );
    Ok(tpl.warm.len())
}

fn first() -> PageRequest {
    PageRequest::first(TicketOrder::LastUpdate, PageRequest::MAX_LIMIT)
}
