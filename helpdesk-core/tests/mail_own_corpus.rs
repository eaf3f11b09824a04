//! The project's own mails for the forms other desks and mail programs send
//! (`helpdesk-core/tests/emails/`, see `testkit::emails`): loop headers, out-of-office
//! forms, bounces without a proper sender, lenient senders, 8-bit text without a charset,
//! CJK charsets with file names in them, uuencoded files and signatures. One test each;
//! taking them in on every backend is the conformance check
//! `every_mail_of_the_corpus_is_taken_in_or_refused_cleanly`.

use helpdesk_core::domain::Email;
use helpdesk_core::mail::{AutoReason, InboundEmail, MailClass, classify, parse_inbound};
use helpdesk_core::testkit::emails::email;

fn raw(name: &str) -> &'static [u8] {
    email(name).unwrap_or_else(|| panic!("no corpus mail {name}"))
}

fn class(name: &str) -> MailClass {
    classify(raw(name), &[Email::parse("support@desk.example").unwrap()])
}

fn parse(name: &str) -> InboundEmail {
    parse_inbound(raw(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn x_loop_yes_is_a_loop() {
    assert_eq!(
        class("loop_x_loop"),
        MailClass::Automatic(AutoReason::LoopHeader)
    );
}

#[test]
fn x_otrs_loop_is_a_loop() {
    assert_eq!(
        class("loop_otrs"),
        MailClass::Automatic(AutoReason::LoopHeader)
    );
}

#[test]
fn an_exchange_out_of_office_without_auto_submitted_is_out_of_office() {
    assert_eq!(
        class("out_of_office_exchange"),
        MailClass::Automatic(AutoReason::OutOfOffice)
    );
}

#[test]
fn a_zimbra_vacation_answer_is_out_of_office() {
    assert_eq!(
        class("out_of_office_zimbra"),
        MailClass::Automatic(AutoReason::OutOfOffice)
    );
}

#[test]
fn a_bare_mailer_daemon_without_a_domain_is_a_bounce() {
    assert_eq!(class("bounce_bare_mailer_daemon"), MailClass::Bounce);
}

#[test]
fn a_postmasters_undeliverable_notice_is_a_bounce() {
    assert_eq!(class("bounce_postmaster_text"), MailClass::Bounce);
}

#[test]
fn a_feedback_report_is_automatic_not_a_limit() {
    assert_eq!(
        class("feedback_report"),
        MailClass::Automatic(AutoReason::FeedbackReport)
    );
}

#[test]
fn list_mail_is_list_mail() {
    assert_eq!(class("list_id"), MailClass::List);
    assert!(MailClass::List.is_taken_in() && !MailClass::List.may_answer());
}

#[test]
fn without_from_the_sender_header_names_the_sender() {
    assert_eq!(class("sender_no_from"), MailClass::Person);
    let m = parse("sender_no_from");
    assert_eq!(m.from.as_str(), "maria@example.ro");
    assert_eq!(m.from_name.as_deref(), Some("Maria Ionescu"));
}

#[test]
fn with_only_reply_to_it_names_the_sender() {
    assert_eq!(
        parse("sender_reply_to_only").from.as_str(),
        "vasile@example.ro"
    );
}

#[test]
fn a_trailing_dot_after_the_domain_is_dropped() {
    assert_eq!(
        parse("sender_trailing_dot").from.as_str(),
        "ion.rusu@example.md"
    );
}

#[test]
fn an_empty_first_address_is_skipped_for_the_next() {
    let m = parse("sender_empty_first");
    assert_eq!(m.from.as_str(), "olga@example.ru");
    assert_eq!(m.subject, "Нет связи");
}

#[test]
fn a_display_name_without_brackets_still_gives_the_address() {
    let m = parse("sender_no_brackets");
    assert_eq!(m.from.as_str(), "dmitri@example.ru");
    assert_eq!(m.from_name.as_deref(), Some("Dmitri Volkov"));
}

#[test]
fn eight_bit_windows_1251_without_a_charset_is_guessed_and_recorded() {
    let m = parse("eightbit_no_charset_cp1251");
    assert_eq!(m.charset_guess.as_deref(), Some("windows-1251"));
    assert!(
        m.text
            .starts_with("Здравствуйте! У меня не работает интернет"),
        "{}",
        m.text
    );
}

#[test]
fn eight_bit_koi8_r_without_a_charset_is_guessed_and_recorded() {
    let m = parse("eightbit_no_charset_koi8r");
    // chardetng names the KOI8 family by KOI8-U, a superset of KOI8-R that decodes Russian
    // text the same.
    assert_eq!(m.charset_guess.as_deref(), Some("KOI8-U"));
    assert!(m.text.starts_with("Добрый день! Телевидение"), "{}", m.text);
}

#[test]
fn declared_charsets_are_not_guessed() {
    assert_eq!(parse("cp1251_russian").charset_guess, None);
    assert_eq!(parse("koi8r_russian").charset_guess, None);
}

/// A CJK mail: its subject, text, sender name and file name decoded, the file kept as
/// sent (in its charset).
fn cjk(name: &str, charset: &str, who: &str, subject: &str, text: &str, file: &str) {
    let m = parse(name);
    assert_eq!(m.from_name.as_deref(), Some(who), "{name}");
    assert_eq!(m.subject, subject, "{name}");
    assert_eq!(m.text, text, "{name}");
    assert_eq!(m.attachments.len(), 1, "{name}");
    let a = &m.attachments[0];
    assert_eq!(a.original_name, file, "{name}");
    assert_eq!(a.file_name, file, "{name}");
    let encoding = encoding_rs::Encoding::for_label(charset.as_bytes()).unwrap();
    let content = format!("log {text}");
    let (sent, _, _) = encoding.encode(&content);
    assert_eq!(
        a.bytes,
        sent.as_ref(),
        "{name}: the file is stored byte-exact"
    );
}

#[test]
fn gb2312_text_and_an_rfc_2231_file_name_decode() {
    cjk(
        "cjk_gb2312",
        "gb2312",
        "客户",
        "网络故障",
        "你好，我的网络从昨天开始就断了。",
        "日志.txt",
    );
}

#[test]
fn big5_text_and_an_rfc_2047_file_name_decode() {
    cjk(
        "cjk_big5",
        "big5",
        "客戶",
        "網路故障",
        "您好，我的網路從昨天開始就斷了。",
        "紀錄.txt",
    );
}

#[test]
fn shift_jis_text_and_an_rfc_2047_file_name_decode() {
    cjk(
        "cjk_shift_jis",
        "shift_jis",
        "お客様",
        "ネットが使えません",
        "こんにちは。昨日からインターネットが使えません。",
        "ログ.txt",
    );
}

#[test]
fn euc_kr_text_and_an_rfc_2231_file_name_decode() {
    cjk(
        "cjk_euc_kr",
        "euc-kr",
        "고객",
        "인터넷 장애",
        "안녕하세요. 어제부터 인터넷이 안 됩니다.",
        "로그.txt",
    );
}

#[test]
fn a_uuencoded_file_is_decoded_and_taken_out_of_the_text() {
    let m = parse("uuencoded");
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].file_name, "report.txt");
    assert_eq!(
        m.attachments[0].bytes,
        b"Line 1: modem offline\nLine 2: reboot at 03:00\n"
    );
    assert!(!m.full_text.contains("begin 644"), "{}", m.full_text);
    assert!(m.full_text.starts_with("The modem log is below."));
}

#[test]
fn an_smime_signature_is_no_attachment() {
    let m = parse("smime_signed");
    assert_eq!(m.text, "Please reset my password.");
    assert!(m.attachments.is_empty(), "{:?}", m.attachments);
}
