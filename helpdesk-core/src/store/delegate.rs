//! [`delegate_store!`](crate::delegate_store): a [`Store`](super::Store) that hands every
//! required method to another store, written once for every wrapper (shared and boxed
//! stores, test wrappers that fail, count or hide abilities).

/// Implements [`Store`](crate::store::Store) for a wrapper by calling another store for each
/// of the 33 required methods (and the three with defaults). With `offering its abilities`, the `as_*` methods answer what
/// the other store offers; without, the wrapper writes the `as_*` methods it wants itself
/// (after the `;`) and offers nothing else. Optionally, `before |this, name| expr` runs first
/// in every required method with the method's name (to count calls, say).
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use helpdesk_core::store::{MemoryStore, Store};
///
/// /// The memory store, counting the calls made to it, and offering no ability.
/// #[derive(Debug, Default)]
/// struct Counted {
///     inner: MemoryStore,
///     calls: AtomicUsize,
/// }
///
/// helpdesk_core::delegate_store! {
///     impl Store for Counted {
///         via |this| this.inner,
///         before |this, _name| this.calls.fetch_add(1, Ordering::Relaxed);
///     }
/// }
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let store = Counted::default();
/// store.departments().await.unwrap();
/// assert_eq!(store.calls.load(Ordering::Relaxed), 1);
/// assert!(store.as_chat_store().is_none());
/// # });
/// ```
#[macro_export]
macro_rules! delegate_store {
    (
        impl $([$($generics:tt)*])? Store for $ty:ty $(where [$($bounds:tt)*])? {
            via |$this:ident| $inner:expr
            $(, offering its $abilities:ident)?
            $(, before |$hook_this:ident, $hook_name:ident| $hook:expr)?;
            $($item:item)*
        }
    ) => {
        $crate::delegate_store!(@impl [$($($generics)*)?] [$ty] [$($($bounds)*)?]
            [$this] [$inner]
            [(|_this: &Self, _name: &'static str| {
                $(let $hook_this = _this; let $hook_name = _name; $hook;)?
            })]
            [$($crate::delegate_store!(@abilities $abilities $this $inner);)? $($item)*]
            put_department(department: &$crate::domain::Department) -> ();
            department(id: $crate::domain::DepartmentId) -> Option<$crate::domain::Department>;
            departments() -> Vec<$crate::domain::Department>;
            put_agent(agent: &$crate::domain::Agent) -> ();
            agent(id: $crate::domain::AgentId) -> Option<$crate::domain::Agent>;
            agents() -> Vec<$crate::domain::Agent>;
            put_customer(customer: &$crate::domain::Customer) -> ();
            customer(id: $crate::domain::CustomerId) -> Option<$crate::domain::Customer>;
            customer_by_email(email: &$crate::domain::Email) -> Option<$crate::domain::Customer>;
            find_customers(lookup: &$crate::search::CustomerLookup, limit: u32)
                -> Vec<$crate::domain::Customer>;
            list_customers(
                filter: &$crate::store::CustomerFilter,
                page: &$crate::store::CustomerPageRequest
            ) -> $crate::store::CustomerPage;
            next_ticket_sequence() -> u64;
            next_ticket_sequences(count: u32) -> Vec<u64>;
            commit(batch: $crate::store::WriteBatch) -> ();
            ticket(id: $crate::domain::TicketId) -> Option<$crate::domain::Ticket>;
            ticket_by_number(digits: &str) -> Option<$crate::domain::Ticket>;
            list_tickets(filter: &$crate::store::TicketFilter, page: &$crate::store::PageRequest)
                -> $crate::store::Page<$crate::domain::Ticket>;
            search_tickets(search: &$crate::search::TicketSearch, page: &$crate::store::PageRequest)
                -> $crate::store::Page<$crate::domain::Ticket>;
            count_tickets(filter: &$crate::store::TicketFilter) -> u64;
            due_tickets(now: $crate::reexport::DateTime<$crate::reexport::Utc>, limit: u32)
                -> Vec<$crate::domain::Ticket>;
            messages(ticket: $crate::domain::TicketId, include_internal: bool)
                -> Vec<$crate::domain::Message>;
            messages_page(
                ticket: $crate::domain::TicketId,
                include_internal: bool,
                before: Option<$crate::domain::MessageId>,
                limit: u32
            ) -> $crate::store::MessagePage;
            ticket_with_thread(
                key: &$crate::domain::TicketKey,
                include_internal: bool,
                newest: Option<u32>
            ) -> Option<$crate::store::TicketThread>;
            history(ticket: $crate::domain::TicketId) -> Vec<$crate::domain::TicketEvent>;
            time_entries(ticket: $crate::domain::TicketId) -> Vec<$crate::domain::TimeEntry>;
            referenced_blobs(keys: &[$crate::store::BlobKey]) -> Vec<$crate::store::BlobKey>;
            notifications(
                recipient: $crate::domain::Recipient,
                now: $crate::reexport::DateTime<$crate::reexport::Utc>,
                limit: u32
            ) -> Vec<$crate::domain::Notification>;
            notification(recipient: $crate::domain::Recipient, id: $crate::domain::NotificationId)
                -> Option<$crate::domain::Notification>;
            set_notification_state(
                recipient: $crate::domain::Recipient,
                id: $crate::domain::NotificationId,
                state: &$crate::domain::NotificationState
            ) -> ();
            dismiss_notifications(
                recipient: $crate::domain::Recipient,
                now: $crate::reexport::DateTime<$crate::reexport::Utc>
            ) -> u64;
            lease_outbox(
                now: $crate::reexport::DateTime<$crate::reexport::Utc>,
                lease_until: $crate::reexport::DateTime<$crate::reexport::Utc>,
                limit: u32
            ) -> Vec<$crate::domain::OutboundEmail>;
            finish_delivery(id: $crate::domain::OutboxId, outcome: &$crate::domain::DeliveryOutcome)
                -> ();
            outbox_email(id: $crate::domain::OutboxId) -> Option<$crate::domain::OutboundEmail>;
            ticket_emails(ticket: $crate::domain::TicketId) -> Vec<$crate::domain::OutboundEmail>;
            mail_reference(message_id: &str) -> Option<$crate::domain::MailReference>;
            mail_references_of(message_ids: &[String]) -> Vec<$crate::domain::MailReference>;
            mail_references(ticket: $crate::domain::TicketId)
                -> Vec<$crate::domain::MailReference>;
        );
    };
    (@abilities abilities $this:ident $inner:expr) => {
        fn as_account_store(&self) -> Option<&dyn $crate::store::AccountStore> {
            let $this = self;
            $inner.as_account_store()
        }
        fn as_chat_store(&self) -> Option<&dyn $crate::store::ChatStore> {
            let $this = self;
            $inner.as_chat_store()
        }
        fn as_sign_in_throttle(&self) -> Option<&dyn $crate::store::SignInThrottle> {
            let $this = self;
            $inner.as_sign_in_throttle()
        }
        fn as_report_store(&self) -> Option<&dyn $crate::store::ReportStore> {
            let $this = self;
            $inner.as_report_store()
        }
        fn as_knowledge_store(&self) -> Option<&dyn $crate::store::KnowledgeStore> {
            let $this = self;
            $inner.as_knowledge_store()
        }
        fn as_saved_search_store(&self) -> Option<&dyn $crate::store::SavedSearchStore> {
            let $this = self;
            $inner.as_saved_search_store()
        }
        fn as_template_store(&self) -> Option<&dyn $crate::store::TemplateStore> {
            let $this = self;
            $inner.as_template_store()
        }
        fn as_settings_store(&self) -> Option<&dyn $crate::store::SettingsStore> {
            let $this = self;
            $inner.as_settings_store()
        }
        fn as_mail_quarantine(&self) -> Option<&dyn $crate::store::MailQuarantineStore> {
            let $this = self;
            $inner.as_mail_quarantine()
        }
        fn as_undeliverable_store(&self) -> Option<&dyn $crate::store::UndeliverableStore> {
            let $this = self;
            $inner.as_undeliverable_store()
        }
        fn as_mailbox_store(&self) -> Option<&dyn $crate::store::MailboxStore> {
            let $this = self;
            $inner.as_mailbox_store()
        }
        fn as_organisation_store(&self) -> Option<&dyn $crate::store::OrganisationStore> {
            let $this = self;
            $inner.as_organisation_store()
        }
        fn as_tag_store(&self) -> Option<&dyn $crate::store::TagStore> {
            let $this = self;
            $inner.as_tag_store()
        }
        fn as_notification_preference_store(
            &self,
        ) -> Option<&dyn $crate::store::NotificationPreferenceStore> {
            let $this = self;
            $inner.as_notification_preference_store()
        }
        fn as_erasure_store(&self) -> Option<&dyn $crate::store::ErasureStore> {
            let $this = self;
            $inner.as_erasure_store()
        }
        fn as_follower_store(&self) -> Option<&dyn $crate::store::FollowerStore> {
            let $this = self;
            $inner.as_follower_store()
        }
        fn as_automation_store(&self) -> Option<&dyn $crate::store::AutomationStore> {
            let $this = self;
            $inner.as_automation_store()
        }
        fn as_change_feed(&self) -> Option<&dyn $crate::store::ChangeFeed> {
            let $this = self;
            $inner.as_change_feed()
        }
        fn as_webhook_store(&self) -> Option<&dyn $crate::store::WebhookStore> {
            let $this = self;
            $inner.as_webhook_store()
        }
        fn as_person_settings_store(&self) -> Option<&dyn $crate::store::PersonSettingsStore> {
            let $this = self;
            $inner.as_person_settings_store()
        }
        fn as_snoozed_notification_store(
            &self,
        ) -> Option<&dyn $crate::store::SnoozedNotificationStore> {
            let $this = self;
            $inner.as_snoozed_notification_store()
        }
        fn as_bulk_restore(&self) -> Option<&dyn $crate::store::BulkRestore> {
            let $this = self;
            $inner.as_bulk_restore()
        }
    };
    (@impl [$($generics:tt)*] [$ty:ty] [$($bounds:tt)*] [$this:ident] [$inner:expr]
        [$hook:tt] [$($item:item)*]
        $($name:ident($($arg:ident: $arg_ty:ty),*) -> $ret:ty;)*
    ) => {
        #[$crate::reexport::async_trait]
        impl<$($generics)*> $crate::store::Store for $ty where $($bounds)* {
            $(
                async fn $name(&self $(, $arg: $arg_ty)*) -> $crate::Result<$ret> {
                    $hook(self, stringify!($name));
                    let $this = self;
                    $inner.$name($($arg),*).await
                }
            )*
            async fn read_together(
                &self,
                set: &$crate::store::ReadSet,
            ) -> $crate::Result<$crate::store::ReadTogether> {
                $hook(self, "read_together");
                let $this = self;
                $crate::store::read_together_via(&$inner, self, set).await
            }
            $($item)*
        }
    };
}

