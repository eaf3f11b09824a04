//! Attachments through the desk: uploads within the limits are stored under their content's
//! hash with a sanitised name and read only by those who may read their message; over a
//! limit, or on a command refused before it commits, nothing is stored.

use std::sync::Arc;

use super::note;
use crate::domain::{Version, Visibility};
use crate::error::Error;
use crate::machine::Command;
use crate::service::{
    AttachmentLimits, DepartmentAddress, ExecOptions, Ingested, ListMail, MailSettings, Upload,
};
use crate::store::{BlobKey, BlobStore, MemoryBlobStore, Store};
use crate::testkit::{Fixture, ability, body};

pub async fn uploads_within_limits_are_stored_and_readable_only_by_message_readers(
    store: Arc<dyn Store>,
) {
    let mut f = Fixture::new(store.clone()).await;
    let blobs = Arc::new(MemoryBlobStore::new());
    let limits = AttachmentLimits {
        max_count: 1,
        max_size: 1024,
        ..AttachmentLimits::default()
    };
    f.desk = f.desk.clone().with_blobs(blobs.clone(), limits);
    let (ana, acme, ivan) = (
        f.as_customer(&f.ana).await,
        f.as_customer(&f.acme).await,
        f.as_agent(&f.ivan).await,
    );
    let screenshot = b"\x89PNG\r\n\x1a\n not really a picture".to_vec();
    let upload = Upload::new("../../etc/passwd\u{7}.png", "image/png", screenshot.clone());
    let t = ana
        .open_ticket_with_uploads(f.new_ticket(&f.support, "With a file"), vec![upload])
        .await
        .unwrap();
    let thread = ana.thread(t.id).await.unwrap();
    let file = &thread[0].attachments[0];
    assert_eq!(file.file_name(), "passwd.png");
    assert_eq!(file.display_name(), "../../etc/passwd.png");
    assert_eq!(file.size(), screenshot.len() as u64);
    assert_eq!(file.sha256(), BlobKey::of(&screenshot).as_str());
    let (meta, bytes) = ana
        .attachment(t.id, thread[0].id, file.sha256())
        .await
        .unwrap();
    assert_eq!((&meta, &bytes), (file, &screenshot));
    assert!(
        ivan.attachment(t.id, thread[0].id, file.sha256())
            .await
            .is_ok()
    );
    assert!(
        acme.attachment(t.id, thread[0].id, file.sha256())
            .await
            .is_err(),
        "another customer"
    );

    // A file on an internal note is the agents' only.
    let log = Upload::new("server.log", "text/plain", b"internal log".to_vec());
    ivan.execute_with_uploads(
        t.id,
        note("log attached"),
        vec![log],
        ExecOptions::default(),
    )
    .await
    .unwrap();
    let staff_thread = ivan.thread(t.id).await.unwrap();
    let internal = staff_thread
        .iter()
        .find(|m| m.visibility == Visibility::Internal)
        .unwrap();
    let sha = internal.attachments[0].sha256();
    assert!(ivan.attachment(t.id, internal.id, sha).await.is_ok());
    let err = ana.attachment(t.id, internal.id, sha).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");

    // Over a limit: a typed error, nothing written, no blob stored.
    let written = async || {
        (
            store.messages(t.id, true).await.unwrap().len(),
            store.history(t.id).await.unwrap().len(),
        )
    };
    let before = written().await;
    let files = || Command::reply(body("files"));
    let cases = [
        (
            vec![
                Upload::new("a.png", "image/png", b"a".to_vec()),
                Upload::new("b.png", "image/png", b"b".to_vec()),
            ],
            "too_many_attachments",
        ),
        (
            vec![Upload::new("big.pdf", "application/pdf", vec![7u8; 1025])],
            "too_large",
        ),
        (
            vec![Upload::new(
                "run.exe",
                "application/x-msdownload",
                b"MZ".to_vec(),
            )],
            "unsupported_content_type",
        ),
    ];
    for (uploads, code) in cases {
        let keys: Vec<_> = uploads.iter().map(|u| BlobKey::of(&u.bytes)).collect();
        let err = ana
            .execute_with_uploads(t.id, files(), uploads, ExecOptions::default())
            .await
            .unwrap_err();
        match &err {
            Error::LimitExceeded { limit } => assert_eq!(limit.code(), code),
            other => panic!("expected {code}, got {other:?}"),
        }
        for key in keys {
            assert_eq!(blobs.blob(&key).await.unwrap(), None, "no blob stored");
        }
    }
    // A command refused before it commits (a customer may not assign; a version the ticket
    // is past) stores no blob either.
    let orphan = b"would be an orphan".to_vec();
    let upload = || vec![Upload::new("x.png", "image/png", orphan.clone())];
    let assign = Command::Assign {
        agent: Some(f.ivan.id),
    };
    assert!(
        ana.execute_with_uploads(t.id, assign, upload(), ExecOptions::default())
            .await
            .is_err()
    );
    let stale = ExecOptions {
        expected: Some(Version::FIRST),
        ..Default::default()
    };
    let result = ana
        .execute_with_uploads(t.id, files(), upload(), stale)
        .await;
    assert!(matches!(result, Err(Error::Conflict { .. })), "{result:?}");
    assert_eq!(blobs.blob(&BlobKey::of(&orphan)).await.unwrap(), None);
    assert_eq!(written().await, before);
}

