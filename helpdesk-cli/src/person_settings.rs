//! `my-settings show|set` (issue 21): the time zone and page language of the person `--as`
//! names (agents and customers alike), as lines or `--json`.

use clap::Subcommand;
use helpdesk::domain::{Language, PersonSettings, TimeZone};
use serde_json::json;

use crate::CliResult;
use crate::context::Ctx;
use crate::output::Out;

#[derive(Debug, Subcommand)]
pub(crate) enum MySettingsCmd {
    /// Show the time zone and the page language (`-` when not chosen).
    Show,
    /// Change them: `my-settings set --time-zone Europe/Bucharest --language ro`; what is
    /// not given stays.
    Set {
        /// The IANA name of the time zone the pages show dates and times in.
        #[arg(long)]
        time_zone: Option<String>,
        /// The language of the pages (en, ro, ru, fa).
        #[arg(long)]
        language: Option<String>,
    },
}

/// The settings as lines of `name  value`.
fn human(s: &PersonSettings) -> String {
    format!(
        "time_zone  {}\nlanguage  {}\n",
        s.time_zone.map_or("-", TimeZone::name),
        s.language.map_or("-", Language::code)
    )
}

/// `my-settings …`.
pub(crate) async fn my_settings(ctx: &Ctx, cmd: MySettingsCmd, out: &mut Out<'_>) -> CliResult {
    let found = match cmd {
        MySettingsCmd::Show => ctx.acting.own_settings().await?,
        MySettingsCmd::Set {
            time_zone,
            language,
        } => {
            let zone = time_zone.as_deref().map(TimeZone::parse).transpose()?;
            let language = language.map(|l| l.parse::<Language>()).transpose()?;
            ctx.acting.change_own_settings(zone, language).await?
        }
    };
    out.value(&json!(found), &human(&found))
}