/// Inside an `impl Store for X` where `X` implements every ability trait itself: the
/// `as_*` methods, each answering `Some(self)`.
///
/// ```ignore
/// #[async_trait]
/// impl Store for MyStore {
///     // ... the 33 required methods ...
///     helpdesk_core::offer_every_ability!();
/// }
/// ```
#[macro_export]
macro_rules! offer_every_ability {
    () => {
        fn as_account_store(&self) -> Option<&dyn $crate::store::AccountStore> {
            Some(self)
        }
        fn as_chat_store(&self) -> Option<&dyn $crate::store::ChatStore> {
            Some(self)
        }
        fn as_sign_in_throttle(&self) -> Option<&dyn $crate::store::SignInThrottle> {
            Some(self)
        }
        fn as_report_store(&self) -> Option<&dyn $crate::store::ReportStore> {
            Some(self)
        }
        fn as_knowledge_store(&self) -> Option<&dyn $crate::store::KnowledgeStore> {
            Some(self)
        }
        fn as_saved_search_store(&self) -> Option<&dyn $crate::store::SavedSearchStore> {
            Some(self)
        }
        fn as_template_store(&self) -> Option<&dyn $crate::store::TemplateStore> {
            Some(self)
        }
        fn as_settings_store(&self) -> Option<&dyn $crate::store::SettingsStore> {
            Some(self)
        }
        fn as_mail_quarantine(&self) -> Option<&dyn $crate::store::MailQuarantineStore> {
            Some(self)
        }
        fn as_undeliverable_store(&self) -> Option<&dyn $crate::store::UndeliverableStore> {
            Some(self)
        }
        fn as_mailbox_store(&self) -> Option<&dyn $crate::store::MailboxStore> {
            Some(self)
        }
        fn as_organisation_store(&self) -> Option<&dyn $crate::store::OrganisationStore> {
            Some(self)
        }
        fn as_tag_store(&self) -> Option<&dyn $crate::store::TagStore> {
            Some(self)
        }
        fn as_notification_preference_store(
            &self,
        ) -> Option<&dyn $crate::store::NotificationPreferenceStore> {
            Some(self)
        }
        fn as_erasure_store(&self) -> Option<&dyn $crate::store::ErasureStore> {
            Some(self)
        }
        fn as_follower_store(&self) -> Option<&dyn $crate::store::FollowerStore> {
            Some(self)
        }
        fn as_automation_store(&self) -> Option<&dyn $crate::store::AutomationStore> {
            Some(self)
        }
        fn as_change_feed(&self) -> Option<&dyn $crate::store::ChangeFeed> {
            Some(self)
        }
        fn as_webhook_store(&self) -> Option<&dyn $crate::store::WebhookStore> {
            Some(self)
        }
        fn as_person_settings_store(&self) -> Option<&dyn $crate::store::PersonSettingsStore> {
            Some(self)
        }
        fn as_snoozed_notification_store(
            &self,
        ) -> Option<&dyn $crate::store::SnoozedNotificationStore> {
            Some(self)
        }
        fn as_bulk_restore(&self) -> Option<&dyn $crate::store::BulkRestore> {
            Some(self)
        }
    };
}
