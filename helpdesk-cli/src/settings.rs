//! The settings commands (admins): `settings show`, `settings set public-url URL` and
//! `settings unset public-url`.

use helpdesk::domain::PublicUrl;
use helpdesk::service::DeskSettings;

use crate::CliResult;
use crate::args::SettingName;
use crate::context::Ctx;
use crate::output::Out;

/// `settings show`.
pub(crate) async fn show(ctx: &Ctx, out: &mut Out<'_>) -> CliResult {
    let settings = ctx.acting.settings().await?;
    print(&settings, out)
}

/// `settings set NAME VALUE`, or `settings unset NAME` with no value; then the settings.
pub(crate) async fn set(
    ctx: &Ctx,
    name: SettingName,
    value: Option<&str>,
    out: &mut Out<'_>,
) -> CliResult {
    match name {
        SettingName::PublicUrl => {
            let url = value.map(PublicUrl::parse).transpose()?;
            ctx.acting.set_public_url(url).await?;
        }
    }
    show(ctx, out).await
}

fn print(settings: &DeskSettings, out: &mut Out<'_>) -> CliResult {
    let url = settings
        .public_url
        .as_ref()
        .map_or("(not set: e-mails carry no links)", PublicUrl::as_str);
    out.value(
        &serde_json::to_value(settings)?,
        &format!("public-url  {url}\n"),
    )
}
