//! `/admin/customers`: customers looked up (by e-mail, phone, contract number or address
//! pattern, as the library looks them up), new ones, their logins, and their access
//! disabled (sign-in refused, sessions and tokens revoked) or enabled again.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use helpdesk::domain::{
    Actor, Address, ContractNumber, CustomerId, CustomerKind, Email, Language, Name, Phone,
};
use helpdesk::listing::{CustomerFilter, CustomerPageRequest, CustomerText};
use helpdesk::search::CustomerLookup;
use helpdesk::service::NewCustomer;
use maud::{Markup, html};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::super::layout::t;
use super::super::{PageResult, see_other};
use super::form::{
    Kept, Refused, admin_page, admins_only, field, login_fields, login_name, post_form, refused,
    text_field, typed_login,
};
use super::sla::kind_word;
use super::templates::language_name;
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The customer routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/customers", get(customers).post(create))
        .route("/admin/customers/{id}/login", post(set_login))
        .route("/admin/customers/{id}/access", post(set_access))
}

/// What to look up: by which key, and what was typed.
#[derive(Debug, Clone, Default)]
struct Search {
    by: String,
    q: String,
}

impl Search {
    /// The search in a query or a posted form (`by`, `q`).
    fn of(fields: &HashMap<String, String>) -> Self {
        Self {
            by: field(fields, "by").to_owned(),
            q: field(fields, "q").to_owned(),
        }
    }

    /// The page's address with this search.
    fn address(&self) -> String {
        if self.q.is_empty() {
            return "/admin/customers".to_owned();
        }
        format!(
            "/admin/customers?by={}&q={}",
            utf8_percent_encode(&self.by, NON_ALPHANUMERIC),
            utf8_percent_encode(&self.q, NON_ALPHANUMERIC)
        )
    }

    /// The hidden fields that carry it through a form.
    fn hidden(&self) -> Markup {
        html! {
            input type="hidden" name="by" value=(self.by);
            input type="hidden" name="q" value=(self.q);
        }
    }
}

/// The look-ups the library offers, with their words.
const LOOKUPS: [(&str, &str); 5] = [
    ("text", "admin_name_or_email"),
    ("email", "admin_email"),
    ("phone", "admin_phone"),
    ("contract", "admin_contract"),
    ("address", "admin_address_pattern"),
];

async fn customers(user: PageUser, Query(query): Query<HashMap<String, String>>) -> PageResult {
    page(&user, &Search::of(&query), None).await
}

/// The page, with the customers `search` finds and `refused` shown inline.
async fn page(user: &PageUser, search: &Search, refused: Option<&Refused>) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let (found, lookup_error) = if search.q.is_empty() {
        (Vec::new(), None)
    } else {
        let lookup = match search.by.as_str() {
            "phone" => CustomerLookup::phone(&search.q).map(Some),
            "contract" => ContractNumber::parse(&search.q)
                .map(CustomerLookup::ContractNumber)
                .map(Some),
            "address" => CustomerLookup::address(&search.q).map(Some),
            "email" => Email::parse(&search.q).map(CustomerLookup::Email).map(Some),
            // Part of a name, e-mail, phone or contract number: the directory's search.
            _ => Ok(None),
        };
        match lookup {
            Ok(Some(lookup)) => (user.acting.find_customers(&lookup).await?, None),
            Ok(None) => match CustomerText::parse(&search.q) {
                Ok(text) => {
                    let filter = CustomerFilter {
                        text: Some(text),
                        ..CustomerFilter::default()
                    };
                    let page = CustomerPageRequest::first(50);
                    (
                        user.acting.list_customers(&filter, &page).await?.items,
                        None,
                    )
                }
                Err(e) => (Vec::new(), Some(e.to_string())),
            },
            Err(e) => (Vec::new(), Some(e.to_string())),
        }
    };
    let mut rows = Vec::new();
    for c in &found {
        rows.push((c, login_name(user, Actor::Customer(c.id)).await?));
    }
    let body = html! {
        form #lookup method="get" action="/admin/customers" {
            @if let Some(e) = &lookup_error { p.error role="alert" { (t(lang, "admin_refused")) " " (e) } }
            label { (t(lang, "admin_look_up_by")) " "
                select name="by" {
                    @for (value, key) in LOOKUPS {
                        option value=(value) selected[search.by == value] { (t(lang, key)) }
                    }
                }
            }
            input type="text" name="q" value=(search.q) aria-label=(t(lang, "search"));
            button { (t(lang, "search")) }
        }
        @if !search.q.is_empty() && found.is_empty() && lookup_error.is_none() { p.meta { (t(lang, "nothing")) } }
        @for (c, login) in &rows {
            @let login_id = format!("login-{}", c.id);
            @let access_id = format!("access-{}", c.id);
            section.card.customer {
                h2 { (c.name) }
                p.meta {
                    (kind_word(lang, c.kind))
                    @if let Some(e) = &c.email { " · " (e.as_str()) }
                    @if let Some(p) = &c.phone { " · " (p.as_str()) }
                    @if let Some(n) = &c.contract_number { " · " (n.as_str()) }
                }
                p { @if c.access_enabled { (t(lang, "admin_access_enabled")) } @else { (t(lang, "admin_access_disabled")) } }
                (post_form(user, &access_id, &format!("/admin/customers/{}/access", c.id), html! {
                    (kept.error(&access_id, lang))
                    (search.hidden())
                    input type="hidden" name="enabled" value=(!c.access_enabled);
                    button { @if c.access_enabled { (t(lang, "admin_disable")) } @else { (t(lang, "admin_enable")) } }
                }))
                p.meta { (t(lang, "admin_login")) ": " @match login { Some(l) => (l), None => (t(lang, "admin_no_login")) } }
                (post_form(user, &login_id, &format!("/admin/customers/{}/login", c.id), html! {
                    (kept.error(&login_id, lang))
                    (search.hidden())
                    (login_fields(lang, kept, &login_id, login.as_deref().unwrap_or_default()))
                    button { (t(lang, "admin_set_login")) }
                }))
                p { a href=(format!("/admin/customers/{}", c.id)) { (t(lang, "admin_edit")) } }
                (super::links::section(user, &format!("link-{}", c.id), &format!("/admin/customers/{}/link", c.id), login.is_some()))
            }
        }
        h2 { (t(lang, "admin_new_customer")) }
        (new_customer_form(user, lang, kept))
        p { a href="/admin/customers/directory" { (t(lang, "admin_customer_directory")) } }
    };
    admin_page(user, "admin_customers", refused, body)
}

