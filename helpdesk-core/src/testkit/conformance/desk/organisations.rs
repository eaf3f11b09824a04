//! Organisations through the desk (issue 20): the domains an organisation owns (unique
//! across organisations, validated, staff only) and a new person at one of them joining it;
//! a member allowed to see the organisation's tickets lists, reads and replies to them (the
//! public thread only), and nothing changes without the flag or across organisations.

use std::sync::Arc;

use super::{changed, note, reply};
use crate::domain::{
    Actor, Customer, CustomerKind, OrganisationDomain, Ticket, TicketKey, Visibility,
};
use crate::error::{ConflictKind, Error};
use crate::machine::Command;
use crate::service::{Ingested, MailSettings, NewCustomer, UnknownSenders};
use crate::store::{PageRequest, Store, TicketFilter};
use crate::testkit::samples::{email, name};
use crate::testkit::{Fixture, ability};

fn domain(s: &str) -> OrganisationDomain {
    OrganisationDomain::parse(s).expect("a valid domain")
}

/// The fixture, when the store keeps organisations.
async fn fixture(store: &Arc<dyn Store>) -> Option<Fixture> {
    ability(store.as_organisation_store(), "organisations")?;
    Some(Fixture::new(store.clone()).await)
}

/// A person of `organisation` named `who` at `address`.
async fn member(f: &Fixture, organisation: &Customer, who: &str, address: &str) -> Customer {
    f.desk
        .as_system()
        .create_customer(
            NewCustomer::new(CustomerKind::Individual, name(who))
                .with_email(email(address))
                .with_organisation(organisation.id),
        )
        .await
        .unwrap()
}

/// Every ticket `customer` lists.
async fn listed(f: &Fixture, customer: &Customer) -> Vec<Ticket> {
    let acting = f
        .desk
        .acting_as(Actor::Customer(customer.id))
        .await
        .unwrap();
    (acting.list_tickets(TicketFilter::default(), PageRequest::default()))
        .await
        .unwrap()
        .items
}

