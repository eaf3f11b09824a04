//! `/admin/customers/directory`: every customer by name, filtered by text, kind, access and
//! organisation, a page at a time with the total and a link to the next page; and
//! `/admin/customers/{id}`: a customer's record edited (name, contact data, language,
//! contract number, and the organisation a person belongs to), a refusal shown inline with
//! the input kept.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query};
use axum::routing::get;
use helpdesk::domain::{
    Address, ContractNumber, Customer, CustomerId, CustomerKind, Email, Language, Name, Phone,
};
use helpdesk::listing::CustomerText;
use helpdesk::service::CustomerEdit;
use helpdesk::store::{CustomerCursor, CustomerFilter, CustomerPageRequest};
use maud::{Markup, html};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::super::layout::{t, t_args};
use super::super::words::number;
use super::super::{PageResult, see_other};
use super::form::{Kept, Refused, admin_page, admins_only, field, post_form, refused, text_field};
use super::sla::kind_word;
use super::templates::language_name;
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// Customers a page of the directory shows.
const PAGE: u32 = 50;

/// The directory's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/customers/directory", get(directory))
        .route("/admin/customers/{id}", get(customer).post(update))
}

/// The filters as typed (`text`, `kind`, `access`, `organisation`), kept in the links.
#[derive(Debug, Clone, Default)]
struct Filters {
    text: String,
    kind: String,
    access: String,
    organisation: String,
}

impl Filters {
    fn of(query: &HashMap<String, String>) -> Self {
        Self {
            text: field(query, "text").to_owned(),
            kind: field(query, "kind").to_owned(),
            access: field(query, "access").to_owned(),
            organisation: field(query, "organisation").to_owned(),
        }
    }

    /// The library's filter; a validation error for what does not parse.
    fn filter(&self) -> Result<CustomerFilter, ApiError> {
        let typed = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Ok(CustomerFilter {
            text: typed(&self.text)
                .map(|s| CustomerText::parse(&s))
                .transpose()
                .map_err(helpdesk::Error::from)?,
            kind: typed(&self.kind)
                .map(|k| parse::<CustomerKind>(&k))
                .transpose()?,
            access_enabled: match self.access.as_str() {
                "enabled" => Some(true),
                "disabled" => Some(false),
                _ => None,
            },
            organisation: typed(&self.organisation)
                .map(|o| parse::<CustomerId>(&o))
                .transpose()?,
        })
    }

    /// The directory's address with these filters, after `after`.
    fn address(&self, after: Option<&CustomerCursor>) -> String {
        let enc = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
        let mut out = format!(
            "/admin/customers/directory?text={}&kind={}&access={}&organisation={}",
            enc(&self.text),
            enc(&self.kind),
            enc(&self.access),
            enc(&self.organisation)
        );
        if let Some(after) = after {
            out.push_str(&format!("&after={}", enc(&after.encode())));
        }
        out
    }
}

/// Every organisation, by name: the only customers a person may belong to.
async fn organisations(user: &PageUser) -> Result<Vec<Customer>, ApiError> {
    let filter = CustomerFilter {
        kind: Some(CustomerKind::Organisation),
        ..CustomerFilter::default()
    };
    let mut page = CustomerPageRequest::first(CustomerPageRequest::MAX_LIMIT);
    let mut all = Vec::new();
    loop {
        let found = user.acting.list_customers(&filter, &page).await?;
        all.extend(found.items);
        match found.next {
            Some(next) => page = page.after(next),
            None => return Ok(all),
        }
    }
}

/// An organisation select: "none" (or "any" with `any`), then every organisation.
fn organisation_select(
    lang: Language,
    orgs: &[Customer],
    current: &str,
    empty_key: &str,
) -> Markup {
    html! {
        label { (t(lang, "admin_organisation")) " "
            select name="organisation" {
                option value="" selected[current.is_empty()] { (t(lang, empty_key)) }
                @for o in orgs {
                    @let id = o.id.to_string();
                    option value=(id) selected[id == current] { (o.name) }
                }
            }
        }
    }
}

