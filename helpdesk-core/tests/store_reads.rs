//! What a request reads from the store before it writes: the principal once when the desk
//! starts acting as them, then what the change needs in one call (`read_together`: the
//! ticket, its department and customer, the agents when they may be told, the settings);
//! what a change causes is worked out from what was already read. A request that names its
//! sender and its reads up front (`execute_as`, `ticket_with_thread_as`) reads the principal
//! in that same call.

use std::sync::{Arc, Mutex};

use helpdesk_core::domain::Actor;
use helpdesk_core::machine::Command;
use helpdesk_core::service::MailSettings;
use helpdesk_core::store::MemoryStore;
use helpdesk_core::testkit::{Fixture, body};

/// The memory store, recording the name of every required method called on it.
#[derive(Debug, Default)]
struct Recorded {
    inner: MemoryStore,
    calls: Mutex<Vec<&'static str>>,
}

impl Recorded {
    /// The calls since the last time this was asked.
    fn take(&self) -> Vec<&'static str> {
        std::mem::take(&mut *self.calls.lock().unwrap())
    }
}

helpdesk_core::delegate_store! {
    impl Store for Recorded {
        via |this| this.inner,
        offering its abilities,
        before |this, name| this.calls.lock().unwrap().push(name);
    }
}

async fn desk() -> (Fixture, Arc<Recorded>) {
    let store = Arc::new(Recorded::default());
    let mut f = Fixture::new(store.clone()).await;
    f.desk = f.desk.clone().with_mail(MailSettings::new(
        helpdesk_core::domain::Email::parse("support@desk.test").unwrap(),
        f.support.id,
    ));
    (f, store)
}

#[tokio::test]
async fn a_customers_reply_reads_everything_it_needs_in_one_call() {
    let (f, store) = desk().await;
    let t = f.open(&f.ana, "Internet down").await;
    store.take();

    let ana = f.desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    assert_eq!(store.take(), ["customer"], "the principal, once");
    ana.execute(t.id, Command::reply(body("Still down.")))
        .await
        .unwrap();
    // She is the ticket's customer: not read again, neither to decide nor for the effects;
    // the ticket, its department and the agents (to tell the department) in one call.
    assert_eq!(store.take(), ["read_together", "commit"]);
}

#[tokio::test]
async fn an_agents_reply_reads_the_ticket_and_customer_together_and_the_agents_not_at_all() {
    let (f, store) = desk().await;
    let t = f.open(&f.ana, "Internet down").await;
    let ivan = f.desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    store.take();

    ivan.execute(t.id, Command::reply(body("Restarting the line.")))
        .await
        .unwrap();
    // The ticket, its department and customer in one call, to decide and to be told and
    // e-mailed, with the tickets linked to it, should it be a master (a staff's public
    // message on a master goes to each of them); the earlier mail of the conversation once,
    // for the e-mail's References.
    assert_eq!(store.take(), ["read_together", "mail_references", "commit"]);
}

#[tokio::test]
async fn a_reply_on_a_master_reads_its_linked_tickets_with_it_and_reaches_them() {
    let (f, store) = desk().await;
    let master = f.open(&f.ana, "Internet down").await;
    let linked = f.open(&f.ana, "No internet either").await;
    let ivan = f.desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    ivan.execute(
        linked.id,
        Command::LinkToMaster {
            master: Some(master.id),
        },
    )
    .await
    .unwrap();
    store.take();

    ivan.execute(master.id, Command::reply(body("The line is back.")))
        .await
        .unwrap();
    // The linked tickets come with the master's reads; their customer is the master's,
    // read with it, so nothing else is read but each e-mail's earlier mail, for its
    // References.
    assert_eq!(
        store.take(),
        [
            "read_together",
            "mail_references",
            "mail_references",
            "commit"
        ]
    );
    let thread = ivan.thread(linked.id).await.unwrap();
    assert!(
        thread
            .iter()
            .any(|m| m.body.as_str().starts_with("The line is back.")),
        "the master's reply reached the linked ticket"
    );
}

#[tokio::test]
async fn opening_a_ticket_reads_what_it_needs_in_one_call() {
    let (f, store) = desk().await;
    let ana = f.desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    store.take();

    ana.open_ticket(f.new_ticket(&f.support, "Internet down"))
        .await
        .unwrap();
    // The department, the agents (to tell the department) and the settings in one call;
    // a block of sequence values (the desk's first); the earlier mail of the conversation
    // (none yet) for the acknowledgement's References; then the commit.
    assert_eq!(
        store.take(),
        [
            "read_together",
            "next_ticket_sequences",
            "count_tickets",
            "mail_references",
            "commit"
        ]
    );
}

#[tokio::test]
async fn a_ticket_with_its_thread_is_one_store_call_and_so_is_the_newest_thread_page() {
    let (f, store) = desk().await;
    let t = f.open(&f.ana, "Internet down").await;
    let ivan = f.desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    store.take();

    ivan.ticket_with_thread(t.id, 50).await.unwrap();
    assert_eq!(store.take(), ["ticket_with_thread"]);
    ivan.thread(t.id).await.unwrap();
    assert_eq!(store.take(), ["ticket_with_thread"]);
    let page = ivan.thread_page(t.id, None, 50).await.unwrap();
    assert_eq!(store.take(), ["ticket_with_thread"]);
    // An older page starts from a message: the ticket, then the page.
    ivan.thread_page(t.id, Some(page.items[0].id), 50)
        .await
        .unwrap();
    assert_eq!(store.take(), ["ticket", "messages_page"]);
}

