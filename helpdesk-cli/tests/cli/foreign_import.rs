//! `import --from django-helpdesk FILE`: a django-helpdesk `dumpdata` fixture (written by hand
//! in Django's documented fixture shape, `helpdesk-core/src/export/django-helpdesk.json`)
//! lands in an empty desk with its ticket ids as numbers, its follow-ups as the thread and
//! its attachments' bytes from the media directory; a desk that is not empty is refused.

use crate::support::*;

const FIXTURE: &str = include_str!("../../../helpdesk-core/src/export/django-helpdesk.json");

/// The fixture and its one present attachment under a media root, in the desk's folder.
fn fixture(desk: &Desk) -> (String, String) {
    let media = desk.path("media");
    let folder = media.join("helpdesk/attachments/17");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("poza.txt"), b"poza routerului").unwrap();
    let file = desk.path("dump.json");
    std::fs::write(&file, FIXTURE).unwrap();
    (file.display().to_string(), media.display().to_string())
}

#[tokio::test]
async fn a_django_helpdesk_dump_is_imported_with_its_ticket_ids_as_numbers() {
    let desk = Desk::new();
    let (file, media) = fixture(&desk);
    let run = desk
        .run(&[
            "--json",
            "import",
            "--from",
            "django-helpdesk",
            &file,
            "--media",
            &media,
        ])
        .await;
    assert!(run.stderr.contains("missing.png"), "{}", run.stderr);
    let counts = run.json();
    assert_eq!(counts["tickets"], 3, "{counts}");
    assert_eq!(counts["attachments"], 1, "{counts}");
    let shown = desk.run(&["--json", "show", "17"]).await.json();
    assert_eq!(
        shown["ticket"]["subject"], "Routerul nu pornește",
        "{shown}"
    );
    let text = shown.to_string();
    assert!(text.contains("Am înlocuit routerul."), "{text}");
    assert!(text.contains("poza.txt"), "{text}");
    // The next ticket opened gets a number past the imported ones.
    let opened = desk
        .run(&[
            "--json",
            "create",
            "--email",
            "ana@example.com",
            "--subject",
            "Nou",
            "--body",
            "Salut",
        ])
        .await
        .json();
    assert_ne!(number(&opened), "17");
    // Importing again into the now full desk is refused.
    let again = desk
        .run(&["import", "--from", "django-helpdesk", &file])
        .await;
    assert_ne!(again.code, 0, "{}", again.stdout);
    assert!(again.stderr.contains("empty"), "{}", again.stderr);
}