/// `GET /admin/customers/directory`.
async fn directory(user: PageUser, Query(query): Query<HashMap<String, String>>) -> PageResult {
    admins_only(&user)?;
    let lang = user.language;
    let filters = Filters::of(&query);
    let orgs = organisations(&user).await?;
    let after = field(&query, "after");
    let read: Result<_, ApiError> = async {
        let filter = filters.filter()?;
        let mut page = CustomerPageRequest::first(PAGE);
        if !after.is_empty() {
            page = page.after(CustomerCursor::decode(after).map_err(helpdesk::Error::from)?);
        }
        Ok(user.acting.list_customers(&filter, &page).await?)
    }
    .await;
    let (found, error) = match read {
        Ok(found) => (Some(found), None),
        Err(e) if e.status.is_client_error() && e.status.as_u16() == 400 => (None, Some(e.message)),
        Err(e) => return Err(e.into()),
    };
    let body = html! {
        p { a href="/admin/customers" { (t(lang, "admin_customers")) } }
        form #customer-filter method="get" action="/admin/customers/directory" {
            @if let Some(e) = &error { p.error role="alert" { (t(lang, "admin_refused")) " " (e) } }
            (text_field(t(lang, "admin_customer_text"), "text", &filters.text, false))
            label { (t(lang, "admin_kind")) " "
                select name="kind" {
                    option value="" selected[filters.kind.is_empty()] { (t(lang, "admin_any")) }
                    @for k in CustomerKind::ALL {
                        option value=(k.as_str()) selected[k.as_str() == filters.kind] { (kind_word(lang, k)) }
                    }
                }
            }
            label { (t(lang, "admin_access")) " "
                select name="access" {
                    option value="" selected[filters.access.is_empty()] { (t(lang, "admin_any")) }
                    option value="enabled" selected[filters.access == "enabled"] { (t(lang, "admin_enabled")) }
                    option value="disabled" selected[filters.access == "disabled"] { (t(lang, "admin_disabled")) }
                }
            }
            (organisation_select(lang, &orgs, &filters.organisation, "admin_any"))
            button { (t(lang, "search")) }
        }
        @if let Some(found) = &found {
            @if found.items.is_empty() {
                p.meta { (t(lang, "nothing")) }
            } @else {
                table.customers {
                    thead { tr {
                        th { (t(lang, "admin_name")) }
                        th { (t(lang, "admin_kind")) }
                        th { (t(lang, "admin_email")) }
                        th { (t(lang, "admin_phone")) }
                        th { (t(lang, "admin_contract")) }
                        th { (t(lang, "admin_access")) }
                    } }
                    tbody {
                        @for c in &found.items {
                            tr {
                                td { a href=(format!("/admin/customers/{}", c.id)) { (c.name) } }
                                td { (kind_word(lang, c.kind)) }
                                td { @if let Some(e) = &c.email { (e.as_str()) } }
                                td { @if let Some(p) = &c.phone { (p.as_str()) } }
                                td { @if let Some(n) = &c.contract_number { (n.as_str()) } }
                                td { @if c.access_enabled { (t(lang, "admin_enabled")) } @else { (t(lang, "admin_disabled")) } }
                            }
                        }
                    }
                }
            }
            p.meta.total {
                (t_args(lang, "admin_shown_of_total", &[
                    ("shown", number(u32::try_from(found.items.len()).unwrap_or(u32::MAX))),
                    ("total", number(u32::try_from(found.total).unwrap_or(u32::MAX))),
                ]))
            }
            @if let Some(next) = &found.next {
                p { a.next href=(filters.address(Some(next))) rel="next" { (t(lang, "admin_next_page")) } }
            }
        }
    };
    admin_page(&user, "admin_customer_directory", None, body)
}

/// `GET /admin/customers/{id}`.
async fn customer(user: PageUser, Path(id): Path<String>) -> PageResult {
    let id: CustomerId = parse(&id)?;
    edit_page(&user, id, None).await
}

