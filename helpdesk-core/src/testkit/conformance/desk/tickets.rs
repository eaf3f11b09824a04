//! A ticket's life through the desk: opened and read back, found by its number as people
//! type it, answered, noted, reopened, resolved and confirmed, and followed up as its
//! department's policy says.

use std::sync::Arc;

use super::{change_kinds, changed, note, reply, snapshot};
use crate::domain::{
    Category, Change, CustomFields, FieldValue, Resolution, Status, TicketKey, TicketType, Version,
    Visibility,
};
use crate::error::{Error, ForbiddenReason, ValidationError};
use crate::machine::Command;
use crate::service::Outcome;
use crate::store::Store;
use crate::testkit::{Fixture, body};

pub async fn a_customer_opens_a_ticket_and_reads_it_back(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let mut new = f.new_ticket(&f.support, "Nu funcționează asistența");
    new.ticket_type = TicketType::Question;
    new.categories = [
        Category::parse("internet").unwrap(),
        Category::parse("tv").unwrap(),
    ]
    .into_iter()
    .collect();
    new.custom_fields = CustomFields::new()
        .with("district", FieldValue::Text("Centru".into()))
        .unwrap()
        .with("floor", FieldValue::Integer(4))
        .unwrap();
    let ana = f.as_customer(&f.ana).await;
    let t = ana.open_ticket(new).await.unwrap();
    assert_eq!(t.status, Status::New);
    assert_eq!(t.version, Version::FIRST);
    assert_eq!(t.customer, Some(f.ana.id));
    assert_eq!(t.opened_by, ana.actor());
    assert_eq!(ana.ticket(t.id).await.unwrap(), t);
    assert_eq!(store.ticket(t.id).await.unwrap().unwrap(), t);
    let thread = ana.thread(t.id).await.unwrap();
    assert_eq!(thread.len(), 1);
    assert_eq!(thread[0].author, ana.actor());
    assert_eq!(
        thread[0].body.as_str(),
        "Nu funcționează asistența: details"
    );
    let kinds = change_kinds(&ana.history(t.id).await.unwrap());
    assert_eq!(kinds, ["created", "replied"]);
}

pub async fn tickets_are_found_by_full_short_and_persian_numbers(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let t = f.open(&f.reza, "اینترنت قطع است").await;
    let persian: String = t
        .number
        .short()
        .chars()
        .map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap()).unwrap())
        .collect();
    let reza = f.as_customer(&f.reza).await;
    for typed in [
        t.number.full().to_owned(),
        t.number.short().to_owned(),
        format!("#{}", t.number.short()),
        persian,
    ] {
        let key = TicketKey::parse(&typed).unwrap();
        assert_eq!(reza.ticket(key).await.unwrap().id, t.id, "{typed}");
    }
    let unknown = TicketKey::parse("99999999").unwrap();
    assert!(matches!(
        reza.ticket(unknown).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        TicketKey::parse("12ab"),
        Err(ValidationError { .. })
    ));
    // Another customer may not learn that the number exists.
    let ana = f.as_customer(&f.ana).await;
    assert!(matches!(
        ana.ticket(TicketKey::parse(t.number.short()).unwrap())
            .await,
        Err(Error::NotFound { .. })
    ));
}

pub async fn the_first_agent_reply_opens_the_ticket_and_carries_the_signature(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store).await;
    let t = f.open(&f.ana, "No connection").await;
    let ivan = f.as_agent(&f.ivan).await;
    let after = changed(
        ivan.execute(t.id, reply("Restart the router"))
            .await
            .unwrap(),
    );
    assert_eq!(after.status, Status::Open);
    assert_eq!(after.first_response_at, Some(after.updated_at));
    assert_eq!(after.version, t.version.next());
    let thread = f.as_customer(&f.ana).await.thread(t.id).await.unwrap();
    assert_eq!(
        thread[1].body.as_str(),
        "Restart the router\n\n-- \nИван, техподдержка"
    );
    f.tick(60);
    let again = changed(ivan.execute(t.id, reply("Any news?")).await.unwrap());
    assert_eq!(again.first_response_at, after.first_response_at);
    let firsts: Vec<bool> = ivan
        .history(t.id)
        .await
        .unwrap()
        .iter()
        .filter_map(|e| match e.change {
            Change::Replied { first_response, .. } => Some(first_response),
            _ => None,
        })
        .collect();
    assert_eq!(firsts, [false, true, false]);
}

pub async fn internal_notes_are_never_shown_to_customers(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "Slow internet").await;
    let ivan = f.as_agent(&f.ivan).await;
    ivan.execute(t.id, note("customer is on the old tariff"))
        .await
        .unwrap();
    let hold = Command::PutOnHold {
        reason: Some(body("waiting for the field team")),
        until: None,
    };
    ivan.execute(t.id, hold).await.unwrap();
    ivan.execute(t.id, reply("We are on it")).await.unwrap();
    let ana = f.as_customer(&f.ana).await;
    let customer_view = ana.thread(t.id).await.unwrap();
    assert_eq!(customer_view.len(), 2);
    assert!(
        customer_view
            .iter()
            .all(|m| m.visibility == Visibility::Public && !m.body.as_str().contains("tariff"))
    );
    assert_eq!(ivan.thread(t.id).await.unwrap().len(), 4);
    let history = ana.history(t.id).await.unwrap();
    assert!(history.iter().all(|e| e.change.is_public()));
    assert!(
        !history
            .iter()
            .any(|e| matches!(e.change, Change::NoteAdded { .. }))
    );
    assert_eq!(store.messages(t.id, false).await.unwrap(), customer_view);
}