/// Limits an admin stores for a department ("one file per case") apply in a process given
/// other limits in code, to that department only; a customer's second file on the ticket is
/// refused and nothing is stored; bad limits and non-admins change nothing.
pub async fn stored_department_limits_apply_in_every_process(store: Arc<dyn Store>) {
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    let one_per_case = AttachmentLimits {
        max_per_ticket: Some(1),
        ..AttachmentLimits::default()
    };
    let ivan = f.as_agent(&f.ivan).await;
    assert!(matches!(
        ivan.set_attachment_limits(Some(f.sales.id), Some(one_per_case.clone()))
            .await,
        Err(Error::Forbidden { .. })
    ));
    for bad in [
        AttachmentLimits {
            max_per_ticket: Some(0),
            ..AttachmentLimits::default()
        },
        AttachmentLimits {
            max_size: 0,
            ..AttachmentLimits::default()
        },
        AttachmentLimits {
            allowed_types: vec!["pdf".into()],
            ..AttachmentLimits::default()
        },
    ] {
        assert!(matches!(
            admin
                .set_attachment_limits(Some(f.sales.id), Some(bad))
                .await,
            Err(Error::Validation(_))
        ));
    }
    assert!(admin.attachment_settings().await.unwrap().is_empty());
    admin
        .set_attachment_limits(Some(f.sales.id), Some(one_per_case.clone()))
        .await
        .unwrap();

    let blobs = Arc::new(MemoryBlobStore::new());
    let other = crate::Helpdesk::new(store.clone())
        .with_clock(f.clock.clone())
        .with_blobs(blobs.clone(), AttachmentLimits::default());
    let ana = other
        .acting_as(crate::domain::Actor::Customer(f.ana.id))
        .await
        .unwrap();
    let file = |n: &str| Upload::new(n, "text/plain", n.as_bytes().to_vec());
    let t = ana
        .open_ticket_with_uploads(f.new_ticket(&f.sales, "Booking"), vec![file("a.txt")])
        .await
        .unwrap();
    let err = ana
        .execute_with_uploads(
            t.id,
            Command::Reply {
                body: body("and another"),
                attachments: Vec::new(),
            },
            vec![file("b.txt")],
            ExecOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LimitExceeded { .. }), "{err:?}");
    assert_eq!(ana.thread(t.id).await.unwrap().len(), 1, "nothing written");
    assert!(blobs.blob(&BlobKey::of(b"b.txt")).await.unwrap().is_none());
    // Support keeps the limits given in code: two files on a ticket are fine.
    let s = ana
        .open_ticket_with_uploads(f.new_ticket(&f.support, "Two"), vec![file("c.txt")])
        .await
        .unwrap();
    ana.execute_with_uploads(
        s.id,
        Command::Reply {
            body: body("second"),
            attachments: Vec::new(),
        },
        vec![file("d.txt")],
        ExecOptions::default(),
    )
    .await
    .unwrap();
    let changes = admin.setting_changes(5).await.unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].key, crate::store::SettingKey::AttachmentLimits);
}