/// The edit page of customer `id`, with `refused` shown inline.
pub(super) async fn edit_page(
    user: &PageUser,
    id: CustomerId,
    refused: Option<&Refused>,
) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let c = user.acting.customer(id).await?;
    let orgs = if c.kind == CustomerKind::Individual {
        organisations(user).await?
    } else {
        Vec::new()
    };
    let form_id = "edit-customer";
    let opt = |o: Option<&str>| o.unwrap_or_default().to_owned();
    let current_org = c.organisation.map(|o| o.to_string()).unwrap_or_default();
    let organisation_part = super::organisations::organisation_part(user, &c, kept).await?;
    let erasure_part = super::erasure::erasure_part(user, &c, kept);
    let priority_part = super::organisation_priority::priority_part(user, &c, kept).await?;
    let body = html! {
        p { a href="/admin/customers/directory" { (t(lang, "admin_customer_directory")) } }
        p.meta { (kind_word(lang, c.kind)) " · "
            @if c.access_enabled { (t(lang, "admin_access_enabled")) } @else { (t(lang, "admin_access_disabled")) } }
        (post_form(user, form_id, &format!("/admin/customers/{id}"), html! {
            (kept.error(form_id, lang))
            (text_field(t(lang, "admin_name"), "name", &kept.value(form_id, "name", c.name.as_str()), true))
            (text_field(t(lang, "admin_email"), "email",
                &kept.value(form_id, "email", opt(c.email.as_ref().map(Email::as_str))), false))
            (text_field(t(lang, "admin_phone"), "phone",
                &kept.value(form_id, "phone", opt(c.phone.as_ref().map(Phone::as_str))), false))
            (text_field(t(lang, "admin_contract"), "contract_number",
                &kept.value(form_id, "contract_number", opt(c.contract_number.as_ref().map(ContractNumber::as_str))), false))
            (text_field(t(lang, "admin_address"), "address",
                &kept.value(form_id, "address", opt(c.address.as_ref().map(Address::as_str))), false))
            label { (t(lang, "admin_language")) " "
                select name="language" {
                    @let current = kept.value(form_id, "language", c.language.map(Language::code).unwrap_or_default());
                    option value="" selected[current.is_empty()] { "—" }
                    @for l in Language::ALL {
                        option value=(l.code()) selected[l.code() == current] { (language_name(l)) }
                    }
                }
            }
            @if c.kind == CustomerKind::Individual {
                (organisation_select(lang, &orgs, &kept.value(form_id, "organisation", current_org.clone()), "admin_no_organisation"))
            }
            button { (t(lang, "admin_save")) }
        }))
        (organisation_part)
        (priority_part)
        (erasure_part)
    };
    let title = "admin_edit_customer";
    admin_page(user, title, refused, html! { h2 { (c.name) } (body) })
}

/// The edit the form describes, of customer `c`.
fn edit_of(c: &Customer, form: &HashMap<String, String>) -> Result<CustomerEdit, ApiError> {
    let typed = |name| Some(field(form, name).trim()).filter(|s| !s.is_empty());
    let mut edit = CustomerEdit::of(c);
    edit.name = Name::parse(field(form, "name"))?;
    edit.email = typed("email").map(Email::parse).transpose()?;
    edit.phone = typed("phone").map(Phone::parse).transpose()?;
    edit.contract_number = typed("contract_number")
        .map(ContractNumber::parse)
        .transpose()?;
    edit.address = typed("address").map(Address::parse).transpose()?;
    edit.language = typed("language").map(parse::<Language>).transpose()?;
    // An organisation belongs to none: its form has no such field.
    if c.kind == CustomerKind::Individual {
        edit.organisation = typed("organisation").map(parse::<CustomerId>).transpose()?;
    }
    Ok(edit)
}

/// `POST /admin/customers/{id}`: saves the record, or shows the form again with the reason.
async fn update(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    admins_only(&user)?;
    let id: CustomerId = parse(&id)?;
    let result: Result<_, ApiError> = async {
        let c = user.acting.customer(id).await?;
        let edit = edit_of(&c, &form)?;
        Ok(user.acting.update_customer(id, edit).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/customers/{id}"))),
        Err(e) => edit_page(&user, id, Some(&refused(e, "edit-customer", form)?)).await,
    }
}
