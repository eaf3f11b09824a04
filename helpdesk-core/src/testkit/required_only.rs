//! [`RequiredOnly`]: a store that keeps the required contract and offers no ability, to show
//! that a desk on such a store answers [`Error::Unsupported`](crate::Error::Unsupported)
//! where it needs one, and that the required checks ask for nothing more.

use crate::store::Store;

/// `S` with only the required [`Store`] methods: every call goes to `S`, and every `as_*`
/// answers "not offered", whatever `S` offers.
///
/// ```
/// use helpdesk_core::store::{MemoryStore, Store};
/// use helpdesk_core::testkit::RequiredOnly;
///
/// let store = RequiredOnly::new(MemoryStore::new());
/// assert!(store.inner().as_chat_store().is_some());
/// assert!(store.as_chat_store().is_none());
/// ```
#[derive(Debug)]
pub struct RequiredOnly<S> {
    inner: S,
}

impl<S: Store> RequiredOnly<S> {
    /// `inner` without its abilities.
    pub fn new(inner: S) -> Self {
        Self { inner }
    }

    /// The store underneath, abilities and all.
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

crate::delegate_store! {
    impl[S: Store] Store for RequiredOnly<S> {
        via |this| this.inner;
    }
}
