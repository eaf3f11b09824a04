//! Erasure and anonymisation of a customer (issue 22, item 4): admins only; afterwards
//! nothing of the customer is findable ([`findable`]): not by the search box, not by a
//! look-up of their name, e-mail or phone, not in the outbox, notifications, quarantined mail,
//! blobs, nor any ticket or history kept; the audit entry names who and when, never whose
//! data. Anonymised tickets stay for reports.

use std::sync::Arc;

use chrono::Duration;

use crate::clock::Clock;
use crate::domain::{
    Actor, CustomFields, Customer, Email, FieldValue, Language, Name, Priority, Rating, Resolution,
    ShortNote, Ticket,
};
use crate::error::Error;
use crate::machine::Command;
use crate::service::{Acting, AttachmentLimits, MailSettings, Retention, Upload};
use crate::store::{
    ANONYMISED, BlobKey, BlobStore, ErasureCause, ErasureMode, MailSummary, MemoryBlobStore,
    QuarantinedMail, Store, TicketFilter, TicketOrder, UndeliverableAddress,
};
use crate::testkit::conformance::desk::reply;
use crate::testkit::{Fixture, ability, body};

mod findable;

use findable::{found, no_ticket_or_history_holds, nothing_findable};

/// A word no other data holds.
const MARK: &str = "zebrafjord";

/// The desk with blobs and mail, and `customer`'s ticket with a marked subject, body and
/// attachment, an agent's reply (mail out, notifications), a login link, quarantined mail
/// from their address and a mark of it as undeliverable. The ticket and the bytes.
async fn their_data(
    f: &Fixture,
    blobs: &Arc<MemoryBlobStore>,
    customer: &Customer,
    bytes: &[u8],
    mark: &str,
) -> Ticket {
    let them = f.as_customer(customer).await;
    let mut new = f.new_ticket(&f.support, &format!("{mark} router"));
    new.body = body(&format!("My {mark} is broken"));
    let upload = Upload::new("photo.png", "image/png", bytes.to_vec());
    let t = them
        .open_ticket_with_uploads(new, vec![upload])
        .await
        .unwrap();
    let ivan = f.as_agent(&f.ivan).await;
    ivan.execute(t.id, reply(&format!("About your {mark}")))
        .await
        .unwrap();
    // Personal text the history records: a custom field, a priority request's reason, the
    // address the thread was e-mailed to.
    let fields = CustomFields::new()
        .with(
            "contact",
            FieldValue::Text(format!("{mark} +40 721 000 000")),
        )
        .unwrap();
    ivan.execute(t.id, Command::SetCustomFields { fields })
        .await
        .unwrap();
    ask_priority(f, &them, &t, &format!("My {mark} shop is down")).await;
    let elsewhere = Email::parse(&format!("{mark}@elsewhere.test")).unwrap();
    ivan.email_ticket(t.id, elsewhere, Language::English)
        .await
        .unwrap();
    assert!(blobs.blob(&BlobKey::of(bytes)).await.unwrap().is_some());
    let store = f.desk.store().clone();
    if store.as_account_store().is_some() {
        f.as_agent(&f.admin)
            .await
            .invite(Actor::Customer(customer.id), None)
            .await
            .unwrap();
    }
    if let (Some(q), Some(address)) = (store.as_mail_quarantine(), &customer.email) {
        let at = f.clock.now();
        let mail = QuarantinedMail {
            id: crate::domain::QuarantineId::new(),
            received_at: at,
            tried_at: at,
            attempts: 1,
            code: "validation".into(),
            reason: "kept".into(),
            summary: MailSummary {
                sender: Some(address.as_str().to_uppercase()),
                subject: Some(format!("{mark} again")),
                message_id: None,
            },
            size: 3,
        };
        q.put_quarantined_mail(&mail, mark.as_bytes())
            .await
            .unwrap();
    }
    if let (Some(u), Some(address)) = (store.as_undeliverable_store(), &customer.email) {
        let at = f.clock.now();
        u.mark_undeliverable(&UndeliverableAddress {
            address: address.clone(),
            marked_at: at,
            until: at + Duration::days(1),
            status: None,
            diagnostic: Some(format!("{mark} unknown")),
            ticket_id: Some(t.id),
            outbox_id: None,
        })
        .await
        .unwrap();
    }
    t
}

