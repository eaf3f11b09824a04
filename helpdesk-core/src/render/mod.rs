//! Text renderings for people: a ticket's history as lines, and the e-mails the desk sends.

mod account;
mod agent_notice;
mod email;
mod history;
mod report;

pub use account::{AccountEmailContext, render_account_email};
pub use agent_notice::{AgentNoticeContext, render_agent_notice};
pub use email::{EmailContext, RenderedEmail, render_email};
pub use history::render_history;
pub use report::{REPORT_COLUMNS, report_cells, report_csv, report_table};
