//! @mentions in internal notes: the one rule of who a note names.
//!
//! A mention is `@` followed by the part of an agent's e-mail before its `@` (the agent's
//! handle, e.g. `@ivan` for `ivan@desk.example`), compared case-insensitively. The `@` must
//! start the text or follow a character that is not a letter, digit or one of `._+-` (so
//! the address `ana@ivan.example` mentions nobody); the handle runs over letters, digits and
//! `._+-`, and a `.` or `-` ending it is punctuation (`@ivan.` names `ivan`).

use super::{Agent, AgentId};

/// Whether `c` may be part of a handle.
fn handle_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '+' | '-')
}

/// The handles `text` mentions, lower-cased, in order, without repeats.
///
/// ```
/// use helpdesk_core::domain::mentioned_handles;
/// assert_eq!(mentioned_handles("@Ivan, see ana@ivan.example and @maria."), ["ivan", "maria"]);
/// ```
pub fn mentioned_handles(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        let starts = c == '@' && !previous.is_some_and(handle_char);
        previous = Some(c);
        if !starts {
            continue;
        }
        let rest = &text[i + 1..];
        let end = rest.find(|c: char| !handle_char(c)).unwrap_or(rest.len());
        let handle = rest[..end].trim_end_matches(['.', '-']).to_lowercase();
        if !handle.is_empty() && !found.contains(&handle) {
            found.push(handle);
        }
    }
    found
}

/// The handle of an agent: the part of their e-mail before the `@`, lower-cased.
pub fn agent_handle(agent: &Agent) -> String {
    let address = agent.email.as_str();
    address
        .split_once('@')
        .map_or(address, |(local, _)| local)
        .to_lowercase()
}

/// The active agents among `agents` that `text` mentions, in the order of `agents`.
pub fn mentioned_agents(text: &str, agents: &[Agent]) -> Vec<AgentId> {
    let handles = mentioned_handles(text);
    if handles.is_empty() {
        return Vec::new();
    }
    agents
        .iter()
        .filter(|a| a.active && handles.contains(&agent_handle(a)))
        .map(|a| a.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::mentioned_handles;

    #[test]
    fn a_handle_follows_an_at_sign_at_the_start_or_after_a_separator() {
        assert_eq!(mentioned_handles("@ivan look"), ["ivan"]);
        assert_eq!(mentioned_handles("cc (@Maria.Pop) please"), ["maria.pop"]);
        assert_eq!(mentioned_handles("ask @ivan. Then @IVAN again"), ["ivan"]);
    }

    #[test]
    fn an_address_or_a_lone_at_sign_mentions_nobody() {
        assert!(mentioned_handles("write to ana@ivan.example").is_empty());
        assert!(mentioned_handles("meet @ 5, or @.").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn every_handle_found_is_lower_case_non_empty_and_found_once(text in "\\PC{0,80}") {
            let found = mentioned_handles(&text);
            for (i, h) in found.iter().enumerate() {
                proptest::prop_assert!(!h.is_empty());
                proptest::prop_assert_eq!(h, &h.to_lowercase());
                proptest::prop_assert!(!found[..i].contains(h));
            }
        }
    }
}
