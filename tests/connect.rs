//! `helpdesk::connect` opens the backend a URL names, and a file-backed desk keeps its data.

use helpdesk::domain::Name;
use helpdesk::policy::FollowUpPolicy;
use helpdesk::{Error, Helpdesk};

#[tokio::test]
async fn a_sqlite_file_keeps_the_desk_across_reopening() {
    let dir = std::env::temp_dir().join(format!(
        "helpdesk-connect-{}",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("desk.db");
    let url = format!("sqlite://{}", path.display());
    let id = {
        let desk = Helpdesk::new(helpdesk::connect(&url).await.unwrap());
        desk.as_system()
            .create_department(Name::parse("Support").unwrap(), FollowUpPolicy::Reopen)
            .await
            .unwrap()
            .id
    };
    let again = Helpdesk::new(helpdesk::connect(path.to_str().unwrap()).await.unwrap());
    let names: Vec<_> = again
        .as_system()
        .departments()
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.id, d.name.to_string()))
        .collect();
    assert_eq!(names, [(id, "Support".to_owned())]);
    drop(again);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn memory_and_bad_urls() {
    assert!(helpdesk::connect(":memory:").await.is_ok());
    assert!(matches!(
        helpdesk::connect("  ").await,
        Err(Error::Validation(_))
    ));
    #[cfg(not(feature = "postgres"))]
    assert!(matches!(
        helpdesk::connect("postgres://localhost/x").await,
        Err(Error::Validation(_))
    ));
}
