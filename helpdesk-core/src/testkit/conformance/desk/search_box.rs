//! The search box (issue 20): other forms of a word found by their stems in English,
//! Romanian and Russian, exact matches ranked first, Persian letter forms and plurals, a
//! ticket found by its number in any digit script, a customer's tickets by name, e-mail and
//! phone, and phones matched in national and international form.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::search::open_with;
use crate::domain::{CustomerKind, Name, Phone, Ticket, TicketId};
use crate::error::Error;
use crate::listing::Pass;
use crate::search::{CustomerLookup, PhoneRegion};
use crate::service::{Acting, NewCustomer};
use crate::store::{PageRequest, Store, TicketFilter, TicketOrder};
use crate::testkit::Fixture;

/// What `q` finds for `who`, in the order given, on one page of `size`.
async fn found_in_order(who: &Acting, q: &str, order: TicketOrder, size: u32) -> Vec<TicketId> {
    who.search_tickets(q, TicketFilter::default(), PageRequest::first(order, size))
        .await
        .unwrap_or_else(|e| panic!("{q:?}: {e:?}"))
        .items
        .into_iter()
        .map(|t| t.id)
        .collect()
}

/// What `q` finds for `who`.
async fn found(who: &Acting, q: &str) -> BTreeSet<TicketId> {
    found_in_order(who, q, TicketOrder::LastUpdate, 200)
        .await
        .into_iter()
        .collect()
}

fn ids(tickets: &[&Ticket]) -> BTreeSet<TicketId> {
    tickets.iter().map(|t| t.id).collect()
}

pub async fn search_finds_other_forms_of_words_in_english_romanian_and_russian(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store).await;
    let ru = open_with(&f, &f.acme, "Нет интернета в офисе", "Подключения нет.").await;
    let en = open_with(&f, &f.ana, "Routers keep restarting", "Printing fails too.").await;
    let ro = open_with(&f, &f.ana, "Problema cu facturile", "Plata nu a trecut.").await;
    let admin = f.as_agent(&f.admin).await;
    for (q, want) in [
        ("офис", &ru),
        ("интернет", &ru),
        ("подключение", &ru),
        ("router", &en),
        ("printed", &en),
        ("restarts", &en),
        ("factura", &ro),
        ("facturii", &ro),
    ] {
        assert_eq!(found(&admin, q).await, ids(&[want]), "{q:?}");
    }
    // The stem is no prefix: nothing else is found, and exclusions exclude the other forms.
    assert!(found(&admin, "оф").await.is_empty());
    assert!(found(&admin, "офис -офисы").await.is_empty());
    // Customers find their own tickets the same way.
    let acme = f.as_customer(&f.acme).await;
    assert_eq!(found(&acme, "офис").await, ids(&[&ru]));
}

pub async fn exact_matches_rank_before_stemmed_ones(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let exact = open_with(&f, &f.acme, "Офис закрыт", "Никого нет.").await;
    let stemmed = open_with(&f, &f.acme, "Нет света в офисе", "Темно.").await;
    let admin = f.as_agent(&f.admin).await;
    f.tick(Pass::MARGIN.num_seconds());
    // The stemmed match is newer, and yet second.
    assert_eq!(
        found_in_order(&admin, "офис", TicketOrder::Relevance, 10).await,
        [exact.id, stemmed.id]
    );
    assert_eq!(
        found_in_order(&admin, "офисе", TicketOrder::Relevance, 10).await,
        [stemmed.id, exact.id]
    );
}

pub async fn persian_search_folds_letter_forms_zwnj_and_plurals(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let books = open_with(&f, &f.reza, "كتاب‌ها رسید", "فايل‌های من باز نمی‌شوند").await;
    let other = open_with(&f, &f.reza, "اینترنت قطع است", "مودم خاموش است").await;
    let admin = f.as_agent(&f.admin).await;
    for q in [
        "کتاب",
        "کتابها",
        "کتاب‌ها",
        "كتاب",
        "فایل",
        "فايلهای",
        "نمیشوند",
    ] {
        assert_eq!(found(&admin, q).await, ids(&[&books]), "{q:?}");
    }
    assert_eq!(found(&admin, "مودم").await, ids(&[&other]));
}

pub async fn the_box_finds_a_ticket_by_its_number_in_latin_and_persian_digits(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store).await;
    let t = open_with(&f, &f.reza, "اینترنت قطع است", "مودم خاموش است").await;
    let other = open_with(&f, &f.ana, "Nothing in common", "at all").await;
    let persian = |digits: &str| -> String {
        digits
            .chars()
            .map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap()).unwrap())
            .collect()
    };
    let arabic = |digits: &str| -> String {
        digits
            .chars()
            .map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap()).unwrap())
            .collect()
    };
    let admin = f.as_agent(&f.admin).await;
    let reza = f.as_customer(&f.reza).await;
    let ana = f.as_customer(&f.ana).await;
    for typed in [
        t.number.full().to_owned(),
        t.number.short().to_owned(),
        format!("#{}", t.number.short()),
        persian(t.number.short()),
        persian(t.number.full()),
        arabic(t.number.short()),
    ] {
        assert_eq!(found(&admin, &typed).await, ids(&[&t]), "{typed}");
        assert_eq!(found(&reza, &typed).await, ids(&[&t]), "{typed}");
        // Another customer does not learn that the number exists.
        assert!(found(&ana, &typed).await.is_empty(), "{typed}");
    }
    assert_eq!(found(&admin, other.number.short()).await, ids(&[&other]));
    // The ticket of the number comes first, its text matches after, each once.
    let mentions = open_with(
        &f,
        &f.ana,
        "Duplicate",
        &format!("Same as {}", t.number.short()),
    )
    .await;
    let ranked = found_in_order(&admin, t.number.short(), TicketOrder::LastUpdate, 10).await;
    assert_eq!(ranked, [t.id, mentions.id]);
}

