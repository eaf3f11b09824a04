//! Files reach a message only as uploads the desk checks and stores itself: a caller cannot
//! name a stored blob (say, another customer's file, by its sha256) in a command or a new
//! ticket and so attach it to their own message, then download it.

use std::sync::Arc;

use helpdesk_core::domain::{Actor, Attachment, Ticket};
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::machine::{Command, NewTicket};
use helpdesk_core::service::{Acting, AttachmentLimits, ExecOptions, Upload};
use helpdesk_core::store::{MemoryBlobStore, MemoryStore, Store};
use helpdesk_core::testkit::{Fixture, body};

/// A desk with blobs where Ana has a private file on her ticket; Reza, another customer, has
/// a ticket of his own. Returns the fixture, Ana's file, Reza acting and his ticket.
async fn anas_file_and_reza() -> (Fixture, Attachment, Acting, Ticket) {
    let mut f = Fixture::new(Arc::new(MemoryStore::new())).await;
    f.desk = f.desk.clone().with_blobs(
        Arc::new(MemoryBlobStore::new()),
        AttachmentLimits::default(),
    );
    let ana = f.desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    let hers = ana
        .open_ticket_with_uploads(
            f.new_ticket(&f.support, "My contract"),
            vec![Upload::new(
                "contract.pdf",
                "application/pdf",
                b"%PDF secret".to_vec(),
            )],
        )
        .await
        .unwrap();
    let file = ana.thread(hers.id).await.unwrap()[0].attachments[0].clone();
    let reza = f.desk.acting_as(Actor::Customer(f.reza.id)).await.unwrap();
    let his = reza
        .open_ticket(f.new_ticket(&f.support, "My router"))
        .await
        .unwrap();
    (f, file, reza, his)
}

fn refused_as_stored_attachments(result: Result<impl std::fmt::Debug, Error>) {
    match result {
        Err(Error::Validation(v)) => assert_eq!(v.field(), "attachments"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_reply_naming_a_stored_blob_is_refused_and_stores_nothing() {
    let (f, file, reza, his) = anas_file_and_reza().await;
    let before = f.desk.store().messages(his.id, true).await.unwrap();
    for command in [
        Command::Reply {
            body: body("here is a file"),
            attachments: vec![file.clone()],
        },
        Command::AddNote {
            body: body("here is a file"),
            attachments: vec![file.clone()],
        },
    ] {
        refused_as_stored_attachments(reza.execute(his.id, command.clone()).await);
        // Not even beside real uploads.
        refused_as_stored_attachments(
            reza.execute_with_uploads(
                his.id,
                command,
                vec![Upload::new("note.txt", "text/plain", b"mine".to_vec())],
                ExecOptions::default(),
            )
            .await,
        );
    }
    assert_eq!(f.desk.store().messages(his.id, true).await.unwrap(), before);
    // And the file stays out of his reach.
    assert!(matches!(
        reza.attachment(his.id, before[0].id, file.sha256()).await,
        Err(Error::NotFound {
            entity: Entity::Attachment,
            ..
        })
    ));
}

#[tokio::test]
async fn a_new_ticket_naming_a_stored_blob_is_refused() {
    let (f, file, reza, _) = anas_file_and_reza().await;
    let mut new: NewTicket = f.new_ticket(&f.support, "Look at this");
    new.attachments = vec![file];
    refused_as_stored_attachments(reza.open_ticket(new).await);
}

#[test]
fn attachments_in_json_input_are_never_read() {
    let file = serde_json::json!({
        "file_name": "contract.pdf",
        "content_type": "application/pdf",
        "size": 11,
        "sha256": "ab".repeat(32),
    });
    let command: Command = serde_json::from_value(serde_json::json!({
        "command": "reply",
        "body": "here is a file",
        "attachments": [file],
    }))
    .unwrap();
    assert_eq!(command, Command::reply(body("here is a file")));
}
