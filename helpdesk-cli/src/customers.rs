//! The customer commands: `customer find`, `customer add`, `customer list` and
//! `customer edit`.

use helpdesk::domain::{Address, ContractNumber, CustomerId, CustomerKind, Email, Name, Phone};
use helpdesk::error::ValidationError;
use helpdesk::listing::CustomerText;
use helpdesk::search::CustomerLookup;
use helpdesk::service::{CustomerEdit, NewCustomer};
use helpdesk::store::{CustomerCursor, CustomerFilter, CustomerPage, CustomerPageRequest};

use crate::CliResult;
use crate::args::{
    AccessArg, ClearArg, CustomerAddArgs, CustomerEditArgs, CustomerListArgs, KindArg,
};
use crate::context::Ctx;
use crate::output::Out;

/// `customer find`: by contract number, else phone; an e-mail; or an address pattern.
pub(crate) async fn find(ctx: &Ctx, query: &str, out: &mut Out<'_>) -> CliResult {
    let query = query.trim();
    let found = if query.contains('%') {
        let lookup = CustomerLookup::address(query)?;
        ctx.acting.find_customers(&lookup).await?
    } else if query.contains('@') {
        let lookup = CustomerLookup::Email(Email::parse(query)?);
        ctx.acting.find_customers(&lookup).await?
    } else {
        // The contract number first, else the phone (seed 004).
        let by_contract = CustomerLookup::ContractNumber(ContractNumber::parse(query)?);
        let found = ctx.acting.find_customers(&by_contract).await?;
        if found.is_empty() {
            match CustomerLookup::phone(query) {
                Ok(lookup) => ctx.acting.find_customers(&lookup).await?,
                Err(_) => found,
            }
        } else {
            found
        }
    };
    out.customers(&found)
}

/// `customer add`.
pub(crate) async fn add(ctx: &Ctx, args: CustomerAddArgs, out: &mut Out<'_>) -> CliResult {
    let kind = if args.organisation {
        CustomerKind::Organisation
    } else {
        CustomerKind::Individual
    };
    let mut new = NewCustomer::new(kind, Name::parse(&args.name)?);
    if let Some(e) = args.email {
        new = new.with_email(Email::parse(&e)?);
    }
    if let Some(p) = args.phone {
        new = new.with_phone(Phone::parse(&p)?);
    }
    if let Some(c) = args.contract {
        new = new.with_contract_number(ContractNumber::parse(&c)?);
    }
    if let Some(a) = args.address {
        new = new.with_address(Address::parse(&a)?);
    }
    if let Some(l) = args.language {
        new = new.with_language(l);
    }
    if let Some(org) = args.member_of {
        new = new.with_organisation(customer_id(ctx, &org).await?);
    }
    let customer = ctx.acting.create_customer(new).await?;
    out.customers(&[customer])
}

/// A customer named by id or e-mail.
pub(crate) async fn customer_id(ctx: &Ctx, typed: &str) -> CliResult<CustomerId> {
    match typed.trim().parse::<CustomerId>() {
        Ok(id) => Ok(id),
        Err(_) => Ok(ctx.customer_by_email(typed).await?.id),
    }
}

/// `customer list`: one page (or `--all` of them) of the directory, with the total.
pub(crate) async fn list(ctx: &Ctx, args: CustomerListArgs, out: &mut Out<'_>) -> CliResult {
    let organisation = match &args.organisation {
        Some(typed) => Some(customer_id(ctx, typed).await?),
        None => None,
    };
    let filter = CustomerFilter {
        text: args
            .query
            .as_deref()
            .map(CustomerText::parse)
            .transpose()
            .map_err(|e| ValidationError::new("--query", e.message().to_owned()))?,
        kind: args.kind.map(|k| match k {
            KindArg::Individual => CustomerKind::Individual,
            KindArg::Organisation => CustomerKind::Organisation,
        }),
        access_enabled: args.access.map(|a| matches!(a, AccessArg::Enabled)),
        organisation,
    };
    let mut page = CustomerPageRequest::first(args.limit);
    if let Some(after) = &args.after {
        let cursor = CustomerCursor::decode(after.trim())
            .map_err(|e| ValidationError::new("--after", e.message().to_owned()))?;
        page = page.after(cursor);
    }
    let mut found = ctx.acting.list_customers(&filter, &page).await?;
    if args.all {
        while let Some(next) = found.next.take() {
            page = page.after(next);
            let more = ctx.acting.list_customers(&filter, &page).await?;
            found = CustomerPage {
                items: found.items.into_iter().chain(more.items).collect(),
                next: more.next,
                total: more.total,
            };
        }
    }
    out.customer_page(&found, args.after.is_none())
}

/// `customer edit`: what is given replaces, `--clear` empties, the rest stays.
pub(crate) async fn edit(ctx: &Ctx, args: CustomerEditArgs, out: &mut Out<'_>) -> CliResult {
    let id = customer_id(ctx, &args.customer).await?;
    let mut edit = CustomerEdit::of(&ctx.acting.customer(id).await?);
    if let Some(n) = &args.name {
        edit.name = Name::parse(n)?;
    }
    if let Some(e) = &args.email {
        edit.email = Some(Email::parse(e)?);
    }
    if let Some(p) = &args.phone {
        edit.phone = Some(Phone::parse(p)?);
    }
    if let Some(c) = &args.contract {
        edit.contract_number = Some(ContractNumber::parse(c)?);
    }
    if let Some(a) = &args.address {
        edit.address = Some(Address::parse(a)?);
    }
    if let Some(l) = args.language {
        edit.language = Some(l);
    }
    if let Some(o) = &args.organisation {
        edit.organisation = Some(customer_id(ctx, o).await?);
    }
    if args.no_organisation {
        edit.organisation = None;
    }
    for field in &args.clear {
        match field {
            ClearArg::Email => edit.email = None,
            ClearArg::Phone => edit.phone = None,
            ClearArg::Contract => edit.contract_number = None,
            ClearArg::Address => edit.address = None,
            ClearArg::Language => edit.language = None,
        }
    }
    let customer = ctx.acting.update_customer(id, edit).await?;
    out.customers(&[customer])
}
