//! The directory: departments, agents and customers read back as written, put replaces,
//! lists come in the reference's order, and taken e-mails and contract numbers conflict as
//! the reference says.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{describe, same_outcome};
use crate::domain::{
    Agent, AgentId, ContractNumber, CustomFields, Customer, CustomerId, Department, DepartmentId,
    Email, Permission, Role, Signature,
};
use crate::policy::FollowUpPolicy;
use crate::store::{MemoryStore, Store};
use crate::testkit::samples::{
    agent, customer, department, email, full_agent, full_customer, full_department, name,
};

/// Every permission in every one of `departments`.
fn all_permissions(
    departments: &[DepartmentId],
) -> BTreeMap<DepartmentId, std::collections::BTreeSet<Permission>> {
    departments
        .iter()
        .map(|d| (*d, Permission::ALL.into_iter().collect()))
        .collect()
}

pub async fn directory_records_round_trip_and_replace(store: Arc<dyn Store>) {
    let support = department("Support");
    let billing = Department {
        follow_up: FollowUpPolicy::NewTicket,
        ..department("Billing")
    };
    let sales = full_department("Sales");
    for d in [&support, &billing, &sales] {
        store.put_department(d).await.unwrap();
        assert_eq!(store.department(d.id).await.unwrap().as_ref(), Some(d));
    }
    let ids = [support.id, billing.id, sales.id];
    let admin = Agent {
        role: Role::Admin,
        signature: Signature::parse("").unwrap(),
        departments: BTreeMap::new(),
        active: false,
        ..agent("Админ", "admin@desk.test", &[])
    };
    let boss = Agent {
        role: Role::Supervisor,
        departments: all_permissions(&ids),
        ..agent("Boss", "boss@desk.test", &ids)
    };
    let mut ivan = full_agent("Иван", "ivan@desk.test", &ids[..2]);
    ivan.signature = Signature::parse("Иван\nтехподдержка\t☎").unwrap();
    for a in [&admin, &boss, &ivan] {
        store.put_agent(a).await.unwrap();
        assert_eq!(store.agent(a.id).await.unwrap().as_ref(), Some(a));
    }
    let acme = full_customer("ООО «Ромашка»", "Office@Romashka.Example", "D-2013/0416");
    let bare = customer("رضا", None);
    for c in [&acme, &bare] {
        store.put_customer(c).await.unwrap();
        assert_eq!(store.customer(c.id).await.unwrap().as_ref(), Some(c));
    }
    assert_eq!(
        store.departments().await.unwrap(),
        [billing.clone(), sales, support.clone()],
        "by name"
    );
    assert_eq!(
        store.agents().await.unwrap(),
        [boss, admin, ivan.clone()],
        "by name"
    );
    let address = acme.email.clone().unwrap();
    for typed in ["office@romashka.example", "OFFICE@ROMASHKA.EXAMPLE"] {
        assert_eq!(
            store
                .customer_by_email(&email(typed))
                .await
                .unwrap()
                .as_ref(),
            Some(&acme),
            "{typed}"
        );
    }
    assert_eq!(
        store
            .customer_by_email(&email("nobody@romashka.example"))
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.department(DepartmentId::new()).await.unwrap(), None);
    assert_eq!(store.agent(AgentId::new()).await.unwrap(), None);
    assert_eq!(store.customer(CustomerId::new()).await.unwrap(), None);

    // Put replaces: a renamed department, an agent with a new e-mail and fewer departments,
    // a customer who drops their e-mail and contract number, after which another may take
    // them.
    let renamed = Department {
        name: name("Техподдержка"),
        follow_up: FollowUpPolicy::Reject,
        ..support
    };
    store.put_department(&renamed).await.unwrap();
    assert_eq!(store.department(renamed.id).await.unwrap(), Some(renamed));
    ivan.email = Email::parse("ivan.petrov@desk.test").unwrap();
    ivan.departments = [(billing.id, [Permission::Read].into_iter().collect())]
        .into_iter()
        .collect();
    ivan.active = false;
    store.put_agent(&ivan).await.unwrap();
    assert_eq!(store.agent(ivan.id).await.unwrap(), Some(ivan));
    let dropped = Customer {
        email: None,
        contract_number: None,
        custom_fields: CustomFields::new(),
        ..acme.clone()
    };
    store.put_customer(&dropped).await.unwrap();
    assert_eq!(store.customer(acme.id).await.unwrap(), Some(dropped));
    assert_eq!(store.customer_by_email(&address).await.unwrap(), None);
    let taker = Customer {
        contract_number: acme.contract_number.clone(),
        ..customer("Taker", Some(address.as_str()))
    };
    store.put_customer(&taker).await.unwrap();
    assert_eq!(
        store.customer_by_email(&address).await.unwrap(),
        Some(taker)
    );
}

