//! The agents' keyboard shortcuts (`assets/shortcuts.js`, vendored here, no build step):
//! `j`/`k` move through the queue, `r` reply, `n` internal note, `a` assign, `/` search,
//! `?` this help. The help is on every staff page, hidden until `?` is pressed.

use helpdesk::domain::Language;
use maud::{Markup, html};

use super::layout::t;

/// The shortcuts and what each does, as the help lists them.
const SHORTCUTS: [(&str, &str); 7] = [
    ("j", "shortcut_next"),
    ("k", "shortcut_previous"),
    ("r", "shortcut_reply"),
    ("n", "shortcut_note"),
    ("a", "shortcut_assign"),
    ("/", "shortcut_search"),
    ("?", "shortcut_help"),
];

/// The help, hidden until `?` is pressed.
pub fn help(lang: Language) -> Markup {
    html! {
        aside #shortcut-help hidden role="dialog" aria-label=(t(lang, "shortcuts")) {
            h2 { (t(lang, "shortcuts")) }
            dl {
                @for (key, what) in SHORTCUTS {
                    dt { kbd { (key) } }
                    dd { (t(lang, what)) }
                }
            }
        }
    }
}
