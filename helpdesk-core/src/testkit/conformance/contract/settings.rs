//! The desk's settings ([`SettingsStore`]): every key's value read back exactly as written,
//! replaced, and deleted once, like the reference.

use std::sync::Arc;

use crate::store::{MemoryStore, SettingKey, SettingsStore, Store};
use crate::testkit::ability;

pub async fn settings_round_trip_replace_and_delete_like_the_reference(store: Arc<dyn Store>) {
    let Some(settings) = ability(store.as_settings_store(), "settings") else {
        return;
    };
    let reference = MemoryStore::new();
    // The store keeps text as it is given (the desk validates it): quotes, backslashes,
    // non-ASCII, new lines and long values come back the same.
    let long = format!("https://desk.example/{}/", "a".repeat(1990));
    let values = [
        "https://desk.example/",
        "http://127.0.0.1:8080/it's/\"quoted\"/\\/",
        "https://desk.example/ünïcödé/دسک/пульт/😀\n",
        long.as_str(),
    ];
    for key in SettingKey::ALL {
        let agree = async || {
            let got = settings.setting(key).await.unwrap();
            assert_eq!(got, reference.setting(key).await.unwrap(), "{key}");
            got
        };
        assert_eq!(agree().await, None, "{key} starts unset");
        assert!(!settings.delete_setting(key).await.unwrap());
        for value in values {
            settings.put_setting(key, value).await.unwrap();
            reference.put_setting(key, value).await.unwrap();
            assert_eq!(agree().await.as_deref(), Some(value), "{key}");
        }
        assert!(settings.delete_setting(key).await.unwrap());
        assert!(reference.delete_setting(key).await.unwrap());
        assert_eq!(agree().await, None, "{key} deleted");
        assert!(!settings.delete_setting(key).await.unwrap(), "deleted once");
        settings.put_setting(key, values[0]).await.unwrap();
        reference.put_setting(key, values[0]).await.unwrap();
        assert_eq!(agree().await.as_deref(), Some(values[0]), "{key} set again");
    }
}