/// Names in several scripts and cases: both lists come back in Rust's string order (byte
/// order), whatever the database's collation, then by id.
pub async fn directory_lists_are_in_the_references_order(store: Arc<dyn Store>) {
    let memory = MemoryStore::new();
    let names = [
        "b", "B", "a", "A", "Á", "ä", "Z", "Ж", "ж", "آرش", "Ärger", "zeta", "Zeta", "10", "9",
        "a", "b",
    ];
    for (i, n) in names.iter().enumerate() {
        let d = department(n);
        let a = agent(n, &format!("agent{i}@desk.test"), &[d.id]);
        for s in [store.as_ref(), &memory] {
            s.put_department(&d).await.unwrap();
            s.put_agent(&a).await.unwrap();
        }
    }
    assert_eq!(
        store.departments().await.unwrap(),
        memory.departments().await.unwrap()
    );
    assert_eq!(
        store.agents().await.unwrap(),
        memory.agents().await.unwrap()
    );
}

/// Agents' e-mails and customers' e-mails and contract numbers are unique: a taken one is a
/// `Duplicate` conflict naming the field, as the reference names it, and nothing is written.
pub async fn taken_unique_values_conflict_like_the_reference(store: Arc<dyn Store>) {
    let memory = MemoryStore::new();
    let stores = [store.as_ref(), &memory as &dyn Store];

    let ivan = full_agent("Ivan", "ivan@desk.test", &[]);
    let mut twin = agent("Ivan 2", "IVAN@desk.test", &[]);
    for s in stores {
        s.put_agent(&ivan).await.unwrap();
        s.put_agent(&ivan).await.unwrap();
    }
    let err =
        same_outcome(store.put_agent(&twin).await, memory.put_agent(&twin).await).unwrap_err();
    assert_eq!(describe(&err), "duplicate agent email");
    assert_eq!(store.agent(twin.id).await.unwrap(), None);
    twin.email = email("ivan2@desk.test");
    same_outcome(store.put_agent(&twin).await, memory.put_agent(&twin).await).unwrap();

    // x holds an e-mail, y a contract number; z wants both. The reference reports the
    // first other customer by id that holds either, checking the e-mail first.
    for flip in [false, true] {
        let mut x = customer("X", Some(&format!("x{flip}@example.test")));
        let mut y = Customer {
            contract_number: Some(ContractNumber::parse(format!("C-{flip}")).unwrap()),
            ..customer("Y", None)
        };
        if flip {
            std::mem::swap(&mut x.id, &mut y.id);
        }
        for s in stores {
            s.put_customer(&x).await.unwrap();
            s.put_customer(&y).await.unwrap();
        }
        let mut z = Customer {
            contract_number: y.contract_number.clone(),
            ..customer("Z", x.email.as_ref().map(|e| e.as_str()))
        };
        let want = if x.id < y.id {
            "duplicate customer email"
        } else {
            "duplicate customer contract_number"
        };
        let err =
            same_outcome(store.put_customer(&z).await, memory.put_customer(&z).await).unwrap_err();
        assert_eq!(describe(&err), want);
        assert_eq!(store.customer(z.id).await.unwrap(), None);
        // Both held by one other customer: the e-mail.
        let both = Customer {
            contract_number: y.contract_number.clone(),
            ..x.clone()
        };
        let y_without = Customer {
            contract_number: None,
            ..y.clone()
        };
        for s in stores {
            s.put_customer(&y_without).await.unwrap();
            s.put_customer(&both).await.unwrap();
        }
        let err =
            same_outcome(store.put_customer(&z).await, memory.put_customer(&z).await).unwrap_err();
        assert_eq!(describe(&err), "duplicate customer email");
        // Only the contract number taken.
        z.email = None;
        let err =
            same_outcome(store.put_customer(&z).await, memory.put_customer(&z).await).unwrap_err();
        assert_eq!(describe(&err), "duplicate customer contract_number");
        // A customer keeps their own values when put again.
        let renamed = Customer {
            name: name("X, renamed"),
            ..both.clone()
        };
        same_outcome(
            store.put_customer(&renamed).await,
            memory.put_customer(&renamed).await,
        )
        .unwrap();
        assert_eq!(store.customer(x.id).await.unwrap(), Some(renamed));
        // Customers without e-mail or contract number never conflict with each other.
        for c in [&customer("P", None), &customer("Q", None)] {
            same_outcome(store.put_customer(c).await, memory.put_customer(c).await).unwrap();
        }
    }
}