/// What names `customer` outside their tickets: `other`'s thread e-mailed to their address,
/// their address copied (CC) on `other`'s mail, and Ivan's saved searches of their tickets
/// and of their address.
async fn named_elsewhere(f: &Fixture, customer: &Customer, other: &Ticket) {
    let address = customer.email.clone().unwrap();
    let ivan = f.as_agent(&f.ivan).await;
    ivan.email_ticket(other.id, address.clone(), Language::English)
        .await
        .unwrap();
    if f.desk.store().as_follower_store().is_some() {
        ivan.add_cc(other.id, &[address.as_str()]).await.unwrap();
        ivan.execute(other.id, reply("Copying a colleague"))
            .await
            .unwrap();
    }
    let theirs = TicketFilter {
        customer: Some(customer.id),
        ..TicketFilter::default()
    };
    let saved = ivan
        .save_search(
            Name::parse("Their tickets").unwrap(),
            None,
            theirs,
            TicketOrder::LastUpdate,
        )
        .await;
    if !matches!(saved, Err(Error::Unsupported { .. })) {
        saved.unwrap();
        ivan.save_search(
            Name::parse("Their mail").unwrap(),
            Some(address.as_str().to_owned()),
            TicketFilter::default(),
            TicketOrder::LastUpdate,
        )
        .await
        .unwrap();
    }
}

/// Ivan lowers `t`'s priority and its customer `them` asks to raise it, for `reason`.
async fn ask_priority(f: &Fixture, them: &Acting, t: &Ticket, reason: &str) {
    let ivan = f.as_agent(&f.ivan).await;
    let low = Command::ChangePriority {
        priority: Priority::Low,
    };
    ivan.execute(t.id, low).await.unwrap();
    let ask = Command::RequestPriority {
        priority: Priority::Normal,
        reason: ShortNote::parse(reason).unwrap(),
    };
    them.execute(t.id, ask).await.unwrap();
}

/// The desk of `f` with a memory blob store and mail; the blob store.
fn with_blobs_and_mail(f: &mut Fixture) -> Arc<MemoryBlobStore> {
    let blobs = Arc::new(MemoryBlobStore::new());
    f.desk = f
        .desk
        .clone()
        .with_blobs(blobs.clone(), AttachmentLimits::default())
        .with_mail(MailSettings::new(
            Email::parse("support@desk.test").unwrap(),
            f.support.id,
        ));
    blobs
}

pub async fn an_admin_erases_a_customer_and_nothing_of_them_is_findable(store: Arc<dyn Store>) {
    let mut f = Fixture::new(store.clone()).await;
    let Some(_) = ability(store.as_erasure_store(), "erasure") else {
        return;
    };
    let blobs = with_blobs_and_mail(&mut f);
    let ana = f.ana.clone();
    let theirs = their_data(&f, &blobs, &ana, b"ana's photo", MARK).await;
    let acme = f.acme.clone();
    let other = their_data(&f, &blobs, &acme, b"acme's photo", "quokkaberg").await;
    named_elsewhere(&f, &ana, &other).await;
    let other_thread = store.messages(other.id, true).await.unwrap().len();
    // Only admins erase, and an unknown customer is not found.
    for who in [f.as_agent(&f.ivan).await, f.as_customer(&ana).await] {
        assert!(matches!(
            who.erase_customer(ana.id, ErasureMode::Erase).await,
            Err(Error::Forbidden { .. })
        ));
    }
    let admin = f.as_agent(&f.admin).await;
    assert!(matches!(
        admin
            .erase_customer(crate::domain::CustomerId::new(), ErasureMode::Erase)
            .await,
        Err(Error::NotFound { .. })
    ));
    assert!(
        store.customer(ana.id).await.unwrap().is_some(),
        "nothing written"
    );

    let record = admin
        .erase_customer(ana.id, ErasureMode::Erase)
        .await
        .unwrap();
    assert_eq!(
        (record.mode, record.cause, record.actor, record.tickets),
        (
            ErasureMode::Erase,
            ErasureCause::Request,
            Actor::Agent(f.admin.id),
            1
        )
    );
    assert!(store.customer(ana.id).await.unwrap().is_none());
    assert!(store.ticket(theirs.id).await.unwrap().is_none());
    assert!(store.messages(theirs.id, true).await.unwrap().is_empty());
    assert!(store.history(theirs.id).await.unwrap().is_empty());
    assert!(store.ticket_emails(theirs.id).await.unwrap().is_empty());
    assert!(store.mail_references(theirs.id).await.unwrap().is_empty());
    assert!(
        store
            .ticket_by_number(theirs.number.full())
            .await
            .unwrap()
            .is_none()
    );
    nothing_findable(&f, &ana, &blobs, b"ana's photo").await;
    // The other customer keeps everything.
    assert!(store.ticket(other.id).await.unwrap().is_some());
    assert_eq!(
        store.messages(other.id, true).await.unwrap().len(),
        other_thread
    );
    assert!(
        blobs
            .blob(&BlobKey::of(b"acme's photo"))
            .await
            .unwrap()
            .is_some()
    );
    // The audit entry says who and when, not whose data.
    let trail = admin.erasures(10).await.unwrap();
    assert_eq!(trail, vec![record]);
    let text = format!("{trail:?}");
    assert!(!text.contains("ana") && !text.contains("Popescu") && !text.contains(MARK));
    assert!(matches!(
        f.as_agent(&f.ivan).await.erasures(10).await,
        Err(Error::Forbidden { .. })
    ));
}

