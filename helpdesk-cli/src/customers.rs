//! The customer commands: `customer find` and `customer add`.

use helpdesk::domain::{Address, ContractNumber, CustomerKind, Email, Name, Phone};
use helpdesk::search::CustomerLookup;
use helpdesk::service::NewCustomer;

use crate::CliResult;
use crate::args::CustomerAddArgs;
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
    let customer = ctx.acting.create_customer(new).await?;
    out.customers(&[customer])
}
