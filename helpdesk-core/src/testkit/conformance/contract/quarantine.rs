//! Mail kept aside and ignored mail
//! ([`MailQuarantineStore`](crate::store::MailQuarantineStore)): records and bytes read back
//! exactly, newest first a page at a time, replaced without touching the bytes, deleted once.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};

use crate::domain::{IgnoredMailId, QuarantineId};
use crate::store::{IgnoredMail, MailSummary, QuarantinedMail, Store};
use crate::testkit::ability;

fn kept(n: u32) -> QuarantinedMail {
    let at = Utc.with_ymd_and_hms(2026, 1, 5, 10, 0, 0).unwrap() + Duration::minutes(n.into());
    QuarantinedMail {
        id: QuarantineId::new(),
        received_at: at,
        tried_at: at,
        attempts: 1,
        code: "validation".into(),
        reason: format!("department: is not accepting tickets ({n}) — ünï \"q\""),
        summary: MailSummary {
            sender: Some(format!("ana{n}@example.ro")),
            subject: n
                .is_multiple_of(2)
                .then(|| format!("Imprimanta nu merge {n} / Принтер")),
            message_id: None,
        },
        size: 3,
    }
}

pub async fn quarantined_mail_keeps_its_bytes_and_pages_newest_first(store: Arc<dyn Store>) {
    let Some(q) = ability(store.as_mail_quarantine(), "mail quarantine") else {
        return;
    };
    assert!(q.quarantined_mails(None, 10).await.unwrap().is_empty());
    let mut mails = Vec::new();
    for n in 0..5u32 {
        let mail = kept(n);
        // Bytes that are not UTF-8, with a NUL, come back the same.
        let raw = vec![0xff, 0x00, u8::try_from(n).unwrap()];
        q.put_quarantined_mail(&mail, &raw).await.unwrap();
        mails.push((mail, raw));
    }
    for (mail, raw) in &mails {
        assert_eq!(
            q.quarantined_mail(mail.id).await.unwrap().as_ref(),
            Some(mail)
        );
        assert_eq!(
            q.quarantined_mail_bytes(mail.id).await.unwrap().as_ref(),
            Some(raw)
        );
    }
    let newest_first: Vec<QuarantineId> = mails.iter().rev().map(|(m, _)| m.id).collect();
    let first = q.quarantined_mails(None, 2).await.unwrap();
    let second = q.quarantined_mails(Some(first[1].id), 2).await.unwrap();
    let third = q.quarantined_mails(Some(second[1].id), 2).await.unwrap();
    let paged: Vec<QuarantineId> = first
        .iter()
        .chain(&second)
        .chain(&third)
        .map(|m| m.id)
        .collect();
    assert_eq!(paged, newest_first);
    assert!(
        q.quarantined_mails(Some(third[0].id), 2)
            .await
            .unwrap()
            .is_empty()
    );

    // A new reason replaces the record; the bytes stay as first kept.
    let (mut again, raw) = mails[2].clone();
    again.attempts = 2;
    again.reason = "limit exceeded".into();
    q.put_quarantined_mail(&again, b"other bytes")
        .await
        .unwrap();
    assert_eq!(
        q.quarantined_mail(again.id).await.unwrap(),
        Some(again.clone())
    );
    assert_eq!(q.quarantined_mail_bytes(again.id).await.unwrap(), Some(raw));
    assert_eq!(q.quarantined_mails(None, 10).await.unwrap().len(), 5);

    assert!(q.delete_quarantined_mail(again.id).await.unwrap());
    assert!(
        !q.delete_quarantined_mail(again.id).await.unwrap(),
        "deleted once"
    );
    assert_eq!(q.quarantined_mail(again.id).await.unwrap(), None);
    assert_eq!(q.quarantined_mail_bytes(again.id).await.unwrap(), None);
    assert_eq!(q.quarantined_mails(None, 10).await.unwrap().len(), 4);
}

pub async fn ignored_mail_is_logged_and_paged_newest_first(store: Arc<dyn Store>) {
    let Some(q) = ability(store.as_mail_quarantine(), "mail quarantine") else {
        return;
    };
    assert!(q.ignored_mails(None, 10).await.unwrap().is_empty());
    let mut logged = Vec::new();
    for n in 0..3u32 {
        let entry = IgnoredMail {
            id: IgnoredMailId::new(),
            at: Utc.with_ymd_and_hms(2026, 1, 5, 10, 0, n).unwrap(),
            why: "list mail".into(),
            summary: MailSummary {
                sender: Some("list@lists.example.ro".into()),
                subject: Some(format!("[printers] digest {n}")),
                message_id: Some(format!("l{n}@lists.example.ro")),
            },
        };
        q.record_ignored_mail(&entry).await.unwrap();
        logged.push(entry);
    }
    logged.reverse();
    assert_eq!(q.ignored_mails(None, 10).await.unwrap(), logged);
    let first = q.ignored_mails(None, 2).await.unwrap();
    assert_eq!(first, logged[..2]);
    assert_eq!(
        q.ignored_mails(Some(first[1].id), 2).await.unwrap(),
        logged[2..]
    );
}