pub async fn an_anonymised_customers_tickets_stay_for_reports_without_their_data(
    store: Arc<dyn Store>,
) {
    let mut f = Fixture::new(store.clone()).await;
    let Some(_) = ability(store.as_erasure_store(), "erasure") else {
        return;
    };
    let blobs = with_blobs_and_mail(&mut f);
    let ana = f.ana.clone();
    let theirs = their_data(&f, &blobs, &ana, b"ana's photo", MARK).await;
    let acme = f.acme.clone();
    let other = their_data(&f, &blobs, &acme, b"acme's photo", "quokkaberg").await;
    named_elsewhere(&f, &ana, &other).await;
    let before = store.ticket(theirs.id).await.unwrap().unwrap();
    let admin = f.as_agent(&f.admin).await;
    let record = admin
        .erase_customer(ana.id, ErasureMode::Anonymise)
        .await
        .unwrap();
    assert_eq!((record.mode, record.tickets), (ErasureMode::Anonymise, 1));
    let kept = store
        .customer(ana.id)
        .await
        .unwrap()
        .expect("the record stays");
    assert_eq!(kept, crate::store::placeholder(&ana));
    let t = store
        .ticket(theirs.id)
        .await
        .unwrap()
        .expect("the ticket stays");
    assert_eq!(t.subject.as_str(), ANONYMISED);
    assert_eq!(
        (t.customer, t.number.clone(), t.status),
        (Some(ana.id), before.number, before.status)
    );
    let thread = store.messages(t.id, true).await.unwrap();
    assert_eq!(thread.len(), 2);
    assert!(
        thread
            .iter()
            .all(|m| m.body.as_str() == ANONYMISED && m.attachments.is_empty())
    );
    let filter = TicketFilter {
        customer: Some(ana.id),
        ..TicketFilter::default()
    };
    assert_eq!(
        store.count_tickets(&filter).await.unwrap(),
        1,
        "reports count it"
    );
    nothing_findable(&f, &ana, &blobs, b"ana's photo").await;
    assert_eq!(
        found(&admin, ANONYMISED).await,
        1,
        "the placeholder is what is indexed"
    );
    // The history keeps its entries, kinds and instants, for reports.
    let history = store.history(t.id).await.unwrap();
    let kinds: Vec<&str> = history.iter().map(|e| e.change.kind()).collect();
    for kind in [
        "created",
        "replied",
        "custom_fields_changed",
        "priority_requested",
        "thread_emailed",
    ] {
        assert!(kinds.contains(&kind), "{kind} is gone from {kinds:?}");
    }
    assert!(store.ticket(other.id).await.unwrap().is_some());
    // The ticket can still be worked on.
    f.as_agent(&f.ivan)
        .await
        .execute(t.id, reply("Closing this"))
        .await
        .unwrap();
}

/// Sets `rule` as the admin; `false` when the store keeps no settings.
async fn set_rule(f: &Fixture, rule: Retention) -> bool {
    let admin = f.as_agent(&f.admin).await;
    match admin.set_retention(Some(rule)).await {
        Err(Error::Unsupported { .. }) => false,
        other => {
            other.unwrap();
            true
        }
    }
}