/// The form of a new customer.
fn new_customer_form(user: &PageUser, lang: Language, kept: Kept<'_>) -> Markup {
    let id = "new-customer";
    post_form(
        user,
        id,
        "/admin/customers",
        html! {
            (kept.error(id, lang))
            label { (t(lang, "admin_kind")) " "
                select name="kind" {
                    @let current = kept.value(id, "kind", "individual");
                    @for k in CustomerKind::ALL {
                        option value=(k.as_str()) selected[k.as_str() == current] { (kind_word(lang, k)) }
                    }
                }
            }
            (text_field(t(lang, "admin_name"), "name", &kept.value(id, "name", ""), true))
            (text_field(t(lang, "admin_email"), "email", &kept.value(id, "email", ""), false))
            (text_field(t(lang, "admin_phone"), "phone", &kept.value(id, "phone", ""), false))
            (text_field(t(lang, "admin_contract"), "contract_number", &kept.value(id, "contract_number", ""), false))
            (text_field(t(lang, "admin_address"), "address", &kept.value(id, "address", ""), false))
            label { (t(lang, "admin_language")) " "
                select name="language" {
                    @let current = kept.value(id, "language", "");
                    option value="" selected[current.is_empty()] { "—" }
                    @for l in Language::ALL {
                        option value=(l.code()) selected[l.code() == current] { (language_name(l)) }
                    }
                }
            }
            button { (t(lang, "admin_add")) }
        },
    )
}

/// The customer the form describes.
fn new_customer(form: &HashMap<String, String>) -> Result<NewCustomer, ApiError> {
    let kind: CustomerKind = parse(field(form, "kind"))?;
    let mut new = NewCustomer::new(kind, Name::parse(field(form, "name"))?);
    let typed = |name| Some(field(form, name)).filter(|s| !s.is_empty());
    if let Some(e) = typed("email") {
        new = new.with_email(Email::parse(e)?);
    }
    if let Some(p) = typed("phone") {
        new = new.with_phone(Phone::parse(p)?);
    }
    if let Some(c) = typed("contract_number") {
        new = new.with_contract_number(ContractNumber::parse(c)?);
    }
    if let Some(a) = typed("address") {
        new = new.with_address(Address::parse(a)?);
    }
    if let Some(l) = typed("language") {
        new = new.with_language(parse(l)?);
    }
    Ok(new)
}

/// Adds a customer, then shows them looked up.
async fn create(Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> =
        async { Ok(user.acting.create_customer(new_customer(&form)?).await?) }.await;
    match result {
        Ok(c) => {
            let search = match (&c.email, &c.phone, &c.contract_number) {
                (Some(e), _, _) => Search {
                    by: "email".into(),
                    q: e.as_str().to_owned(),
                },
                (None, Some(p), _) => Search {
                    by: "phone".into(),
                    q: p.as_str().to_owned(),
                },
                (None, None, Some(n)) => Search {
                    by: "contract".into(),
                    q: n.as_str().to_owned(),
                },
                _ => Search::default(),
            };
            Ok(see_other(&search.address()))
        }
        Err(e) => {
            page(
                &user,
                &Search::default(),
                Some(&refused(e, "new-customer", form)?),
            )
            .await
        }
    }
}

/// Sets a customer's login and password.
async fn set_login(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { user, form }: Posted,
) -> PageResult {
    let id: CustomerId = parse(&id)?;
    let search = Search::of(&form);
    let result: Result<_, ApiError> = async {
        let Some((name, hash)) = typed_login(&state, &form).await? else {
            return Err(helpdesk::error::ValidationError::new("login", "must not be empty").into());
        };
        Ok(user
            .acting
            .set_login(Actor::Customer(id), name, hash)
            .await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&search.address())),
        Err(e) => {
            page(
                &user,
                &search,
                Some(&refused(e, format!("login-{id}"), form)?),
            )
            .await
        }
    }
}

/// Enables or disables a customer's access (disabling refuses their sign-in and revokes
/// their sessions and tokens).
async fn set_access(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id: CustomerId = parse(&id)?;
    let search = Search::of(&form);
    let enabled = field(&form, "enabled") == "true";
    let result: Result<_, ApiError> =
        async { Ok(user.acting.set_customer_access(id, enabled).await?) }.await;
    match result {
        Ok(_) => Ok(see_other(&search.address())),
        Err(e) => {
            page(
                &user,
                &search,
                Some(&refused(e, format!("access-{id}"), form)?),
            )
            .await
        }
    }
}