pub async fn a_customer_reply_reopens_pending_and_resolved_tickets(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let t = f.open(&f.ana, "Router blinks").await;
    let (ivan, ana) = (f.as_agent(&f.ivan).await, f.as_customer(&f.ana).await);
    let ask = Command::AskCustomer {
        body: body("Which colour?"),
        until: None,
    };
    let pending = changed(ivan.execute(t.id, ask).await.unwrap());
    assert_eq!(pending.status, Status::PendingCustomer);
    let open = changed(ana.execute(t.id, reply("Red")).await.unwrap());
    assert_eq!(open.status, Status::Open);
    let resolve = Command::Resolve {
        body: Some(body("Replace it")),
    };
    let resolved = changed(ivan.execute(t.id, resolve).await.unwrap());
    assert_eq!(resolved.status, Status::Resolved);
    assert!(resolved.resolved_at.is_some());
    let reopened = changed(ana.execute(t.id, reply("Did not help")).await.unwrap());
    assert_eq!(reopened.status, Status::Open);
    assert_eq!(reopened.resolved_at, None);
}

pub async fn resolve_then_confirm_closes_as_solved(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let t = f.open(&f.ana, "Invoice question").await;
    let (ivan, ana) = (f.as_agent(&f.ivan).await, f.as_customer(&f.ana).await);
    ivan.execute(t.id, reply("Looking")).await.unwrap();
    ivan.execute(t.id, Command::Resolve { body: None })
        .await
        .unwrap();
    let closed = changed(ana.execute(t.id, Command::ConfirmResolution).await.unwrap());
    assert_eq!(closed.status, Status::Closed(Resolution::Solved));
    assert!(closed.closed_at.is_some() && closed.resolved_at.is_some());
    let statuses: Vec<_> = ana
        .history(t.id)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| match e.change {
            Change::StatusChanged { from, to } => Some((from, to)),
            _ => None,
        })
        .collect();
    assert_eq!(
        statuses,
        [
            (Status::New, Status::Open),
            (Status::Open, Status::Resolved),
            (Status::Resolved, Status::Closed(Resolution::Solved)),
        ]
    );
    // An agent may close directly, and reopen.
    let second = f.open(&f.ana, "Second").await;
    let close = Command::Close {
        resolution: Resolution::Unsolved,
    };
    let c = changed(ivan.execute(second.id, close).await.unwrap());
    assert_eq!(c.status, Status::Closed(Resolution::Unsolved));
    let r = changed(ivan.execute(second.id, Command::Reopen).await.unwrap());
    assert_eq!((r.status, r.closed_at), (Status::Open, None));
}

pub async fn follow_up_policies_reopen_reject_or_open_a_new_ticket(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (admin, ana) = (f.as_agent(&f.admin).await, f.as_customer(&f.ana).await);
    let mut closed = Vec::new();
    for dept in [&f.support, &f.billing, &f.sales] {
        let new = f.new_ticket(dept, &format!("About {}", dept.name));
        let t = ana.open_ticket(new).await.unwrap();
        let close = Command::Close {
            resolution: Resolution::Solved,
        };
        admin.execute(t.id, close).await.unwrap();
        closed.push(t);
    }
    // Support reopens.
    let o = ana.execute(closed[0].id, reply("Again")).await.unwrap();
    assert_eq!(o.ticket().status, Status::Open);
    // Billing opens a new ticket that follows the closed one up.
    let o = ana.execute(closed[1].id, reply("Again")).await.unwrap();
    let Outcome::FollowUpOpened {
        closed: old,
        ticket,
    } = o
    else {
        panic!("expected a follow-up, got {o:?}");
    };
    assert_eq!(old, closed[1].id);
    assert_eq!(ticket.follow_up_of, Some(closed[1].id));
    assert_eq!(ticket.department, f.billing.id);
    assert_eq!(ticket.status, Status::New);
    assert_eq!(
        ana.thread(ticket.id).await.unwrap()[0].body.as_str(),
        "Again"
    );
    let old = store.ticket(closed[1].id).await.unwrap().unwrap();
    assert_eq!(old.status, Status::Closed(Resolution::Solved));
    // Sales rejects, changing nothing.
    let before = snapshot(store.as_ref(), &closed[2]).await;
    let err = ana.execute(closed[2].id, reply("Again")).await.unwrap_err();
    assert!(matches!(
        err,
        Error::Forbidden {
            reason: ForbiddenReason::FollowUpRejected
        }
    ));
    assert_eq!(snapshot(store.as_ref(), &closed[2]).await, before);
}
