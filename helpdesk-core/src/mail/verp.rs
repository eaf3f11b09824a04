//! VERP (variable envelope return path): the envelope sender of each e-mail the desk sends
//! names that e-mail, so a bounce comes back to an address that says what bounced even when
//! it quotes nothing of the returned mail.
//!
//! The address is the desk's (or the department's) own with a token after a `+` in its local
//! part: `support+hd0190aa…@desk.example`, the token `hd` and the outbox e-mail's id as 32
//! lower-case hex digits. Mail servers deliver it to `support@desk.example` (the usual
//! recipient delimiter); the desk reads the id back only from an address whose other parts
//! are one of its own.

use uuid::Uuid;

use crate::domain::{Email, OutboxId};

/// What begins a VERP token, after the `+`.
const TOKEN_PREFIX: &str = "hd";

/// The longest local part of an address (RFC 5321, 4.5.3.1.1).
const MAX_LOCAL_PART: usize = 64;

/// The envelope sender naming the outbox e-mail `id`, from the desk's address `from`; `None`
/// when the local part would be longer than an address may have (the desk's plain address
/// is used then).
///
/// ```
/// use helpdesk_core::domain::{Email, OutboxId};
/// use helpdesk_core::mail::verp::{verp_address, verp_outbox_id};
///
/// let from = Email::parse("support@desk.example").unwrap();
/// let id = OutboxId::new();
/// let address = verp_address(&from, id).unwrap();
/// assert!(address.as_str().starts_with("support+hd"));
/// assert!(address.as_str().ends_with("@desk.example"));
/// assert_eq!(verp_outbox_id(address.as_str(), &[from]), Some(id));
/// ```
pub fn verp_address(from: &Email, id: OutboxId) -> Option<Email> {
    let (local, domain) = from.as_str().rsplit_once('@')?;
    let local = format!("{local}+{TOKEN_PREFIX}{}", id.as_uuid().simple());
    if local.len() > MAX_LOCAL_PART {
        return None;
    }
    Email::parse(&format!("{local}@{domain}")).ok()
}

/// The outbox e-mail a VERP address names, when `address` (as written in a header or given
/// by the mail server, angle brackets and case ignored) is one of `own` addresses with a
/// token; `None` for any other address.
pub fn verp_outbox_id(address: &str, own: &[Email]) -> Option<OutboxId> {
    let address = address
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_ascii_lowercase();
    let (local, domain) = address.rsplit_once('@')?;
    let (base, token) = local.rsplit_once('+')?;
    let hex = token.strip_prefix(TOKEN_PREFIX)?;
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let plain = format!("{base}@{domain}");
    if !own.iter().any(|a| a.as_str() == plain) {
        return None;
    }
    Uuid::parse_str(hex).ok().map(OutboxId::from_uuid)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn email(s: &str) -> Email {
        Email::parse(s).unwrap()
    }

    proptest! {
        #[test]
        fn a_verp_address_reads_back_as_the_outbox_email_it_was_made_for(
            bits in any::<u128>(),
            local in "[a-z0-9][a-z0-9._-]{0,27}",
            domain in "[a-z0-9]{1,20}\\.[a-z]{2,6}",
        ) {
            let from = email(&format!("{local}@{domain}"));
            let id = OutboxId::from_uuid(Uuid::from_u128(bits));
            let address = verp_address(&from, id).expect("a short local part fits");
            prop_assert_eq!(verp_outbox_id(address.as_str(), std::slice::from_ref(&from)), Some(id));
            // As a header writes it, in angle brackets and another case.
            let shouted = format!("<{}>", address.as_str().to_ascii_uppercase());
            prop_assert_eq!(verp_outbox_id(&shouted, &[from]), Some(id));
        }

        #[test]
        fn any_text_that_is_no_verp_address_of_the_desk_names_no_e_mail(text in ".{0,80}") {
            prop_assert_eq!(verp_outbox_id(&text, &[email("support@desk.example")]), None);
        }
    }

    #[test]
    fn only_the_desks_own_addresses_carry_a_token_it_reads() {
        let own = [email("support@desk.example"), email("billing@desk.example")];
        let id = OutboxId::new();
        let hex = id.as_uuid().simple().to_string();
        let ok = format!("billing+hd{hex}@desk.example");
        assert_eq!(verp_outbox_id(&ok, &own), Some(id));
        for bad in [
            format!("sales+hd{hex}@desk.example"),
            format!("support+hd{hex}@other.example"),
            format!("support+xx{hex}@desk.example"),
            format!("support+hd{}@desk.example", &hex[1..]),
            format!("support+hd{}g@desk.example", &hex[1..]),
            "support@desk.example".to_owned(),
            String::new(),
        ] {
            assert_eq!(verp_outbox_id(&bad, &own), None, "{bad}");
        }
    }

    #[test]
    fn a_local_part_too_long_for_a_token_gets_none() {
        let long = email(&format!("{}@desk.example", "a".repeat(30)));
        assert_eq!(verp_address(&long, OutboxId::new()), None);
        let fits = email(&format!("{}@desk.example", "a".repeat(29)));
        assert!(verp_address(&fits, OutboxId::new()).is_some());
    }
}
