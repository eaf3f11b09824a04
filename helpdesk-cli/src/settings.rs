//! The settings commands (admins): `settings show`, `settings set public-url URL`,
//! `settings set phone-region RO`, `settings set presence-timeout 60`,
//! `settings set feed-retention 30` and
//! `settings unset public-url|phone-region|presence-timeout|feed-retention`.

use helpdesk::domain::{PresenceTimeout, PublicUrl};
use helpdesk::feed::FeedRetention;
use helpdesk::search::PhoneRegion;
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
        SettingName::PhoneRegion => {
            let region = value.map(PhoneRegion::parse).transpose()?;
            ctx.acting.set_phone_region(region).await?;
        }
        SettingName::PresenceTimeout => {
            let timeout = value.map(PresenceTimeout::parse).transpose()?;
            ctx.acting.set_presence_timeout(timeout).await?;
        }
        SettingName::FeedRetention => {
            let retention = value.map(FeedRetention::parse).transpose()?;
            ctx.acting.set_feed_retention(retention).await?;
        }
    }
    show(ctx, out).await
}

fn print(settings: &DeskSettings, out: &mut Out<'_>) -> CliResult {
    let url = settings
        .public_url
        .as_ref()
        .map_or("(not set: e-mails carry no links)", PublicUrl::as_str);
    // The phone region's line only when it is set (unset, numbers need their country code).
    let region = settings
        .phone_region
        .as_ref()
        .map_or_else(String::new, |r| format!("phone-region  {r}\n"));
    // The presence timeout's line only when an admin set one (unset: 60 s).
    let timeout = settings
        .presence_timeout_seconds
        .map_or_else(String::new, |t| format!("presence-timeout  {t} s\n"));
    // The feed's retention only when an admin set one (unset: 7 days).
    let retention = settings
        .feed_retention_days
        .map_or_else(String::new, |r| format!("feed-retention  {r} days\n"));
    out.value(
        &serde_json::to_value(settings)?,
        &format!("public-url  {url}\n{region}{timeout}{retention}"),
    )
}