/// A mail from Ana to `to` with one PDF file.
fn mail_with_pdf(to: &str, message_id: &str) -> Vec<u8> {
    format!(
        "From: Ana <ana@example.ro>\r\nTo: {to}\r\nSubject: Factura\r\n\
         Message-ID: <{message_id}>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"M\"\r\n\r\n\
         --M\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nFactura e atasata.\r\n\
         --M\r\nContent-Type: application/pdf; name=\"factura.pdf\"\r\n\
         Content-Disposition: attachment; filename=\"factura.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJeLjz9MK\r\n--M--\r\n"
    )
    .into_bytes()
}

pub async fn inbound_mail_to_a_departments_address_gets_that_departments_limits(
    store: Arc<dyn Store>,
) {
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    admin
        .set_department_mail_address(
            f.billing.id,
            Some(DepartmentAddress {
                address: crate::testkit::samples::email("billing@desk.test"),
                list_mail: ListMail::TakeIn,
            }),
        )
        .await
        .unwrap();
    // Billing takes images only; the desk's default takes PDF files.
    admin
        .set_attachment_limits(
            Some(f.billing.id),
            Some(AttachmentLimits {
                allowed_types: vec!["image/*".into()],
                ..AttachmentLimits::default()
            }),
        )
        .await
        .unwrap();
    let desk = f
        .desk
        .clone()
        .with_mail(MailSettings::new(
            crate::testkit::samples::email("support@desk.test"),
            f.support.id,
        ))
        .with_blobs(
            Arc::new(MemoryBlobStore::new()),
            AttachmentLimits::default(),
        );
    let ivan = f.as_agent(&f.ivan).await;
    let files_on_first = |thread: &[crate::domain::Message]| -> Vec<String> {
        thread[0]
            .attachments
            .iter()
            .map(|a| a.file_name().to_owned())
            .filter(|n| n.ends_with(".pdf"))
            .collect()
    };

    let to_billing = match desk
        .ingest_email(&mail_with_pdf("billing@desk.test", "pdf1@example.ro"))
        .await
        .unwrap()
    {
        Ingested::Opened(t) => t,
        other => panic!("{other:?}"),
    };
    assert_eq!(to_billing.department, f.billing.id);
    let thread = f
        .as_agent(&f.admin)
        .await
        .thread(to_billing.id)
        .await
        .unwrap();
    assert!(files_on_first(&thread).is_empty(), "{thread:?}");
    let note = thread.last().unwrap();
    assert_eq!(note.visibility, Visibility::Internal);
    assert!(
        note.body
            .as_str()
            .contains("factura.pdf (application/pdf, 15 bytes): files of type application/pdf are not accepted"),
        "{}",
        note.body.as_str()
    );

    let to_desk = match desk
        .ingest_email(&mail_with_pdf("support@desk.test", "pdf2@example.ro"))
        .await
        .unwrap()
    {
        Ingested::Opened(t) => t,
        other => panic!("{other:?}"),
    };
    assert_eq!(to_desk.department, f.support.id);
    let thread = ivan.thread(to_desk.id).await.unwrap();
    assert_eq!(files_on_first(&thread), ["factura.pdf"]);
}

/// A mail from Ana with `files` text files (each `name` holding its own name).
fn mail_with_files(subject: &str, message_id: &str, files: &[&str]) -> Vec<u8> {
    let mut raw = format!(
        "From: Ana <ana@example.ro>\r\nTo: support@desk.test\r\nSubject: {subject}\r\n\
         Message-ID: <{message_id}>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"M\"\r\n\r\n\
         --M\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nVedeti fisierele.\r\n"
    );
    for name in files {
        raw.push_str(&format!(
            "--M\r\nContent-Type: text/plain; name=\"{name}\"\r\n\
             Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n{name}\r\n"
        ));
    }
    raw.push_str("--M--\r\n");
    raw.into_bytes()
}