pub async fn retention_erases_closed_tickets_past_their_age_once_with_two_workers(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store.clone()).await;
    let Some(_) = ability(store.as_erasure_store(), "erasure") else {
        return;
    };
    let admin = f.as_agent(&f.admin).await;
    assert_eq!(f.desk.retention().await.unwrap(), None, "off by default");
    let rule = Retention {
        closed_days: 30,
        mode: ErasureMode::Erase,
    };
    assert!(matches!(
        f.as_agent(&f.ivan).await.set_retention(Some(rule)).await,
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        admin
            .set_retention(Some(Retention {
                closed_days: 0,
                ..rule
            }))
            .await,
        Err(Error::Validation(_))
    ));
    if !set_rule(&f, rule).await {
        eprintln!("skipped: the store keeps no settings");
        return;
    }
    assert_eq!(admin.retention_rule().await.unwrap(), Some(rule));
    let old = f.open(&f.ana, "Old and closed").await;
    let open = f.open(&f.ana, "Old but open").await;
    let ivan = f.as_agent(&f.ivan).await;
    ivan.execute(
        old.id,
        Command::Close {
            resolution: Resolution::Solved,
        },
    )
    .await
    .unwrap();
    f.tick(29 * 24 * 3600);
    let young = f.open(&f.acme, "Closed lately").await;
    ivan.execute(
        young.id,
        Command::Close {
            resolution: Resolution::Unsolved,
        },
    )
    .await
    .unwrap();
    f.tick(2 * 24 * 3600);
    let now = f.clock.now();
    let (a, b) = tokio::join!(f.desk.run_due(now), f.desk.run_due(now));
    assert_eq!(
        a.unwrap().retained + b.unwrap().retained,
        1,
        "each ticket once"
    );
    assert!(store.ticket(old.id).await.unwrap().is_none());
    assert!(store.ticket(open.id).await.unwrap().is_some(), "not closed");
    assert!(store.ticket(young.id).await.unwrap().is_some(), "too young");
    let trail = admin.erasures(10).await.unwrap();
    assert_eq!(trail.len(), 1, "one audit entry: {trail:?}");
    assert_eq!(
        (
            trail[0].cause,
            trail[0].actor,
            trail[0].tickets,
            trail[0].customer
        ),
        (ErasureCause::Retention, Actor::System, 1, false)
    );
    assert_eq!(f.desk.run_due(now).await.unwrap().retained, 0);
}

pub async fn retention_anonymises_closed_tickets_once(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let Some(_) = ability(store.as_erasure_store(), "erasure") else {
        return;
    };
    let rule = Retention {
        closed_days: 7,
        mode: ErasureMode::Anonymise,
    };
    if !set_rule(&f, rule).await {
        eprintln!("skipped: the store keeps no settings");
        return;
    }
    let old = f.open(&f.ana, &format!("{MARK} closed")).await;
    let ana = f.as_customer(&f.ana).await;
    ask_priority(&f, &ana, &old, &format!("{MARK} is urgent")).await;
    f.as_agent(&f.ivan)
        .await
        .execute(
            old.id,
            Command::Close {
                resolution: Resolution::Solved,
            },
        )
        .await
        .unwrap();
    ana.execute(
        old.id,
        Command::RateSatisfaction {
            score: Rating::new(2).unwrap(),
            comment: Some(ShortNote::parse(format!("{MARK} was slow")).unwrap()),
        },
    )
    .await
    .unwrap();
    f.tick(8 * 24 * 3600);
    let now = f.clock.now();
    assert_eq!(f.desk.run_due(now).await.unwrap().retained, 1);
    assert_eq!(f.desk.run_due(now).await.unwrap().retained, 0, "once");
    let t = store.ticket(old.id).await.unwrap().unwrap();
    assert_eq!(t.subject.as_str(), ANONYMISED);
    assert!(t.status.is_closed());
    let rating = t.satisfaction.clone().expect("the score stays for reports");
    assert_eq!((rating.score.get(), rating.comment), (2, None));
    no_ticket_or_history_holds(store.as_ref(), &[MARK]).await;
    let admin = f.as_agent(&f.admin).await;
    assert_eq!(found(&admin, MARK).await, 0);
    assert!(
        store.customer(f.ana.id).await.unwrap().is_some(),
        "the customer stays"
    );
    assert_eq!(admin.erasures(10).await.unwrap().len(), 1);
    admin.set_retention(None).await.unwrap();
    assert_eq!(admin.retention_rule().await.unwrap(), None);
}