#[tokio::test]
async fn a_command_acting_as_its_sender_reads_the_principal_with_the_ticket_in_one_call() {
    let (f, store) = desk().await;
    let t = f.open(&f.ana, "Internet down").await;
    store.take();

    // An agent: before, the agent, then the ticket and the rest; now one call for both.
    f.desk
        .acting_as(Actor::Agent(f.ivan.id))
        .await
        .unwrap()
        .execute(t.id, Command::reply(body("Restarting the line.")))
        .await
        .unwrap();
    assert_eq!(
        store.take(),
        ["agent", "read_together", "mail_references", "commit"]
    );
    f.desk
        .execute_as(Actor::Agent(f.ivan.id), t.id, Command::reply(body("Done.")))
        .await
        .unwrap();
    assert_eq!(store.take(), ["read_together", "mail_references", "commit"]);
    // A customer: she is read with the ticket, and not again as its customer.
    f.desk
        .execute_as(
            Actor::Customer(f.ana.id),
            t.id,
            Command::reply(body("Works.")),
        )
        .await
        .unwrap();
    assert_eq!(store.take(), ["read_together", "commit"]);
}

#[tokio::test]
async fn a_ticket_with_its_thread_as_its_reader_is_one_store_call_with_the_principal() {
    let (f, store) = desk().await;
    let t = f.open(&f.ana, "Internet down").await;
    store.take();

    let (ivan, shown) = (f.desk)
        .ticket_with_thread_as(Actor::Agent(f.ivan.id), t.id, 50)
        .await
        .unwrap();
    assert_eq!(store.take(), ["read_together"]);
    assert_eq!(shown.ticket.id, t.id);
    // The desk acting as him serves the rest of the request without reading him again.
    ivan.history(t.id).await.unwrap();
    assert_eq!(store.take(), ["ticket", "history"]);
    (f.desk)
        .ticket_with_thread_as(Actor::Customer(f.ana.id), &t.number, 50)
        .await
        .unwrap();
    assert_eq!(store.take(), ["read_together"]);
}

#[tokio::test]
async fn a_queue_page_as_its_reader_is_one_store_call_with_the_principal() {
    use helpdesk_core::store::{PageRequest, TicketFilter, TicketOrder};

    let (f, store) = desk().await;
    let mine = f.open(&f.ana, "Internet down").await;
    let billing = f
        .desk
        .acting_as(Actor::Customer(f.acme.id))
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.billing, "Invoice"))
        .await
        .unwrap();
    store.take();
    let first = || PageRequest::first(TicketOrder::LastUpdate, 25);

    let (ivan, page) = (f.desk)
        .list_tickets_as(Actor::Agent(f.ivan.id), TicketFilter::default(), first())
        .await
        .unwrap();
    assert_eq!(store.take(), ["read_together"]);
    // Narrowed as `list_tickets` narrows it: Ivan reads support and sales, not billing.
    let ids: Vec<_> = page.items.iter().map(|t| t.id).collect();
    assert_eq!(ids, [mine.id]);
    let listed = ivan
        .list_tickets(TicketFilter::default(), first())
        .await
        .unwrap();
    assert_eq!(listed, page);
    store.take();

    // A customer's page: her own tickets only; another's: nothing, the principal still read.
    let (_, hers) = (f.desk)
        .list_tickets_as(Actor::Customer(f.acme.id), TicketFilter::default(), first())
        .await
        .unwrap();
    assert_eq!(
        hers.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [billing.id]
    );
    let not_hers = TicketFilter {
        customer: Some(f.ana.id),
        ..TicketFilter::default()
    };
    let (_, none) = (f.desk)
        .list_tickets_as(Actor::Customer(f.acme.id), not_hers, first())
        .await
        .unwrap();
    assert!(none.items.is_empty());
    assert_eq!(store.take(), ["read_together", "read_together"]);

    // An unknown agent: the error of `acting_as`.
    let unknown = helpdesk_core::domain::AgentId::new();
    let e = (f.desk)
        .list_tickets_as(Actor::Agent(unknown), TicketFilter::default(), first())
        .await
        .unwrap_err();
    assert!(matches!(e, helpdesk_core::Error::NotFound { .. }), "{e:?}");
}

#[tokio::test]
async fn a_wrapper_reads_together_only_the_settings_it_offers() {
    use helpdesk_core::store::{ReadSet, SettingKey, SettingsStore, Store};
    use helpdesk_core::testkit::RequiredOnly;

    let set = ReadSet {
        settings: vec![SettingKey::PublicUrl],
        ..ReadSet::default()
    };
    let offering = Recorded::default();
    let hiding = RequiredOnly::new(MemoryStore::new());
    for inner in [&offering.inner, hiding.inner()] {
        inner
            .put_setting(SettingKey::PublicUrl, "https://desk.example/")
            .await
            .unwrap();
    }
    assert_eq!(
        offering.read_together(&set).await.unwrap().settings,
        [(SettingKey::PublicUrl, "https://desk.example/".to_owned())]
    );
    // A wrapper that hides the settings ability reads none, though the store under it has.
    assert!(
        hiding
            .read_together(&set)
            .await
            .unwrap()
            .settings
            .is_empty()
    );
}
