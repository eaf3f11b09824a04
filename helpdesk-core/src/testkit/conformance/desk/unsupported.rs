//! A desk on a store that keeps only the required contract ([`RequiredOnly`]) and without a
//! blob store or mail: every call that needs what is missing answers
//! [`Error::Unsupported`] naming it, and writes nothing; everything else works.

use std::fmt::Debug;
use std::sync::Arc;

use chrono::Duration;

use super::knowledge::draft as article;
use super::reply;
use crate::domain::{
    ArticleId, ArticleStatus, CannedResponseId, Channel, ChatId, Language, Presence, ReportGroup,
    ReportQuery, SavedSearchId, TemplateId, TicketType, Visibility,
};
use crate::error::{Ability, Error};
use crate::service::{ExecOptions, FromTemplate, TemplateDraft, Upload};
use crate::store::{PageRequest, Store, TicketFilter, TicketOrder};
use crate::testkit::samples::{email, name};
use crate::testkit::{Fixture, RequiredOnly, body};

/// Panics unless `result` is [`Error::Unsupported`] for `ability`.
fn unsupported<T: Debug>(what: &str, result: crate::Result<T>, ability: Ability) {
    match result {
        Err(Error::Unsupported { ability: a }) if a == ability => {}
        other => panic!("{what}: expected {ability} to be unsupported, got {other:?}"),
    }
}

/// Everything the store shows of its tickets.
async fn tickets(store: &dyn Store) -> String {
    let page = PageRequest::first(TicketOrder::LastUpdate, 200);
    let listed = store
        .list_tickets(&TicketFilter::default(), &page)
        .await
        .unwrap();
    let mut out = format!("{:?}\n", listed.items);
    for t in &listed.items {
        out += &format!("{:?}\n", store.messages(t.id, true).await.unwrap());
    }
    out
}

/// A mail with a file attached.
fn mail_with_a_file() -> Vec<u8> {
    b"From: it@acme.example\r\nTo: support@desk.test\r\nSubject: Logs\r\n\
Message-ID: <logs@acme.example>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n\
Logs attached.\r\n--B\r\nContent-Type: text/plain; name=\"log.txt\"\r\n\
Content-Disposition: attachment; filename=\"log.txt\"\r\n\r\nline 1\r\n--B--\r\n"
        .to_vec()
}