/// The names of the files people attached on `thread`'s public messages (not the raw
/// copies of mail the desk keeps).
fn public_files(thread: &[crate::domain::Message]) -> Vec<String> {
    (thread.iter())
        .filter(|m| m.visibility == Visibility::Public)
        .flat_map(|m| m.attachments.iter())
        .filter(|a| a.content_type() != "message/rfc822")
        .map(|a| a.file_name().to_owned())
        .collect()
}

/// The hotel help centre's rule, "one file per case" (seed 000), on every path that adds
/// files: the portal's opening and reply, an agent's reply and note (refused, nothing
/// stored), and mail (taken in, the file past the limit kept aside on the agents' note, as
/// the per-message limit does).
pub async fn one_file_per_case_holds_on_every_path_that_adds_files(store: Arc<dyn Store>) {
    let mut f = Fixture::new(store.clone()).await;
    let blobs = Arc::new(MemoryBlobStore::new());
    let one_per_case = AttachmentLimits {
        max_per_ticket: Some(1),
        ..AttachmentLimits::default()
    };
    f.desk = (f.desk.clone())
        .with_blobs(blobs.clone(), one_per_case)
        .with_mail(MailSettings::new(
            crate::testkit::samples::email("support@desk.test"),
            f.support.id,
        ));
    let (ana, ivan) = (f.as_customer(&f.ana).await, f.as_agent(&f.ivan).await);
    let file = |n: &str| Upload::new(n, "text/plain", n.as_bytes().to_vec());
    fn too_many<T>(r: Result<T, Error>) -> bool {
        matches!(
            r,
            Err(Error::LimitExceeded {
                limit: crate::error::Limit::AttachmentCount { max: 1, .. }
            })
        )
    }

    // Two files at once are refused, one is taken.
    assert!(too_many(
        ana.open_ticket_with_uploads(
            f.new_ticket(&f.support, "Camera 12"),
            vec![file("a.txt"), file("b.txt")],
        )
        .await
    ));
    let t = ana
        .open_ticket_with_uploads(f.new_ticket(&f.support, "Camera 12"), vec![file("a.txt")])
        .await
        .unwrap();
    // Every later file on the case is refused, whoever adds it, and nothing is stored.
    let reply = || Command::Reply {
        body: body("one more"),
        attachments: Vec::new(),
    };
    let note = || Command::AddNote {
        body: body("internal file"),
        attachments: Vec::new(),
    };
    let (c, r, n) = (file("c.txt"), file("r.txt"), file("n.txt"));
    assert!(too_many(
        ana.execute_with_uploads(t.id, reply(), vec![c], ExecOptions::default())
            .await
    ));
    assert!(too_many(
        ivan.execute_with_uploads(t.id, reply(), vec![r], ExecOptions::default())
            .await
    ));
    assert!(too_many(
        ivan.execute_with_uploads(t.id, note(), vec![n], ExecOptions::default())
            .await
    ));
    for name in ["c.txt", "r.txt", "n.txt"] {
        assert!(
            blobs
                .blob(&BlobKey::of(name.as_bytes()))
                .await
                .unwrap()
                .is_none()
        );
    }
    assert_eq!(ivan.thread(t.id).await.unwrap().len(), 1, "nothing written");
    // Text without files still goes in.
    ana.execute(t.id, reply()).await.unwrap();

    // Mail: a new case by mail keeps its first file; the second is kept aside for agents.
    let by_mail = match f
        .desk
        .ingest_email(&mail_with_files(
            "Camera 14",
            "two@example.ro",
            &["x.txt", "y.txt"],
        ))
        .await
        .unwrap()
    {
        Ingested::Opened(t) => t,
        other => panic!("{other:?}"),
    };
    let staff = ivan.thread(by_mail.id).await.unwrap();
    assert_eq!(public_files(&staff), vec!["x.txt"]);
    let aside = staff.last().unwrap();
    assert_eq!(aside.visibility, Visibility::Internal);
    assert!(
        (aside.body.as_str())
            .contains("y.txt (text/plain, 5 bytes): more than 1 files on one ticket"),
        "{}",
        aside.body
    );
    // A reply by mail to the portal's case: taken in, its file kept aside.
    let subject = format!("Re: [#{}] Camera 12", t.number.short());
    let replied = f
        .desk
        .ingest_email(&mail_with_files(&subject, "three@example.ro", &["z.txt"]))
        .await
        .unwrap();
    assert!(
        matches!(replied, Ingested::Appended(ref a) if a.id == t.id),
        "{replied:?}"
    );
    let staff = ivan.thread(t.id).await.unwrap();
    assert_eq!(public_files(&staff), vec!["a.txt"]);
    assert!(
        (staff.last().unwrap().body.as_str()).contains("z.txt"),
        "{staff:?}"
    );
    // The customer sees their mail's text, never the note.
    let public = ana.thread(t.id).await.unwrap();
    assert!(public.iter().all(|m| m.visibility == Visibility::Public));
    assert!(
        public
            .iter()
            .any(|m| m.body.as_str().contains("Vedeti fisierele"))
    );
}

