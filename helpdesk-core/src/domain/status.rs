//! A ticket's status, and the words people see for it (kept apart, so deployments can rename).

use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::stable_text::stable_text;

/// Why a ticket was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The problem was solved (the customer confirmed, or an agent closed it as solved).
    Solved,
    /// Closed without a solution.
    Unsolved,
    /// Closed by the system after the customer did not answer in time.
    AutoClosed,
    /// Merged into another ticket.
    Merged,
    /// A duplicate of another ticket.
    Duplicate,
}

stable_text!(Resolution, "resolution" {
    Solved => "solved",
    Unsolved => "unsolved",
    AutoClosed => "auto_closed",
    Merged => "merged",
    Duplicate => "duplicate",
});

/// Where a ticket is in its life.
///
/// The text form (`Display`, `FromStr`, serde, storage) is stable: `new`, `open`,
/// `pending_customer`, `on_hold`, `resolved`, and `closed:<resolution>` such as
/// `closed:solved`. What people see is [`StatusLabels`]' business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Status {
    /// Opened; no agent has answered yet.
    New,
    /// Being worked on.
    Open,
    /// Waiting for the customer's answer.
    PendingCustomer,
    /// Waiting on a third party.
    OnHold,
    /// A solution was given; awaiting the customer's confirmation.
    Resolved,
    /// Work has stopped, for the given reason.
    Closed(Resolution),
}

// Every status, closed ones once per resolution.
stable_text!(Status, "status" {
    New => "new",
    Open => "open",
    PendingCustomer => "pending_customer",
    OnHold => "on_hold",
    Resolved => "resolved",
    Closed(Resolution::Solved) => "closed:solved",
    Closed(Resolution::Unsolved) => "closed:unsolved",
    Closed(Resolution::AutoClosed) => "closed:auto_closed",
    Closed(Resolution::Merged) => "closed:merged",
    Closed(Resolution::Duplicate) => "closed:duplicate",
});

impl Status {
    /// Whether the ticket is closed (with any resolution).
    pub const fn is_closed(self) -> bool {
        matches!(self, Status::Closed(_))
    }

    /// Whether the ticket still needs work from someone (not resolved, not closed).
    pub const fn is_active(self) -> bool {
        !matches!(self, Status::Resolved | Status::Closed(_))
    }
}

impl TryFrom<String> for Status {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Status> for String {
    fn from(s: Status) -> String {
        s.as_str().to_owned()
    }
}

/// A language the desk speaks to people in. The four of the seeds are built in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Language {
    /// English (`en`).
    #[serde(rename = "en")]
    English,
    /// Romanian (`ro`).
    #[serde(rename = "ro")]
    Romanian,
    /// Russian (`ru`).
    #[serde(rename = "ru")]
    Russian,
    /// Persian (`fa`), written right to left.
    #[serde(rename = "fa")]
    Persian,
}

impl Language {
    /// Every built-in language.
    pub const ALL: [Language; 4] = [
        Language::English,
        Language::Romanian,
        Language::Russian,
        Language::Persian,
    ];

    /// The ISO 639-1 code.
    pub const fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Romanian => "ro",
            Language::Russian => "ru",
            Language::Persian => "fa",
        }
    }

    /// The stable text: the ISO 639-1 code.
    pub const fn as_str(self) -> &'static str {
        self.code()
    }

    /// Whether the language is written right to left.
    pub const fn is_rtl(self) -> bool {
        matches!(self, Language::Persian)
    }
}

impl std::str::FromStr for Language {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.trim().to_ascii_lowercase();
        let primary = code.split(['-', '_']).next().unwrap_or_default();
        Language::ALL
            .into_iter()
            .find(|l| l.code() == primary)
            .ok_or_else(|| ValidationError::new("language", format!("unsupported language {s:?}")))
    }
}

impl crate::domain::StableText for Language {
    const WHAT: &'static str = "language";
    fn all() -> &'static [Self] {
        &Self::ALL
    }
    fn text(self) -> &'static str {
        self.code()
    }
}

/// The words shown to people for each status, per language; a deployment may rename any.
///
/// ```
/// use helpdesk_core::domain::{Language, Resolution, Status, StatusLabels};
/// let mut labels = StatusLabels::new(Language::Russian);
/// assert_eq!(labels.label(Status::Closed(Resolution::Solved)), "закрыта успешно");
/// labels.rename(Status::Open, "открыта");
/// assert_eq!(labels.label(Status::Open), "открыта");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLabels {
    labels: std::collections::BTreeMap<Status, String>,
}

impl StatusLabels {
    /// The built-in labels in `language`.
    pub fn new(language: Language) -> Self {
        let words: [&str; 10] = match language {
            Language::English => [
                "new",
                "open",
                "waiting for your reply",
                "on hold",
                "resolved",
                "closed",
                "closed unsolved",
                "closed automatically",
                "merged",
                "duplicate",
            ],
            Language::Romanian => [
                "nou",
                "deschis",
                "așteaptă răspunsul dvs.",
                "în așteptare",
                "rezolvat",
                "închis",
                "închis nerezolvat",
                "închis automat",
                "unificat",
                "duplicat",
            ],
            Language::Russian => [
                "новая",
                "открыта",
                "ожидает вашего ответа",
                "отложена",
                "решена",
                "закрыта успешно",
                "закрыта без решения",
                "закрыта автоматически",
                "объединена",
                "дубликат",
            ],
            Language::Persian => [
                "جدید",
                "باز",
                "در انتظار پاسخ شما",
                "معلق",
                "حل شده",
                "بسته شده",
                "بسته شده بدون حل",
                "بسته شده خودکار",
                "ادغام شده",
                "تکراری",
            ],
        };
        let labels = Status::ALL
            .into_iter()
            .zip(words)
            .map(|(status, word)| (status, word.to_owned()))
            .collect();
        Self { labels }
    }

    /// Renames `status`.
    pub fn rename(&mut self, status: Status, label: impl Into<String>) {
        self.labels.insert(status, label.into());
    }

    /// The label for `status`.
    pub fn label(&self, status: Status) -> &str {
        self.labels
            .get(&status)
            .map_or(status.as_str(), String::as_str)
    }

    /// The colour a status is shown in (seed 002: "states are shown in colour"), as CSS hex:
    /// each dark enough for white text on it (a contrast of at least 4.5:1, WCAG AA).
    pub const fn colour(status: Status) -> &'static str {
        match status {
            Status::New => "#1565c0",
            Status::Open => "#2e7d32",
            Status::PendingCustomer => "#b45309",
            Status::OnHold => "#8e24aa",
            Status::Resolved => "#00695c",
            Status::Closed(_) => "#757575",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips_for_every_status() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>().unwrap(), status);
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), status);
        }
        assert!("closed".parse::<Status>().is_err());
    }

    #[test]
    fn every_language_labels_every_status() {
        for language in Language::ALL {
            let labels = StatusLabels::new(language);
            let words: std::collections::BTreeSet<_> =
                Status::ALL.into_iter().map(|s| labels.label(s)).collect();
            assert_eq!(
                words.len(),
                Status::ALL.len(),
                "{language:?} labels two statuses alike"
            );
        }
    }

    #[test]
    fn language_codes_parse_with_regions() {
        assert_eq!("fa-IR".parse::<Language>().unwrap(), Language::Persian);
        assert_eq!("RO".parse::<Language>().unwrap(), Language::Romanian);
        assert!("de".parse::<Language>().is_err());
    }
}
