//! [`ValidationError`]: what every validated type answers for input it refuses.

use std::borrow::Cow;

/// Input that failed validation: which field, and why, in words a person can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    field: Cow<'static, str>,
    message: Cow<'static, str>,
}

impl ValidationError {
    /// A validation error on `field`.
    pub fn new(field: impl Into<Cow<'static, str>>, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The field that is wrong.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What is wrong with it.
    pub fn message(&self) -> &str {
        &self.message
    }
}