/// Bytes per ticket: the files of all the ticket's messages count together; the upload that
/// would pass the limit is refused with the ticket's total, a smaller one still fits; a
/// limit of 0 bytes is not a limit an admin may store.
pub async fn bytes_per_ticket_count_every_message_of_the_ticket(store: Arc<dyn Store>) {
    let mut f = Fixture::new(store.clone()).await;
    let limits = AttachmentLimits {
        max_bytes_per_ticket: Some(10),
        ..AttachmentLimits::default()
    };
    f.desk = (f.desk.clone()).with_blobs(Arc::new(MemoryBlobStore::new()), limits);
    let (ana, ivan) = (f.as_customer(&f.ana).await, f.as_agent(&f.ivan).await);
    let bytes = |name: &str, n: usize| Upload::new(name, "text/plain", vec![b'x'; n]);
    let t = ana
        .open_ticket_with_uploads(f.new_ticket(&f.support, "Logs"), vec![bytes("a.txt", 6)])
        .await
        .unwrap();
    let reply = || Command::Reply {
        body: body("more logs"),
        attachments: Vec::new(),
    };
    let over = ivan
        .execute_with_uploads(
            t.id,
            reply(),
            vec![bytes("b.txt", 5)],
            ExecOptions::default(),
        )
        .await;
    assert!(
        matches!(
            over,
            Err(Error::LimitExceeded {
                limit: crate::error::Limit::TicketBytes {
                    max: 10,
                    actual: 11
                }
            })
        ),
        "{over:?}"
    );
    assert_eq!(ivan.thread(t.id).await.unwrap().len(), 1, "nothing written");
    ana.execute_with_uploads(
        t.id,
        reply(),
        vec![bytes("c.txt", 4)],
        ExecOptions::default(),
    )
    .await
    .unwrap();
    let over = ana
        .execute_with_uploads(
            t.id,
            reply(),
            vec![bytes("d.txt", 1)],
            ExecOptions::default(),
        )
        .await;
    assert!(matches!(over, Err(Error::LimitExceeded { .. })), "{over:?}");
    // Another ticket starts from nothing.
    ana.open_ticket_with_uploads(f.new_ticket(&f.support, "Other"), vec![bytes("e.txt", 10)])
        .await
        .unwrap();
    let zero = AttachmentLimits {
        max_bytes_per_ticket: Some(0),
        ..AttachmentLimits::default()
    };
    assert!(matches!(zero.validate(), Err(Error::Validation(_))));
    if ability(store.as_settings_store(), "settings").is_some() {
        let admin = f.as_agent(&f.admin).await;
        assert!(matches!(
            admin
                .set_attachment_limits(Some(f.support.id), Some(zero))
                .await,
            Err(Error::Validation(_))
        ));
        assert!(admin.attachment_settings().await.unwrap().is_empty());
    }
}