pub async fn organisation_domains_are_validated_unique_and_staff_only(store: Arc<dyn Store>) {
    let Some(f) = fixture(&store).await else {
        return;
    };
    let admin = f.as_agent(&f.admin).await;
    let ivan = f.as_agent(&f.ivan).await;
    let stored = ivan
        .set_organisation_domains(
            f.acme.id,
            vec![
                domain("acme.example"),
                domain("ACME.ro"),
                domain("acme.example"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(stored, vec![domain("acme.example"), domain("acme.ro")]);
    assert_eq!(admin.organisation_domains(f.acme.id).await.unwrap(), stored);

    // Another organisation may not take one of them: a conflict, and nothing written.
    let other = admin
        .create_customer(NewCustomer::new(
            CustomerKind::Organisation,
            name("Hotel SRL"),
        ))
        .await
        .unwrap();
    let taken = admin
        .set_organisation_domains(other.id, vec![domain("hotel.example"), domain("acme.ro")])
        .await
        .unwrap_err();
    assert!(
        matches!(&taken, Error::Conflict { kind: ConflictKind::Duplicate { field }, .. } if field == "domain"),
        "{taken:?}"
    );
    assert!(
        admin
            .organisation_domains(other.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(admin.organisation_domains(f.acme.id).await.unwrap(), stored);

    // A person is no organisation; customers manage nothing.
    let person = admin
        .set_organisation_domains(f.ana.id, vec![domain("example.ro")])
        .await
        .unwrap_err();
    assert!(matches!(person, Error::Validation(_)), "{person:?}");
    let ana = f.as_customer(&f.ana).await;
    let refused = ana.organisation_domains(f.acme.id).await.unwrap_err();
    assert!(matches!(refused, Error::Forbidden { .. }), "{refused:?}");
    let refused = ana
        .set_organisation_domains(f.acme.id, Vec::new())
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Forbidden { .. }), "{refused:?}");

    // Emptied, the domain is free again.
    admin
        .set_organisation_domains(f.acme.id, Vec::new())
        .await
        .unwrap();
    admin
        .set_organisation_domains(other.id, vec![domain("acme.ro")])
        .await
        .unwrap();
    assert_eq!(
        admin.organisation_domains(other.id).await.unwrap(),
        vec![domain("acme.ro")]
    );
}

pub async fn a_new_person_at_an_organisations_domain_joins_it(store: Arc<dyn Store>) {
    let Some(f) = fixture(&store).await else {
        return;
    };
    let admin = f.as_agent(&f.admin).await;
    admin
        .set_organisation_domains(f.acme.id, vec![domain("acme.example")])
        .await
        .unwrap();
    // Created by staff without an organisation.
    let ion = admin
        .create_customer(
            NewCustomer::new(CustomerKind::Individual, name("Ion"))
                .with_email(email("ion@Acme.example")),
        )
        .await
        .unwrap();
    assert_eq!(ion.organisation, Some(f.acme.id));
    // Created by mail.
    let desk = f.desk.clone().with_mail(
        MailSettings::new(email("support@desk.test"), f.support.id)
            .with_unknown_senders(UnknownSenders::CreateCustomer),
    );
    let mail = "From: Elena <elena@acme.example>\r\nTo: support@desk.test\r\nSubject: Factura\r\n\
                Message-ID: <o1@acme.example>\r\nDate: Mon, 5 Jan 2026 10:00:00 +0200\r\n\
                MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNu am factura.\r\n";
    let Ingested::Opened(t) = desk.ingest_email(mail.as_bytes()).await.unwrap() else {
        panic!("a new ticket");
    };
    let elena = store.customer(t.customer.unwrap()).await.unwrap().unwrap();
    assert_eq!(elena.organisation, Some(f.acme.id));
    // Elsewhere, or an organisation itself: no membership.
    let other = admin
        .create_customer(
            NewCustomer::new(CustomerKind::Individual, name("Dan"))
                .with_email(email("dan@other.example")),
        )
        .await
        .unwrap();
    assert_eq!(other.organisation, None);
    let org = admin
        .create_customer(
            NewCustomer::new(CustomerKind::Organisation, name("Acme Sales"))
                .with_email(email("sales@acme.example")),
        )
        .await
        .unwrap();
    assert_eq!(org.organisation, None);
}

pub async fn a_member_with_the_flag_lists_reads_and_replies_to_the_organisations_tickets(
    store: Arc<dyn Store>,
) {
    let Some(f) = fixture(&store).await else {
        return;
    };
    let admin = f.as_agent(&f.admin).await;
    let ion = member(&f, &f.acme, "Ion", "ion@acme.example").await;
    let elena = member(&f, &f.acme, "Elena", "elena@acme.example").await;
    let theirs = f.open(&elena, "Elena's router").await;
    let acme_own = f.open(&f.acme, "Acme's contract").await;
    let anas = f.open(&f.ana, "Ana's ticket").await;
    f.as_agent(&f.ivan)
        .await
        .execute(theirs.id, note("Internal: check the line."))
        .await
        .unwrap();

    // Without the flag: only their own (none).
    assert!(listed(&f, &ion).await.is_empty());
    let acting = f.desk.acting_as(Actor::Customer(ion.id)).await.unwrap();
    assert!(matches!(
        acting.ticket(theirs.id).await.unwrap_err(),
        Error::NotFound { .. }
    ));
    assert!(!acting.sees_organisation_tickets(ion.id).await.unwrap());

    admin
        .set_sees_organisation_tickets(ion.id, true)
        .await
        .unwrap();
    let acting = f.desk.acting_as(Actor::Customer(ion.id)).await.unwrap();
    assert!(acting.sees_organisation_tickets(ion.id).await.unwrap());
    let mut ids: Vec<_> = listed(&f, &ion).await.iter().map(|t| t.id).collect();
    ids.sort();
    let mut expected = vec![theirs.id, acme_own.id];
    expected.sort();
    assert_eq!(
        ids, expected,
        "the organisation's and its members' tickets, not Ana's"
    );
    assert_eq!(
        acting.count_tickets(TicketFilter::default()).await.unwrap(),
        2
    );
    // Read by id and by number; the thread without the internal note.
    assert_eq!(acting.ticket(theirs.id).await.unwrap().id, theirs.id);
    let by_number = TicketKey::Number(theirs.number.short().to_owned());
    assert_eq!(acting.ticket(by_number).await.unwrap().id, theirs.id);
    let thread = acting.thread(theirs.id).await.unwrap();
    assert_eq!(thread.len(), 1);
    assert!(thread.iter().all(|m| m.visibility == Visibility::Public));
    let (_, page) = f
        .desk
        .ticket_with_thread_as(Actor::Customer(ion.id), theirs.id, 10)
        .await
        .unwrap();
    assert_eq!(page.thread.items.len(), 1);
    // A public reply, as Ion; nothing else.
    let replied = changed(
        acting
            .execute(theirs.id, reply("Same here."))
            .await
            .unwrap(),
    );
    let thread = acting.thread(replied.id).await.unwrap();
    assert_eq!(thread.last().unwrap().author, Actor::Customer(ion.id));
    assert_eq!(thread.last().unwrap().visibility, Visibility::Public);
    let refused = acting
        .execute(theirs.id, Command::ConfirmResolution)
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Forbidden { .. }), "{refused:?}");
    let replied = f
        .desk
        .execute_as(Actor::Customer(ion.id), theirs.id, reply("Still down."))
        .await
        .unwrap();
    assert_eq!(changed(replied).id, theirs.id);
    // Never another organisation's, or an outsider's.
    assert!(matches!(
        acting.ticket(anas.id).await.unwrap_err(),
        Error::NotFound { .. }
    ));
    assert!(matches!(
        acting.execute(anas.id, reply("Hi")).await.unwrap_err(),
        Error::NotFound { .. }
    ));
    let asked = acting
        .list_tickets(
            TicketFilter {
                customer: Some(f.ana.id),
                ..TicketFilter::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert!(asked.items.is_empty());

    // Elena, without the flag, still sees only her own.
    let mine: Vec<_> = listed(&f, &elena).await.iter().map(|t| t.id).collect();
    assert_eq!(mine, vec![theirs.id]);

    // The flag off again: back to their own.
    admin
        .set_sees_organisation_tickets(ion.id, false)
        .await
        .unwrap();
    assert!(listed(&f, &ion).await.is_empty());
    let acting = f.desk.acting_as(Actor::Customer(ion.id)).await.unwrap();
    assert!(matches!(
        acting.ticket(theirs.id).await.unwrap_err(),
        Error::NotFound { .. }
    ));
}

pub async fn the_flag_is_staffs_to_set_and_needs_an_organisation(store: Arc<dyn Store>) {
    let Some(f) = fixture(&store).await else {
        return;
    };
    let ion = member(&f, &f.acme, "Ion", "ion@acme.example").await;
    let as_ion = f.desk.acting_as(Actor::Customer(ion.id)).await.unwrap();
    let refused = as_ion
        .set_sees_organisation_tickets(ion.id, true)
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Forbidden { .. }), "{refused:?}");
    let refused = as_ion
        .sees_organisation_tickets(f.ana.id)
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Forbidden { .. }), "{refused:?}");
    let ivan = f.as_agent(&f.ivan).await;
    let alone = ivan
        .set_sees_organisation_tickets(f.ana.id, true)
        .await
        .unwrap_err();
    assert!(matches!(alone, Error::Validation(_)), "{alone:?}");
    assert!(!ivan.sees_organisation_tickets(f.ana.id).await.unwrap());
    ivan.set_sees_organisation_tickets(ion.id, true)
        .await
        .unwrap();
    assert!(ivan.sees_organisation_tickets(ion.id).await.unwrap());
}
