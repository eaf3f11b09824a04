//! The directory: departments, agents and customers, kept by admins (and agents, for
//! customers they meet on the phone).

use std::collections::BTreeMap;

use super::Acting;
use super::acting::Principal;
use crate::domain::{
    Actor, Address, Agent, AgentId, ContractNumber, CustomFields, Customer, CustomerId,
    CustomerKind, Department, DepartmentId, Email, FollowUpPolicy, Language, Name, PermissionSet,
    Phone, Role, Signature,
};
use crate::error::{Error, ForbiddenReason, Result};
use crate::store::StoreExt;

/// A request to add an agent.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAgent {
    /// Full name.
    pub name: Name,
    /// Work e-mail (unique).
    pub email: Email,
    /// Role.
    pub role: Role,
    /// Signature for public replies.
    pub signature: Signature,
    /// Departments and the permissions in each.
    pub departments: BTreeMap<DepartmentId, PermissionSet>,
}

impl NewAgent {
    /// An agent with no departments and an empty signature.
    pub fn new(name: Name, email: Email, role: Role) -> Self {
        Self {
            name,
            email,
            role,
            signature: Signature::parse("").expect("an empty signature is valid"),
            departments: BTreeMap::new(),
        }
    }

    /// Adds a department with `permissions`.
    pub fn in_department(mut self, department: DepartmentId, permissions: PermissionSet) -> Self {
        self.departments.insert(department, permissions);
        self
    }

    /// Sets the signature.
    pub fn with_signature(mut self, signature: Signature) -> Self {
        self.signature = signature;
        self
    }
}

/// A request to add a customer.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCustomer {
    /// Person or organisation.
    pub kind: CustomerKind,
    /// Full name.
    pub name: Name,
    /// E-mail (unique when given).
    pub email: Option<Email>,
    /// Phone.
    pub phone: Option<Phone>,
    /// Contract number (unique when given).
    pub contract_number: Option<ContractNumber>,
    /// Postal address.
    pub address: Option<Address>,
    /// Custom fields.
    pub custom_fields: CustomFields,
    /// Preferred language.
    pub language: Option<Language>,
    /// The organisation a person belongs to (a customer of kind organisation).
    pub organisation: Option<CustomerId>,
}

impl NewCustomer {
    /// A customer with just a kind and a name.
    pub fn new(kind: CustomerKind, name: Name) -> Self {
        Self {
            kind,
            name,
            email: None,
            phone: None,
            contract_number: None,
            address: None,
            custom_fields: CustomFields::new(),
            language: None,
            organisation: None,
        }
    }

    /// Makes the person a member of `organisation`.
    pub fn with_organisation(mut self, organisation: CustomerId) -> Self {
        self.organisation = Some(organisation);
        self
    }

    /// Sets the e-mail address.
    pub fn with_email(mut self, email: Email) -> Self {
        self.email = Some(email);
        self
    }

    /// Sets the phone number.
    pub fn with_phone(mut self, phone: Phone) -> Self {
        self.phone = Some(phone);
        self
    }

    /// Sets the contract number.
    pub fn with_contract_number(mut self, contract: ContractNumber) -> Self {
        self.contract_number = Some(contract);
        self
    }

    /// Sets the address.
    pub fn with_address(mut self, address: Address) -> Self {
        self.address = Some(address);
        self
    }

    /// Sets the preferred language.
    pub fn with_language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
}

impl Acting {
    /// Adds a department (admins and the system).
    pub async fn create_department(
        &self,
        name: Name,
        follow_up: FollowUpPolicy,
    ) -> Result<Department> {
        self.require_admin()?;
        let department = Department {
            id: DepartmentId::new(),
            name,
            follow_up,
            active: true,
            created_at: self.desk.now(),
        };
        self.desk.store.put_department(&department).await?;
        Ok(department)
    }

    /// Renames a department, changes its follow-up policy, or (de)activates it (admins).
    pub async fn update_department(
        &self,
        id: DepartmentId,
        name: Name,
        follow_up: FollowUpPolicy,
        active: bool,
    ) -> Result<Department> {
        self.require_admin()?;
        let mut department = self.desk.store.require_department(id).await?;
        department.name = name;
        department.follow_up = follow_up;
        department.active = active;
        self.desk.store.put_department(&department).await?;
        Ok(department)
    }

