//! Invitations and password-reset links: `agent invite`, `customer invite`, `agent
//! reset-link`, `customer reset-link` (each as `--as`, which the library checks) and
//! `set-password --token` (the password read from the first line of stdin).

use std::io::Read;

use helpdesk::domain::{Actor, LoginName};
use helpdesk::service::IssuedLink;
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

/// The link as JSON (`--json`) or a few lines: the secret, the URL when the desk has a public
/// URL, and whether it was e-mailed.
fn print(link: &IssuedLink, out: &mut Out<'_>) -> CliResult {
    let mut human = format!(
        "{} for login {} (until {})\ntoken: {}\n",
        link.kind.as_str().replace('_', " "),
        link.login.as_str(),
        link.expires_at.format("%Y-%m-%d %H:%M UTC"),
        link.token,
    );
    if let Some(url) = &link.url {
        human += &format!("link: {url}\n");
    }
    if let Some(to) = &link.emailed_to {
        human += &format!("e-mailed to {}\n", to.as_str());
    }
    out.value(
        &json!({
            "token": link.token,
            "kind": link.kind,
            "actor": link.actor,
            "login": link.login,
            "expires_at": link.expires_at,
            "url": link.url,
            "emailed_to": link.emailed_to,
        }),
        &human,
    )
}

/// `agent invite` and `customer invite`.
pub(crate) async fn invite(
    ctx: &Ctx,
    actor: Actor,
    login: Option<String>,
    out: &mut Out<'_>,
) -> CliResult {
    let login = login.as_deref().map(LoginName::parse).transpose()?;
    let link = ctx.acting.invite(actor, login).await?;
    print(&link, out)
}

/// `agent reset-link` and `customer reset-link`.
pub(crate) async fn reset_link(ctx: &Ctx, actor: Actor, out: &mut Out<'_>) -> CliResult {
    let link = ctx.acting.reset_link(actor).await?;
    print(&link, out)
}

/// `set-password --token`: the password from stdin, set with the link.
pub(crate) async fn set_password(
    ctx: &Ctx,
    token: &str,
    stdin: &mut dyn Read,
    out: &mut Out<'_>,
) -> CliResult {
    let hash = crate::admin::password_from(stdin).await?;
    let login = ctx.desk.set_password_with_link(token, hash).await?;
    out.value(
        &json!({"login": login.name.as_str(), "actor": login.actor}),
        &format!("password set for login {}\n", login.name.as_str()),
    )
}
