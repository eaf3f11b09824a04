//! Inbound e-mail parsing: one scenario per corpus mail (`tests/emails/*.eml`), and
//! properties over arbitrary and mutated input.

use helpdesk_core::Error;
use helpdesk_core::domain::Attachment;
use helpdesk_core::mail::message_id::normalise_message_id;
use helpdesk_core::mail::quotes::strip_quoted;
use helpdesk_core::mail::tag::{subject_tags, tag};
use helpdesk_core::mail::{AutoReason, InboundEmail, MailClass, parse_inbound};
use helpdesk_core::testkit::emails::{EMAILS, email};
use proptest::prelude::*;

const DESK_ID: &str = "0190c3e2a1b27c3d8e9f0a1b2c3d4e5f@desk.example";

fn parse(name: &str) -> InboundEmail {
    let raw = email(name).unwrap_or_else(|| panic!("no corpus mail {name}"));
    parse_inbound(raw).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn validation_field(result: Result<InboundEmail, Error>) -> String {
    match result {
        Err(Error::Validation(v)) => v.field().to_owned(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

#[test]
fn the_corpus_is_complete_and_in_crlf() {
    assert!(EMAILS.len() >= 18, "{} mails", EMAILS.len());
    for (name, raw) in EMAILS {
        if *name == "malformed_garbage" {
            continue;
        }
        let lf = raw.iter().filter(|&&b| b == b'\n').count();
        let crlf = raw.windows(2).filter(|w| w == b"\r\n").count();
        assert_eq!(lf, crlf, "{name} has bare LF line ends");
    }
}

#[test]
fn new_ticket_in_plain_utf8() {
    let m = parse("new_ticket_plain");
    assert_eq!(m.from.as_str(), "ivan.petrov@example.ru");
    assert_eq!(m.from_name.as_deref(), Some("Иван Петров"));
    assert_eq!(m.subject, "Нет интернета, ул. Кольцевая 14, кв. 15");
    assert_eq!(
        m.message_id.as_deref(),
        Some("20260105091500.4F2A@mail.example.ru")
    );
    assert!(m.in_reply_to.is_empty() && m.references.is_empty());
    assert!(subject_tags(&m.subject).is_empty());
    assert_eq!(
        m.text,
        "Здравствуйте!\n\nС утра нет интернета. Договор № 123456, телефон +7 912 555-01-02.\n\
         Роутер перезагружал, не помогло."
    );
    // The signature goes from `text`, not from `full_text`.
    assert!(
        m.full_text.ends_with("-- \nИван Петров"),
        "{:?}",
        m.full_text
    );
    assert!(m.attachments.is_empty());
    assert_eq!(m.class, MailClass::Person);
    assert_eq!(m.date, Some(utc("2026-01-05T06:15:00Z")));
}

#[test]
fn the_same_mail_twice_has_the_same_message_id() {
    let first = parse("new_ticket_plain");
    let again = parse("duplicate_new_ticket");
    assert_eq!(first.message_id, again.message_id);
    assert!(first.message_id.is_some());
    assert_eq!(first, again);
}

#[test]
fn reply_threads_by_in_reply_to_and_references() {
    let m = parse("reply_in_reply_to");
    assert_eq!(m.from.as_str(), "ana.popescu@example.ro");
    assert_eq!(m.from_name.as_deref(), Some("Ana Popescu"));
    assert_eq!(
        m.message_id.as_deref(),
        Some("CAF7q=kK9+Ana.1@mail.example.ro")
    );
    assert_eq!(m.in_reply_to, vec![DESK_ID]);
    assert_eq!(
        m.references,
        vec!["20260105091500.4F2A@mail.example.ru", DESK_ID]
    );
    assert_eq!(subject_tags(&m.subject), vec!["2026010510000001"]);
    assert_eq!(
        m.text,
        "Hi,\n\nI restarted the router but the light is still red.\n\nAna"
    );
    assert!(m.full_text.contains("> please restart the router"));
    assert_eq!(m.class, MailClass::Person);
}

#[test]
fn reply_found_only_by_its_subject_tag() {
    let m = parse("reply_subject_tag_only");
    assert!(m.in_reply_to.is_empty() && m.references.is_empty());
    assert_eq!(m.subject, "Re: [#10000135] Нет интернета");
    assert_eq!(subject_tags(&m.subject), vec!["10000135"]);
    assert_eq!(m.from.as_str(), "ivan.petrov@example.ru");
    assert_eq!(m.from_name, None);
    // Thunderbird's Russian attribution "… пишет:" and the quote under it are stripped.
    assert_eq!(m.text, "Интернет снова пропал сегодня утром.");
}

#[test]
fn a_stranger_using_someone_elses_tag_is_parsed_as_is() {
    // Parsing finds the tag; the service must check the sender against the ticket.
    let m = parse("stranger_quotes_tag");
    assert_eq!(m.from.as_str(), "mallory@elsewhere.example");
    assert_eq!(subject_tags(&m.subject), vec!["10000135"]);
    assert!(m.in_reply_to.is_empty() && m.references.is_empty());
    assert!(m.text.starts_with("Hello, I saw ticket [#10000135]"));
    assert_eq!(m.class, MailClass::Person);
}

#[test]
fn quoted_printable_romanian_with_a_romanian_attribution() {
    let m = parse("quoted_printable");
    assert_eq!(m.from_name.as_deref(), Some("Ștefan Ionescu"));
    assert_eq!(
        m.in_reply_to,
        vec!["0190c3e2a1b27c3d8e9f0a1b2c3d4e60@desk.example"]
    );
    // Soft line breaks joined, even inside a multi-byte character (`acela=C8=\r\n=99i`).
    assert!(
        m.text.contains(
            "am reinstalat-o de două ori și am repornit telefonul, dar apare același mesaj de \
             eroare „Conexiune eșuată”."
        ),
        "{:?}",
        m.text
    );
    assert!(m.text.ends_with("Mulțumesc,\nȘtefan"));
    assert!(!m.text.contains("a scris"));
    assert!(
        m.full_text
            .contains("În data de lun., 5 ian. 2026 la 10:02")
    );
}

#[test]
fn base64_body_with_a_verbless_russian_gmail_attribution() {
    let m = parse("base64_body");
    assert_eq!(m.from_name.as_deref(), Some("Ольга Смирнова"));
    assert_eq!(m.subject, "Re: [#10000136] Роутер");
    assert_eq!(subject_tags(&m.subject), vec!["10000136"]);
    assert_eq!(m.text, "Да, после перезагрузки всё заработало. Спасибо!");
    assert!(
        m.full_text
            .ends_with("> Перезагрузите, пожалуйста, роутер.")
    );
}

#[test]
fn encoded_words_in_utf8() {
    let m = parse("encoded_words_utf8");
    assert_eq!(m.from_name.as_deref(), Some("Ștefan Ionescu"));
    // A B word and a Q word on a folded line: the white space between them goes.
    assert_eq!(m.subject, "Întrebare despre factura №42 — urgent");
    assert_eq!(m.text, "Factura nr. 42 are suma greșită.");
}

#[test]
fn encoded_words_and_body_in_iso_8859_2() {
    let m = parse("encoded_words_latin2");
    assert_eq!(m.from_name.as_deref(), Some("Ştefan Dumitraşcu"));
    assert_eq!(m.subject, "Aplicaţia nu funcţionează");
    assert_eq!(
        m.text,
        "Bună ziua,\n\nAplicaţia nu funcţionează după actualizare. Vă rog să verificaţi contul \
         meu.\n\nŞtefan Dumitraşcu"
    );
}

#[test]
fn koi8_r_russian() {
    let m = parse("koi8r_russian");
    assert_eq!(m.from_name.as_deref(), Some("Сергей Кузнецов"));
    assert_eq!(m.subject, "Не работает телефон");
    assert_eq!(
        m.text,
        "Телефон 8 (3452) 55-01-02 не работает со вчерашнего дня, гудка нет.\n\
         Перезвоните на мобильный +7 912 555-01-03.\n\nСергей"
    );
    assert!(m.full_text.contains("Служба поддержки написал(а):"));
    assert_eq!(m.date, Some(utc("2026-01-08T03:30:00Z")));
}

#[test]
fn windows_1251_russian_with_an_outlook_quote() {
    let m = parse("cp1251_russian");
    assert_eq!(m.from_name.as_deref(), Some("Ольга"));
    assert_eq!(m.subject, "RE: Счёт за январь");
    assert_eq!(
        m.text,
        "Добрый день!\n\nВ счёте за январь неверная сумма: должно быть 500 руб., а не 800 \
         руб..\n\nОльга"
    );
    assert!(m.full_text.contains("-----Исходное сообщение-----"));
    assert!(m.full_text.ends_with("Ваш счёт во вложении."));
}

#[test]
fn persian_utf8_with_persian_digits() {
    let m = parse("persian_utf8");
    assert_eq!(m.from_name.as_deref(), Some("رضا احمدی"));
    assert_eq!(m.subject, "پاسخ: [#۱۰۰۰۰۱۳۷] اینترنت قطع است");
    // The tag typed in Persian digits is the ASCII ticket number.
    assert_eq!(subject_tags(&m.subject), vec!["10000137"]);
    assert_eq!(
        m.text,
        "سلام،\n\nاینترنت هنوز قطع است. شماره تماس من ۰۹۱۲ ۳۴۵ ۶۷۸۹ است.\n\nرضا"
    );
    assert!(m.full_text.contains("نوشت:"));
}

#[test]
fn multipart_alternative_takes_the_plain_text() {
    let m = parse("multipart_alternative");
    assert_eq!(
        m.text,
        "The invoice INV-2026-001 is wrong: the amount should be 120 RON, not 210 RON."
    );
    assert_eq!(m.full_text, m.text);
    // The HTML alternative is a body, not an attachment.
    assert!(m.attachments.is_empty());
}

#[test]
fn html_only_is_converted_to_text_and_its_quote_stripped() {
    let m = parse("html_only");
    assert_eq!(
        m.text,
        "Bună ziua,\nNu pot descărca factura & nici raportul.\nMulțumesc!"
    );
    assert!(!m.full_text.contains('<') || m.full_text.contains("<support@desk.example>"));
    assert!(!m.full_text.contains("color: red"), "{:?}", m.full_text);
    assert!(m.full_text.contains("Please try again."));
    assert!(m.attachments.is_empty());
}

#[test]
fn pdf_png_and_inline_pictures_are_attachments() {
    let m = parse("attachments");
    assert_eq!(m.text, "The screenshot and the invoice are attached.");
    let names: Vec<(&str, &str)> = m
        .attachments
        .iter()
        .map(|a| (a.file_name.as_str(), a.content_type.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("attachment.png", "image/png"),
            ("factura.pdf", "application/pdf"),
            ("скриншот.png", "image/png"), // RFC 2231 `filename*=UTF-8''…`
        ]
    );
    assert!(m.attachments[0].bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(m.attachments[1].bytes.starts_with(b"%PDF-1.4"));
    assert!(m.attachments[1].bytes.ends_with(b"%%EOF\n"));
    assert!(m.attachments[2].bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
}

#[test]
fn hostile_file_names_lose_their_paths() {
    let m = parse("attachment_path_traversal");
    assert_eq!(m.text, "Logs attached.");
    let names: Vec<(&str, &str)> = m
        .attachments
        .iter()
        .map(|a| (a.file_name.as_str(), a.original_name.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("passwd", "../../etc/passwd"),
            ("shadow", "../../etc/shadow"), // RFC 2231 continuations, percent-encoded
            ("evil.exe", "C:\\Windows\\System32\\evil.exe"),
        ]
    );
    // The line break before a boundary belongs to the boundary (RFC 2046).
    assert_eq!(m.attachments[0].bytes, b"root:x:0:0:root:/root:/bin/bash");
    assert_eq!(m.attachments[1].bytes, b"\x00\x01\x02secret");
    assert_eq!(m.attachments[2].content_type, "application/x-msdownload");
    for a in &m.attachments {
        Attachment::from_upload(&a.original_name, &a.content_type, 1, &"0".repeat(64)).unwrap();
        assert!(!a.file_name.contains(['/', '\\']) && !a.file_name.contains(".."));
    }
}

#[test]
fn an_out_of_office_answer_is_automatic() {
    let m = parse("auto_reply");
    assert_eq!(m.class, MailClass::Automatic(AutoReason::OutOfOffice));
    assert_eq!(
        m.subject,
        "Răspuns automat: [#2026010510000001] Internet is down"
    );
    assert_eq!(m.in_reply_to, vec![DESK_ID]);
    assert!(m.text.starts_with("Sunt în concediu"));
}

#[test]
fn precedence_bulk_is_automatic_bulk() {
    let m = parse("precedence_bulk");
    assert_eq!(m.class, MailClass::Automatic(AutoReason::Bulk));
    assert_eq!(m.from.as_str(), "news@shop.example");
}

#[test]
fn a_delivery_status_report_is_a_bounce() {
    let m = parse("bounce_delivery_status");
    assert_eq!(m.class, MailClass::Bounce);
    assert_eq!(m.from.as_str(), "mailer-daemon@mx.desk.example");
    assert!(m.text.contains("550 5.1.1 User unknown"));
    let types: Vec<&str> = m
        .attachments
        .iter()
        .map(|a| a.content_type.as_str())
        .collect();
    assert_eq!(
        types,
        vec!["message/delivery-status", "text/rfc822-headers"]
    );
    // The returned headers name the desk's Message-ID, for the service to find the ticket.
    let headers = String::from_utf8_lossy(&m.attachments[1].bytes);
    assert!(headers.contains(DESK_ID));
}

#[test]
fn an_outlook_reply_loses_the_header_block_under_the_rule() {
    let m = parse("outlook_reply");
    assert_eq!(m.from.as_str(), "john.smith@acme.example");
    assert_eq!(m.subject, "RE: [#2026010510000004] Router light is red");
    assert_eq!(subject_tags(&m.subject), vec!["2026010510000004"]);
    assert_eq!(
        m.in_reply_to,
        vec!["0190c3e2a1b27c3d8e9f0a1b2c3d4e61@desk.example"]
    );
    assert_eq!(
        m.text,
        "Hello,\n\nThe light is green now, thank you for the quick help!\n\nBest regards,\n\
         John Smith\nACME Ltd."
    );
    assert!(
        m.full_text
            .contains("Sent: Monday, January 5, 2026 10:02 AM")
    );
    assert!(m.attachments.is_empty());
}

#[test]
fn a_mail_without_from_is_refused() {
    assert_eq!(
        validation_field(parse_inbound(email("missing_from").unwrap())),
        "from"
    );
}

#[test]
fn garbage_is_refused() {
    let field = validation_field(parse_inbound(email("malformed_garbage").unwrap()));
    assert!(field == "email" || field == "from", "{field}");
    assert_eq!(validation_field(parse_inbound(b"")), "email");
}

#[test]
fn an_invalid_from_address_is_refused() {
    let raw = b"From: Ana <not an address>\r\nSubject: x\r\n\r\nbody\r\n";
    assert_eq!(validation_field(parse_inbound(raw)), "from");
    let raw = b"From: undisclosed-recipients:;\r\nSubject: x\r\n\r\nbody\r\n";
    assert_eq!(validation_field(parse_inbound(raw)), "from");
}

#[test]
fn a_mail_that_is_all_quotation_keeps_its_full_text() {
    let raw = "From: a@example.com\r\nSubject: Fwd\r\n\r\n-----Original Message-----\r\nFrom: b@example.com\r\n\r\nHello\r\n";
    let m = parse_inbound(raw.as_bytes()).unwrap();
    assert_eq!(m.text, m.full_text);
    assert!(m.text.contains("Hello"));
}

#[test]
fn automatic_headers_by_rule() {
    use AutoReason::*;
    let with = |headers: &str| {
        let raw = format!("From: Ana <ana@example.ro>\r\n{headers}Subject: x\r\n\r\nbody\r\n");
        parse_inbound(raw.as_bytes()).unwrap().class
    };
    let auto = MailClass::Automatic;
    assert_eq!(with(""), MailClass::Person);
    assert_eq!(with("Auto-Submitted: no\r\n"), MailClass::Person);
    assert_eq!(
        with("Auto-Submitted: auto-generated\r\n"),
        auto(AutoSubmitted)
    );
    assert_eq!(
        with("auto-submitted: Auto-Replied; owner=x\r\n"),
        auto(AutoSubmitted)
    );
    assert_eq!(
        with("Auto-Submitted: auto-replied (vacation)\r\n"),
        auto(OutOfOffice)
    );
    assert_eq!(with("X-Autorespond: vacation\r\n"), auto(AutoReplyHeader));
    assert_eq!(with("X-Autoreply: no\r\n"), MailClass::Person);
    assert_eq!(with("X-Loop: yes\r\n"), auto(LoopHeader));
    // Lists mark their mail with X-Loop naming the list: list mail, not a loop.
    assert_eq!(with("X-Loop: users@lists.example\r\n"), MailClass::List);
    let own = [helpdesk_core::domain::Email::parse("support@desk.example").unwrap()];
    let raw = b"From: a@b.example\r\nX-Loop: support@desk.example\r\nSubject: x\r\n\r\nx\r\n";
    assert_eq!(helpdesk_core::mail::classify(raw, &own), auto(LoopHeader));
    assert_eq!(with("X-No-Loop: yes\r\n"), auto(LoopHeader));
    assert_eq!(with("X-OTRS-Loop: yes\r\n"), auto(LoopHeader));
    assert_eq!(with("X-OTRS-Loop: no\r\n"), MailClass::Person);
    assert_eq!(
        with("X-MS-Exchange-Inbox-Rules-Loop: ana@example.ro\r\n"),
        auto(LoopHeader)
    );
    assert_eq!(
        with("X-Auto-Response-Suppress: All\r\n"),
        auto(ResponseSuppressed)
    );
    assert_eq!(
        with("X-Auto-Response-Suppress: DR, OOF\r\n"),
        auto(ResponseSuppressed)
    );
    assert_eq!(with("X-Auto-Response-Suppress: DR\r\n"), MailClass::Person);
    assert_eq!(with("Precedence: auto_reply\r\n"), auto(AutoSubmitted));
    assert_eq!(with("Return-Path: <>\r\n"), auto(NullSender));
    assert_eq!(with("Precedence: junk\r\n"), auto(Bulk));
    assert_eq!(with("Precedence: LIST\r\n"), MailClass::List);
    assert_eq!(with("List-Id: <users.lists.example>\r\n"), MailClass::List);
    assert_eq!(
        with("X-Failed-Recipients: a@b.example\r\n"),
        MailClass::Bounce
    );
    assert_eq!(
        with(
            "Content-Type: multipart/report; report-type=disposition-notification; boundary=x\r\n"
        ),
        auto(ReadReceipt)
    );
    assert_eq!(
        with("Content-Type: multipart/report; report-type=feedback-report; boundary=x\r\n"),
        auto(FeedbackReport)
    );
    let from = |from: &str, subject: &str| {
        let raw =
            format!("From: {from}\r\nReply-To: x@example.ro\r\nSubject: {subject}\r\n\r\nbody\r\n");
        helpdesk_core::mail::classify(raw.as_bytes(), &[])
    };
    assert_eq!(
        from("postmaster@example.ro", "Undeliverable: x"),
        MailClass::Bounce
    );
    assert_eq!(from("postmaster@example.ro", "Hello"), auto(SystemSender));
    assert_eq!(from("MAILER-DAEMON", "x"), MailClass::Bounce);
    assert_eq!(
        from("Mail Delivery System <MAILER-DAEMON@mx.example>", "x"),
        MailClass::Bounce
    );
    assert_eq!(
        from("Mail.Delivery.System@mx.example", "x"),
        MailClass::Bounce
    );
    assert_eq!(
        from("ana@example.ro", "Out of Office: x"),
        auto(OutOfOffice)
    );
    assert_eq!(
        from("ana@example.ro", "Abwesenheitsnotiz: x"),
        auto(OutOfOffice)
    );
    assert_eq!(MailClass::Bounce.code(), "bounce");
}

#[test]
fn message_ids_are_normalised_and_bad_ones_dropped() {
    let raw = concat!(
        "From: a@example.com\r\n",
        "Message-ID:  <Mixed.Case@Host.Example> \r\n",
        "In-Reply-To: <x@desk.example> <x@desk.example>\r\n",
        "References: <a@b.example> garbage <>\r\n <c@d.example>, <a@b.example>\r\n",
        "Subject: x\r\n\r\nbody\r\n"
    )
    .as_bytes();
    let m = parse_inbound(raw).unwrap();
    assert_eq!(m.message_id.as_deref(), Some("Mixed.Case@Host.Example"));
    assert_eq!(m.in_reply_to, vec!["x@desk.example"]);
    assert_eq!(m.references, vec!["a@b.example", "c@d.example"]);
    assert_eq!(normalise_message_id("<  >"), None);
    assert_eq!(normalise_message_id("a b@c"), None);
    assert_eq!(normalise_message_id("@c"), None);
}

#[test]
fn lf_only_mail_parses_the_same() {
    for (name, raw) in EMAILS {
        let lf: Vec<u8> = raw.iter().copied().filter(|&b| b != b'\r').collect();
        let (Ok(a), Ok(b)) = (parse_inbound(raw), parse_inbound(&lf)) else {
            continue;
        };
        assert_eq!(a.subject, b.subject, "{name}");
        assert_eq!(a.from, b.from, "{name}");
        assert_eq!(a.message_id, b.message_id, "{name}");
        assert_eq!(a.class, b.class, "{name}");
        if !name.starts_with("attachment") {
            assert_eq!(a.text, b.text, "{name}");
        }
    }
}

#[test]
fn tags_are_found_in_subjects_and_odd_shapes_are_not_tags() {
    assert_eq!(tag("10000135"), "[#10000135]");
    assert_eq!(subject_tags("[#1][#1] [#2]"), vec!["1", "2"]);
    assert_eq!(subject_tags("[# 42 ]"), vec!["42"]);
    assert!(subject_tags("[#]").is_empty());
    assert!(subject_tags(&format!("[#{}]", "1".repeat(33))).is_empty());
    assert_eq!(subject_tags("[#[#7]"), vec!["7"]);
}

/// Shapes that hit the quote rules: attributions, dividers, quoted and blank lines.
fn quote_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("  ".to_owned()),
        Just("> quoted".to_owned()),
        Just(">".to_owned()),
        Just("-- ".to_owned()),
        Just("--  ".to_owned()),
        Just("On Mon, 5 Jan 2026, Ana <ana@example.ro> wrote:".to_owned()),
        Just("On Mon, 5 Jan 2026 at 10:00, Ana <".to_owned()),
        Just("ana@example.ro> wrote:".to_owned()),
        Just("05.01.2026 10:02, Поддержка пишет:".to_owned()),
        Just("Иван написал(а) 5:".to_owned()),
        Just("пн, 5 янв. 2026 г. в 10:02, Поддержка <s@desk.example>:".to_owned()),
        Just("\u{200f}در تاریخ ۵ ژانویه ۲۰۲۶ پشتیبانی <s@desk.example> نوشت:".to_owned()),
        Just("În data de 5 ian. 2026, Suport a scris:".to_owned()),
        Just("-----Original Message-----".to_owned()),
        Just("________________________________".to_owned()),
        Just("From: Support <s@desk.example>".to_owned()),
        Just("Sent: Monday".to_owned()),
        Just("Subject: x".to_owned()),
        Just("---------- Forwarded message ---------".to_owned()),
        Just("My colleague wrote:".to_owned()),
        Just("Hello, the router is red.\r".to_owned()),
        Just("text\r\r".to_owned()),
        "[ -~]{0,20}",
        "\\PC{0,12}",
    ]
}

fn quote_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(quote_line(), 0..14).prop_map(|lines| lines.join("\n")),
        prop::collection::vec(quote_line(), 0..14).prop_map(|lines| lines.join("\r\n")),
        any::<String>(),
    ]
}

/// A corpus mail with random damage: bytes flipped, inserted, removed, or cut short.
fn mutated_mail() -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec((0..4u8, any::<prop::sample::Index>(), any::<u8>()), 0..12);
    (0..EMAILS.len(), edits, any::<prop::sample::Index>()).prop_map(|(i, edits, cut)| {
        let mut raw = EMAILS[i].1.to_vec();
        for (kind, at, byte) in edits {
            if raw.is_empty() {
                break;
            }
            let at = at.index(raw.len());
            match kind {
                0 => raw[at] = byte,
                1 => raw.insert(at, byte),
                2 => {
                    raw.remove(at);
                }
                _ => raw.insert(
                    at,
                    [b'\n', b'\r', b'=', b'-', b'<', b';'][usize::from(byte % 6)],
                ),
            }
        }
        if cut.index(4) == 0 {
            let len = cut.index(raw.len() + 1);
            raw.truncate(len);
        }
        raw
    })
}

fn check_result(raw: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(m) = parse_inbound(raw) {
        prop_assert_eq!(m.text.is_empty(), m.full_text.is_empty());
        prop_assert!(m.text.len() <= m.full_text.len());
        prop_assert_eq!(m.subject.trim(), m.subject.as_str());
        for id in m
            .message_id
            .iter()
            .chain(&m.in_reply_to)
            .chain(&m.references)
        {
            prop_assert_eq!(normalise_message_id(id), Some(id.clone()));
        }
        for a in &m.attachments {
            let sha = "0".repeat(64);
            let size = a.bytes.len() as u64;
            prop_assert!(
                Attachment::new(&a.file_name, &a.content_type, size, &sha).is_ok(),
                "{:?}",
                a
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_inbound_never_panics_on_arbitrary_bytes(raw in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_result(&raw)?;
    }

    #[test]
    fn parse_inbound_never_panics_on_header_shaped_bytes(
        lines in prop::collection::vec("[A-Za-z-]{1,12}: [ -~]{0,40}", 0..10),
        body in "\\PC{0,200}",
    ) {
        let raw = format!("{}\r\n\r\n{body}", lines.join("\r\n"));
        check_result(raw.as_bytes())?;
    }

    #[test]
    fn parse_inbound_never_panics_on_mutated_corpus_mail(raw in mutated_mail()) {
        check_result(&raw)?;
    }

    #[test]
    fn strip_quoted_is_idempotent_and_never_grows(text in quote_text()) {
        let once = strip_quoted(&text);
        prop_assert!(once.len() <= text.len(), "{:?} -> {:?}", text, once);
        prop_assert!(once.chars().count() <= text.chars().count());
        let twice = strip_quoted(&once);
        prop_assert_eq!(&twice, &once, "input {:?}", text);
    }

    #[test]
    fn subject_tags_round_trip(n in "[0-9]{1,20}", before in "[^\\[]{0,10}", after in "\\PC{0,10}") {
        prop_assert_eq!(subject_tags(&format!("Re: {} x", tag(&n))), vec![n.clone()]);
        let subject = format!("{before}{}{after}", tag(&n));
        let tags = subject_tags(&subject);
        prop_assert_eq!(tags.first(), Some(&n));
    }

    #[test]
    fn normalise_message_id_is_idempotent(raw in "\\PC{0,30}") {
        if let Some(id) = normalise_message_id(&raw) {
            prop_assert_eq!(normalise_message_id(&id), Some(id.clone()));
            prop_assert!(id.contains('@'));
        }
    }
}

#[test]
fn deep_nesting_and_long_bodies_do_not_blow_up() {
    let mut raw = String::from("From: a@example.com\r\nSubject: deep\r\n");
    for i in 0..3000 {
        raw.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"
        ));
    }
    raw.push_str("Content-Type: text/plain\r\n\r\nbottom\r\n");
    let _ = parse_inbound(raw.as_bytes());

    let mut nested = String::new();
    for _ in 0..200 {
        nested.push_str("From: a@example.com\r\nContent-Type: message/rfc822\r\n\r\n");
    }
    nested.push_str("From: a@example.com\r\n\r\nbody\r\n");
    assert!(parse_inbound(nested.as_bytes()).is_ok());

    let body = "On Mon, 5 Jan 2026, A <a@b.example> wrote:\n\n".repeat(20_000);
    let raw = format!("From: a@example.com\r\nSubject: long\r\n\r\nfirst\r\n{body}");
    let m = parse_inbound(raw.as_bytes()).unwrap();
    assert_eq!(m.text, "first");
}
