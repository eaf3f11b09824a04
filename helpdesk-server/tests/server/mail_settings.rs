
#[tokio::test]
async fn the_servers_mail_from_flag_writes_the_stored_address_once() {
    let fx = fixture().await;
    let desk = fx.desk.clone().unwrap();
    let from = helpdesk::domain::Email::parse("desk@example.com").unwrap();
    helpdesk_server::setup::store_mail_from(&desk, &from)
        .await
        .unwrap();
    helpdesk_server::setup::store_mail_from(&desk, &from)
        .await
        .unwrap();
    let stored = fx
        .get("/api/v1/settings/mail", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(stored, json!({"from": "desk@example.com"}));
    let audit = fx
        .get("/api/v1/settings/audit", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(audit.len(), 1, "the same address again writes nothing: {audit:?}");
    assert_eq!(audit[0]["actor"]["kind"], "system");
}
