//! Editing macros (issue 22, item 3) through the desk: only admins change a macro, a change
//! is checked as an addition is and a refused one writes nothing, and every addition,
//! change and removal is in the settings' audit trail with the macro before and after.

use std::sync::Arc;

use crate::automation::Action;
use crate::domain::{MacroId, Name, Priority, Tag};
use crate::error::{Entity, Error};
use crate::store::{ChangedSetting, Store};
use crate::testkit::{Fixture, ability, body};

fn name(text: &str) -> Name {
    Name::parse(text).unwrap()
}

pub async fn macros_are_edited_by_admins_checked_and_audited(store: Arc<dyn Store>) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    let ivan = f.as_agent(&f.ivan).await;
    let first = vec![Action::AddNote {
        body: body("Verificat"),
    }];
    let entry = admin
        .create_macro(name("Verifică"), first.clone())
        .await
        .unwrap();

    let second = vec![
        Action::AddTag {
            tag: Tag::parse("verificat").unwrap(),
        },
        Action::SetPriority {
            priority: Priority::Low,
        },
    ];
    // Agents apply macros; they do not change them.
    assert!(matches!(
        ivan.update_macro(entry.id, name("Altul"), second.clone())
            .await,
        Err(Error::Forbidden { .. })
    ));
    // Too many actions, none at all, or a department that does not exist: refused, and
    // the macro is as it was.
    let bad = [
        Vec::new(),
        vec![first[0].clone(); crate::automation::MAX_ACTIONS + 1],
        vec![Action::MoveDepartment {
            department: crate::domain::DepartmentId::new(),
        }],
    ];
    for actions in bad {
        assert!(
            admin
                .update_macro(entry.id, name("Greșit"), actions.clone())
                .await
                .is_err(),
            "{actions:?}"
        );
    }
    assert_eq!(admin.macro_entry(entry.id).await.unwrap(), entry);
    let missing = MacroId::new();
    assert!(matches!(
        admin
            .update_macro(missing, name("Nimic"), second.clone())
            .await,
        Err(Error::NotFound {
            entity: Entity::Macro,
            ..
        })
    ));

    let changed = admin
        .update_macro(entry.id, name("Verifică și etichetează"), second.clone())
        .await
        .unwrap();
    assert_eq!(changed.id, entry.id);
    assert_eq!(changed.created_at, entry.created_at);
    assert_eq!(changed.actions, second);
    assert_eq!(ivan.macros().await.unwrap(), std::slice::from_ref(&changed));

    admin.delete_macro(entry.id).await.unwrap();
    assert!(matches!(
        admin.delete_macro(entry.id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(admin.macros().await.unwrap().is_empty());

    // Added, changed, removed: three entries, newest first, by the admin, naming the macro.
    let audit: Vec<_> = (admin.setting_changes(50).await.unwrap().into_iter())
        .filter(|c| c.key == ChangedSetting::Macro)
        .collect();
    assert_eq!(audit.len(), 3, "{audit:?}");
    let id = entry.id.to_string();
    assert!(audit.iter().all(|c| c.item.as_deref() == Some(id.as_str())));
    assert!(
        audit
            .iter()
            .all(|c| c.actor == crate::domain::Actor::Agent(f.admin.id))
    );
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    assert!(audit[0].after.is_none() && text(&audit[0].before).contains("etichetează"));
    assert!(text(&audit[1].before).contains("Verificat"));
    assert!(text(&audit[1].after).contains("etichetează"));
    assert!(audit[2].before.is_none() && text(&audit[2].after).contains("Verificat"));
}