pub async fn the_box_finds_a_customers_tickets_by_name_email_and_phone(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let acme_one = open_with(&f, &f.acme, "Сервер недоступен", "С утра.").await;
    let acme_two = open_with(&f, &f.acme, "Счёт не пришёл", "За май.").await;
    let ana = open_with(&f, &f.ana, "Router broken", "Help.").await;
    let reza = open_with(&f, &f.reza, "اینترنت قطع است", "مودم خاموش است").await;
    let admin = f.as_agent(&f.admin).await;
    for (q, want) in [
        ("ООО Акме", ids(&[&acme_one, &acme_two])),
        ("акме", ids(&[&acme_one, &acme_two])),
        ("it@acme.example", ids(&[&acme_one, &acme_two])),
        ("IT@ACME.EXAMPLE", ids(&[&acme_one, &acme_two])),
        ("+7 (495) 123-45-67", ids(&[&acme_one, &acme_two])),
        ("Ana Popescu", ids(&[&ana])),
        ("popescu", ids(&[&ana])),
        ("ana@example.ro", ids(&[&ana])),
        ("رضا احمدی", ids(&[&reza])),
    ] {
        assert_eq!(found(&admin, q).await, want, "{q:?}");
    }
    // Words of a name that are not whole words find nobody's tickets; a name does not
    // widen a customer's own search.
    assert!(found(&admin, "popes").await.is_empty());
    let customer = f.as_customer(&f.ana).await;
    assert!(found(&customer, "ООО Акме").await.is_empty());
    assert!(found(&customer, "it@acme.example").await.is_empty());
}

pub async fn phones_match_in_national_and_international_form(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let admin = f.as_agent(&f.admin).await;
    match admin
        .set_phone_region(Some(PhoneRegion::parse("RO").unwrap()))
        .await
    {
        Err(Error::Unsupported { .. }) => {
            eprintln!("skipped: the store keeps no settings");
            return;
        }
        other => other.unwrap(),
    }
    assert_eq!(
        admin.settings().await.unwrap().phone_region,
        PhoneRegion::parse("ro").ok()
    );
    let intl = f
        .desk
        .as_system()
        .create_customer(
            NewCustomer::new(CustomerKind::Individual, Name::parse("Ion Rusu").unwrap())
                .with_phone(Phone::parse("+40 721 000 111").unwrap()),
        )
        .await
        .unwrap();
    let national = f
        .desk
        .as_system()
        .create_customer(
            NewCustomer::new(CustomerKind::Individual, Name::parse("Dan Stan").unwrap())
                .with_phone(Phone::parse("0722 000 222").unwrap()),
        )
        .await
        .unwrap();
    let by_phone = |typed: &'static str| {
        let admin = &admin;
        async move {
            admin
                .find_customers(&CustomerLookup::phone(typed).unwrap())
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.id)
                .collect::<Vec<_>>()
        }
    };
    // The directory's phone look-up, both ways.
    assert_eq!(by_phone("0721 000 111").await, [intl.id]);
    assert_eq!(by_phone("+40 721 000 111").await, [intl.id]);
    assert_eq!(by_phone("0722-000-222").await, [national.id]);
    assert_eq!(by_phone("+40 722 000 222").await, [national.id]);
    assert!(by_phone("0723 000 333").await.is_empty());
    // The search box, both ways.
    let t = open_with(&f, &intl, "Nu merge", "Nimic.").await;
    let u = open_with(&f, &national, "Tot nu merge", "Nimic.").await;
    for (q, want) in [
        ("0721 000 111", &t),
        ("+40 721 000 111", &t),
        ("+40722000222", &u),
        ("0722 000 222", &u),
    ] {
        assert_eq!(found(&admin, q).await, ids(&[want]), "{q:?}");
    }
    // Without the region, the national form is only its digits.
    admin.set_phone_region(None).await.unwrap();
    assert!(by_phone("0721 000 111").await.is_empty());
    assert_eq!(by_phone("+40 721 000 111").await, [intl.id]);
    // Only admins set it; a bad region is refused.
    let ivan = f.as_agent(&f.ivan).await;
    assert!(matches!(
        ivan.set_phone_region(PhoneRegion::parse("RU").ok()).await,
        Err(Error::Forbidden { .. })
    ));
    assert!(PhoneRegion::parse("Romania").is_err());
}
