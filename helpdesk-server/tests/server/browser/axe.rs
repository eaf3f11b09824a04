//! axe-core in the page (issue 21): every page a browser test visits is checked once per
//! address, window width and language, and a violation of impact serious or critical fails
//! the test, naming the rule and the elements; on a phone-sized window (below 500 px) a
//! document wider than the window (one that scrolls sideways) fails it too.
//!
//! axe-core is not in Debian and is not in the repository: it is installed with npm under
//! `target/axe` (`.ci/run` does it, and the first test that needs it when it is missing).
//! Without it the check fails in CI (`CI` set) and is skipped with a loud line elsewhere.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::{Value, json};

use super::TestResult;
use super::webdriver::{Browser, target_dir};

/// The npm package installed, a major version (its rules change between majors).
const PACKAGE: &str = "axe-core@4";

/// Where `npm install --prefix target/axe` puts the script.
fn script_path() -> TestResult<PathBuf> {
    Ok(target_dir()?.join("axe/node_modules/axe-core/axe.min.js"))
}

/// axe-core's source, installed with npm when missing; `None` (after a loud line, or a
/// panic in CI) when it cannot be had.
fn source() -> Option<&'static str> {
    static SOURCE: OnceLock<Option<String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            let path = script_path().ok()?;
            if !path.exists() {
                let prefix = target_dir().ok()?.join("axe");
                let _ = Command::new("npm")
                    .args(["install", "--no-audit", "--no-fund", "--prefix"])
                    .arg(&prefix)
                    .arg(PACKAGE)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
            }
            match std::fs::read_to_string(&path) {
                Ok(source) => Some(source),
                Err(e) => {
                    let message = format!(
                        "axe-core missing at {} ({e}): install it with \
                         `npm install --prefix target/axe {PACKAGE}`",
                        path.display()
                    );
                    if std::env::var_os("CI").is_some() {
                        panic!("the browser tests need axe-core in CI: {message}");
                    }
                    let _ = std::io::Write::write_all(
                        &mut std::io::stderr(),
                        format!("\n*** SKIPPED: no accessibility checks: {message} ***\n\n")
                            .as_bytes(),
                    );
                    None
                }
            }
        })
        .as_deref()
}

/// Whether axe-core is here to run (installing it if need be; see [`source`]).
pub(super) fn available() -> bool {
    source().is_some()
}

/// Runs axe-core in the page and returns its serious and critical violations, one line each.
const RUN: &str = "var done = arguments[arguments.length - 1];\
    axe.run(document, {resultTypes: ['violations']}).then(function (r) {\
      done(r.violations.filter(function (v) {\
        return v.impact === 'serious' || v.impact === 'critical'; })\
      .map(function (v) { return v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 4)\
        .map(function (n) { return n.target.join(' '); }).join(', '); }));\
    }, function (e) { done(['axe-core failed: ' + e]); });";

/// Where the page is and what it is, to check each page once: its address, width,
/// language, whether it is an HTML page, and (below 500 px) what sticks out sideways.
const LOOK: &str = "var narrow = window.innerWidth < 500, wide = [];\
    if (narrow && document.documentElement.scrollWidth > window.innerWidth) {\
      wide = Array.from(document.querySelectorAll('body *')).filter(function (e) {\
        var r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 || r.left < -1; })\
      .map(function (e) { return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +\
        (e.className && e.className.baseVal === undefined ? '.' + e.className : ''); }).slice(0, 6);\
      if (!wide.length) { wide = ['(the document)']; } }\
    return [location.pathname + location.search + ' ' + window.innerWidth + ' ' +\
      document.documentElement.lang, document.contentType === 'text/html', wide];";

impl Browser {
    /// Checks the page shown now, unless this address was checked at this width and in this
    /// language already: no serious or critical axe-core violation, and nothing sideways on
    /// a phone-sized window.
    pub(super) async fn audit(&self) -> TestResult {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while self
            .script("return document.readyState;", json!([]))
            .await?
            != json!("complete")
            && std::time::Instant::now() < deadline
        {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let look = self.script(LOOK, json!([])).await?;
        let key = look[0].as_str().unwrap_or_default().to_owned();
        if look[1] != json!(true) || !self.first_visit(&key) {
            return Ok(());
        }
        let mut problems: Vec<String> = Vec::new();
        if let Some(wide) = look[2].as_array().filter(|w| !w.is_empty()) {
            problems.push(format!(
                "wider than the window: {}",
                Value::from(wide.clone())
            ));
        }
        if let Some(source) = source() {
            if self.script("return !!window.axe;", json!([])).await? != json!(true) {
                self.script(&format!("{source}\n;return null;"), json!([]))
                    .await?;
            }
            let found = self
                .cmd(
                    "POST",
                    "/execute/async",
                    Some(json!({"script": RUN, "args": []})),
                )
                .await?;
            problems.extend(
                found
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned),
            );
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("{key}: {}", problems.join("; ")).into())
        }
    }
}