pub async fn calls_that_need_a_missing_ability_are_unsupported(store: Arc<dyn Store>) {
    let required: Arc<dyn Store> = Arc::new(RequiredOnly::new(store));
    let f = Fixture::new(required.clone()).await;
    let t = f.open(&f.ana, "Works without abilities").await;
    let (admin, ivan, ana) = (
        f.as_agent(&f.admin).await,
        f.as_agent(&f.ivan).await,
        f.as_customer(&f.ana).await,
    );
    let before = tickets(required.as_ref()).await;

    unsupported(
        "account store",
        f.desk.account_store().map(|_| ()),
        Ability::Accounts,
    );

    let query = ReportQuery {
        from: crate::testkit::samples::t0(),
        to: crate::testkit::samples::t0() + Duration::days(7),
        group: ReportGroup::Department,
        departments: None,
    };
    unsupported("report", admin.report(query).await, Ability::Reports);

    let chat = ChatId::new();
    let chat_calls = [
        (
            "set_presence",
            ivan.set_presence(Presence::Online, Some(2))
                .await
                .map(|_| ()),
        ),
        ("my_chats", ivan.my_chats().await.map(|_| ())),
        (
            "chat_queue",
            ivan.chat_queue(f.support.id).await.map(|_| ()),
        ),
        ("chat", ana.chat(chat).await.map(|_| ())),
        ("chat_place", ana.chat_place(chat).await.map(|_| ())),
        ("talk_to_person", ana.talk_to_person(chat).await.map(|_| ())),
        ("say", ana.say(chat, body("hello")).await.map(|_| ())),
        ("end_chat", ana.end_chat(chat).await.map(|_| ())),
        ("chat_answered", ana.chat_answered(chat).await.map(|_| ())),
    ];
    for (what, result) in chat_calls {
        unsupported(what, result, Ability::Chat);
    }

    let id = ArticleId::new();
    let draft = || {
        article(
            "Router",
            "Restart it.",
            Language::English,
            ArticleStatus::Published,
            Visibility::Public,
        )
    };
    let knowledge_calls = [
        (
            "create_article",
            ivan.create_article(draft()).await.map(|_| ()),
        ),
        (
            "update_article",
            ivan.update_article(id, draft()).await.map(|_| ()),
        ),
        ("article", ana.article(id).await.map(|_| ())),
        (
            "search_articles",
            ana.search_articles("router", None, 10).await.map(|_| ()),
        ),
        (
            "suggest_articles",
            ana.suggest_articles("my router", None, 5).await.map(|_| ()),
        ),
        ("vote_article", ana.vote_article(id, true).await.map(|_| ())),
        ("article_votes", ana.article_votes(&[id]).await.map(|_| ())),
    ];
    for (what, result) in knowledge_calls {
        unsupported(what, result, Ability::KnowledgeBase);
    }

    let saved = SavedSearchId::new();
    let all = TicketFilter::default;
    let saved_search_calls = [
        (
            "save_search",
            ivan.save_search(
                name("Mine"),
                Some("router".into()),
                all(),
                TicketOrder::Priority,
            )
            .await
            .map(|_| ()),
        ),
        ("saved_searches", ivan.saved_searches().await.map(|_| ())),
        (
            "run_saved_search",
            ivan.run_saved_search(saved, PageRequest::default())
                .await
                .map(|_| ()),
        ),
        ("delete_saved_search", ivan.delete_saved_search(saved).await),
    ];
    for (what, result) in saved_search_calls {
        unsupported(what, result, Ability::SavedSearches);
    }

    let template = TemplateDraft {
        name: name("Line down"),
        ticket_type: TicketType::Incident,
        subject_prefix: None,
        department: f.support.id,
        priority: None,
        categories: Default::default(),
        required_fields: Vec::new(),
        body: body("Address: …"),
    };
    let from_template = FromTemplate {
        customer: Some(f.ana.id),
        subject: "Line down".into(),
        body: None,
        custom_fields: Default::default(),
        channel: Channel::Phone,
    };
    let canned = body("Hello, {{customer_name}}");
    let template_calls = [
        (
            "create_template",
            admin.create_template(template).await.map(|_| ()),
        ),
        ("templates", ana.templates().await.map(|_| ())),
        (
            "open_from_template",
            ivan.open_from_template(TemplateId::new(), from_template)
                .await
                .map(|_| ()),
        ),
        (
            "create_canned_response",
            ivan.create_canned_response(None, name("Hi"), Language::English, canned)
                .await
                .map(|_| ()),
        ),
        (
            "canned_responses",
            ivan.canned_responses(None, None).await.map(|_| ()),
        ),
        (
            "fill_canned_response",
            ivan.fill_canned_response(CannedResponseId::new(), t.id)
                .await
                .map(|_| ()),
        ),
    ];
    for (what, result) in template_calls {
        unsupported(what, result, Ability::Templates);
    }

    // No blob store: uploads are refused, by people and in mail.
    let file = || vec![Upload::new("a.png", "image/png", b"png".to_vec())];
    let new = f.new_ticket(&f.support, "With a file");
    unsupported(
        "open_ticket_with_uploads",
        ana.open_ticket_with_uploads(new, file()).await,
        Ability::Attachments,
    );
    unsupported(
        "execute_with_uploads",
        ana.execute_with_uploads(t.id, reply("file"), file(), ExecOptions::default())
            .await,
        Ability::Attachments,
    );
    // A mail with a file is not refused for want of a blob store: see
    // `ingest::refused_files_are_kept_aside_for_agents_and_the_text_goes_in`.
    // No mail settings: nothing goes out or comes in.
    unsupported(
        "email_ticket",
        ivan.email_ticket(t.id, email("boss@acme.example"), Language::English)
            .await,
        Ability::Email,
    );
    unsupported(
        "ingest_email",
        f.desk.ingest_email(&mail_with_a_file()).await,
        Ability::Email,
    );
    // Followers and CC.
    unsupported("ticket_cc", ana.ticket_cc(t.id).await, Ability::Followers);
    unsupported(
        "add_cc",
        ana.add_cc(t.id, &["bogdan@partner.example"]).await,
        Ability::Followers,
    );
    unsupported(
        "follow_ticket",
        ivan.follow_ticket(t.id).await,
        Ability::Followers,
    );
    unsupported(
        "followed_tickets",
        ivan.followed_tickets().await,
        Ability::Followers,
    );
    // Starting a chat opens no chat's ticket either.
    unsupported(
        "start_chat",
        ana.start_chat(f.support.id, body("help")).await,
        Ability::Chat,
    );
    assert_eq!(
        tickets(required.as_ref()).await,
        before,
        "nothing was written"
    );

    // What needs no ability works.
    ana.execute(t.id, reply("Still there?")).await.unwrap();
    ivan.execute(t.id, reply("Yes.")).await.unwrap();
    let later = crate::testkit::samples::t0() + Duration::days(30);
    f.desk.run_due(later).await.unwrap();
    assert_eq!(f.desk.hand_over_unanswered_chats(later).await.unwrap(), 0);
    assert_eq!(
        f.desk
            .sweep_blobs(later, Duration::hours(1), 10)
            .await
            .unwrap(),
        0
    );
    assert!(ana.thread(t.id).await.unwrap().len() >= 3);
}

pub async fn a_store_without_settings_has_no_public_url_and_refuses_settings(
    store: Arc<dyn Store>,
) {
    let required: Arc<dyn Store> = Arc::new(RequiredOnly::new(store));
    let f = Fixture::new(required).await;
    let (admin, ivan) = (f.as_agent(&f.admin).await, f.as_agent(&f.ivan).await);
    assert_eq!(
        f.desk.public_url().await.unwrap(),
        None,
        "no settings, no URL"
    );
    unsupported(
        "settings_store",
        f.desk.settings_store().map(|_| ()),
        Ability::Settings,
    );
    unsupported("settings", admin.settings().await, Ability::Settings);
    let url = crate::domain::PublicUrl::parse("https://desk.example").unwrap();
    unsupported(
        "set_public_url",
        admin.set_public_url(Some(url.clone())).await,
        Ability::Settings,
    );
    unsupported(
        "set_public_url by the system",
        f.desk.as_system().set_public_url(None).await,
        Ability::Settings,
    );
    // Who may not set it at all is told so first.
    assert!(matches!(
        ivan.set_public_url(Some(url)).await,
        Err(Error::Forbidden { .. })
    ));
}
