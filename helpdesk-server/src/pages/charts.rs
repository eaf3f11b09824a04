//! Charts as inline SVG, rendered on the server (no front-end build, no script): grouped
//! horizontal bars, and stacked bars of two parts. Every label goes through maud, so names
//! are escaped like the rest of the page.

use maud::{Markup, html};

/// One series of a bar chart: its label and colour.
pub struct Series {
    /// What the bars count.
    pub label: &'static str,
    /// A CSS colour.
    pub colour: &'static str,
}

const LABEL_WIDTH: u32 = 180;
const BAR_AREA: u32 = 420;
const BAR_HEIGHT: u32 = 12;
const LEGEND_HEIGHT: u32 = 22;

/// A label cut to fit the label column.
fn short(label: &str) -> String {
    const MAX: usize = 26;
    if label.chars().count() > MAX {
        let cut: String = label.chars().take(MAX - 1).collect();
        format!("{cut}…")
    } else {
        label.to_owned()
    }
}

/// Horizontal bars: one group per row (its label, then one value per series), scaled to the
/// largest value. `id` is the SVG's element id.
pub fn grouped_bars(
    id: &str,
    title: &str,
    series: &[Series],
    rows: &[(String, Vec<u64>)],
) -> Markup {
    let max = rows
        .iter()
        .flat_map(|(_, values)| values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let group_height = BAR_HEIGHT * series.len() as u32 + 8;
    let height = LEGEND_HEIGHT + group_height * rows.len().max(1) as u32 + 4;
    let width = LABEL_WIDTH + BAR_AREA + 60;
    html! {
        svg id=(id) class="chart" xmlns="http://www.w3.org/2000/svg" role="img"
            width=(width) height=(height) viewBox={ "0 0 " (width) " " (height) } {
            title { (title) }
            @for (i, s) in series.iter().enumerate() {
                @let x = LABEL_WIDTH + i as u32 * 110;
                rect x=(x) y="4" width="12" height="12" fill=(s.colour) {}
                text x=(x + 16) y="14" font-size="12" { (s.label) }
            }
            @if rows.is_empty() {
                text x="0" y=(LEGEND_HEIGHT + 12) font-size="12" { (super::layout::t(super::choice::current(), "no_tickets_range")) }
            }
            @for (r, (label, values)) in rows.iter().enumerate() {
                @let top = LEGEND_HEIGHT + r as u32 * group_height;
                text x="0" y=(top + group_height / 2 + 2) font-size="12" { title { (label) } (short(label)) }
                @for (i, (value, s)) in values.iter().zip(series).enumerate() {
                    @let y = top + i as u32 * BAR_HEIGHT;
                    @let w = (*value as f64 / max as f64 * f64::from(BAR_AREA)).round() as u32;
                    rect x=(LABEL_WIDTH) y=(y) width=(w) height=(BAR_HEIGHT - 2) fill=(s.colour)
                        data-series=(s.label) data-value=(value) {
                        title { (label) " — " (s.label) ": " (value) }
                    }
                    text x=(LABEL_WIDTH + w + 4) y=(y + BAR_HEIGHT - 3) font-size="10" { (value) }
                }
            }
        }
    }
}

/// One stacked bar per row, of two parts (e.g. met and breached), each as a share of the
/// row's total; a row with no total shows an empty track.
pub fn split_bars(
    id: &str,
    title: &str,
    parts: [Series; 2],
    rows: &[(String, u64, u64)],
) -> Markup {
    let row_height = 20;
    let height = LEGEND_HEIGHT + row_height * rows.len().max(1) as u32 + 4;
    let width = LABEL_WIDTH + BAR_AREA + 60;
    html! {
        svg id=(id) class="chart" xmlns="http://www.w3.org/2000/svg" role="img"
            width=(width) height=(height) viewBox={ "0 0 " (width) " " (height) } {
            title { (title) }
            @for (i, s) in parts.iter().enumerate() {
                @let x = LABEL_WIDTH + i as u32 * 110;
                rect x=(x) y="4" width="12" height="12" fill=(s.colour) {}
                text x=(x + 16) y="14" font-size="12" { (s.label) }
            }
            @for (r, (label, first, second)) in rows.iter().enumerate() {
                @let top = LEGEND_HEIGHT + r as u32 * row_height;
                @let total = first + second;
                @let w1 = if total == 0 { 0 } else { (*first as f64 / total as f64 * f64::from(BAR_AREA)).round() as u32 };
                text x="0" y=(top + 12) font-size="12" { title { (label) } (short(label)) }
                rect x=(LABEL_WIDTH) y=(top) width=(BAR_AREA) height="14" fill="#eceff1" {}
                @if total > 0 {
                    rect x=(LABEL_WIDTH) y=(top) width=(w1) height="14" fill=(parts[0].colour)
                        data-series=(parts[0].label) data-value=(first) {
                        title { (label) " — " (parts[0].label) ": " (first) }
                    }
                    rect x=(LABEL_WIDTH + w1) y=(top) width=(BAR_AREA - w1) height="14" fill=(parts[1].colour)
                        data-series=(parts[1].label) data-value=(second) {
                        title { (label) " — " (parts[1].label) ": " (second) }
                    }
                }
                text x=(LABEL_WIDTH + BAR_AREA + 4) y=(top + 12) font-size="10" {
                    @if total > 0 { (first * 100 / total) "%" } @else { "—" }
                }
            }
        }
    }
}