    /// Every department (anyone who may use the desk: customers choose where to write).
    pub async fn departments(&self) -> Result<Vec<Department>> {
        let all = self.desk.store.departments().await?;
        Ok(match self.principal {
            Principal::Customer(_) => all.into_iter().filter(|d| d.active).collect(),
            _ => all,
        })
    }

    /// Adds an agent (admins). Every department named must exist.
    pub async fn create_agent(&self, new: NewAgent) -> Result<Agent> {
        self.require_admin()?;
        for department in new.departments.keys() {
            self.desk.store.require_department(*department).await?;
        }
        let agent = Agent {
            id: AgentId::new(),
            name: new.name,
            email: new.email,
            role: new.role,
            signature: new.signature,
            active: true,
            departments: new.departments,
            created_at: self.desk.now(),
        };
        self.desk.store.put_agent(&agent).await?;
        Ok(agent)
    }

    /// Changes an agent's role, departments and permissions, or (de)activates them (admins);
    /// deactivating revokes every session and API token they hold.
    pub async fn update_agent(
        &self,
        id: AgentId,
        role: Role,
        departments: BTreeMap<DepartmentId, PermissionSet>,
        active: bool,
    ) -> Result<Agent> {
        self.require_admin()?;
        for department in departments.keys() {
            self.desk.store.require_department(*department).await?;
        }
        let mut agent = self.desk.store.require_agent(id).await?;
        agent.role = role;
        agent.departments = departments;
        agent.active = active;
        self.desk.store.put_agent(&agent).await?;
        if !active {
            self.desk.revoke_tokens_of(Actor::Agent(id)).await?;
        }
        Ok(agent)
    }

    /// Sets an agent's signature: the agent themselves, or an admin.
    pub async fn set_signature(&self, id: AgentId, signature: Signature) -> Result<Agent> {
        let own = self.principal.agent().is_some_and(|a| a.id == id);
        if !own && !self.principal.is_admin() {
            return Err(Error::forbidden(ForbiddenReason::AdminOnly));
        }
        let mut agent = self.desk.store.require_agent(id).await?;
        agent.signature = signature;
        self.desk.store.put_agent(&agent).await?;
        Ok(agent)
    }

    /// An agent's record (agents and the system).
    pub async fn agent(&self, id: AgentId) -> Result<Agent> {
        self.require_staff()?;
        self.desk.store.require_agent(id).await
    }

    /// Every agent (agents and the system).
    pub async fn agents(&self) -> Result<Vec<Agent>> {
        self.require_staff()?;
        self.desk.store.agents().await
    }

    /// Adds a customer: admins, the system, and agents (who meet new customers on the
    /// phone, seed 004). Access starts enabled. A person named in no organisation whose
    /// e-mail is at a domain an organisation owns joins that organisation (also those mail
    /// creates).
    pub async fn create_customer(&self, mut new: NewCustomer) -> Result<Customer> {
        self.require_staff()?;
        if new.organisation.is_none()
            && new.kind == CustomerKind::Individual
            && let Some(email) = &new.email
        {
            new.organisation = self.desk.organisation_of_address(email).await?;
        }
        self.check_organisation(new.kind, new.organisation).await?;
        let customer = Customer {
            id: CustomerId::new(),
            kind: new.kind,
            name: new.name,
            email: new.email,
            phone: new.phone,
            contract_number: new.contract_number,
            address: new.address,
            custom_fields: new.custom_fields,
            language: new.language,
            access_enabled: true,
            organisation: new.organisation,
            created_at: self.desk.now(),
        };
        self.desk.store.put_customer(&customer).await?;
        Ok(customer)
    }

    /// Enables or disables a customer's access to the ticket system (admins, seed 003);
    /// disabling revokes every session and API token they hold.
    pub async fn set_customer_access(&self, id: CustomerId, enabled: bool) -> Result<Customer> {
        self.require_admin()?;
        let mut customer = self.desk.store.require_customer(id).await?;
        customer.access_enabled = enabled;
        self.desk.store.put_customer(&customer).await?;
        if !enabled {
            self.desk.revoke_tokens_of(Actor::Customer(id)).await?;
        }
        Ok(customer)
    }

    /// A customer's record: staff, or the customer themselves.
    pub async fn customer(&self, id: CustomerId) -> Result<Customer> {
        match &self.principal {
            Principal::Customer(c) if c.id == id => Ok(c.clone()),
            Principal::Customer(_) => Err(Error::forbidden(ForbiddenReason::AgentsOnly)),
            _ => self.desk.store.require_customer(id).await,
        }
    }
}
