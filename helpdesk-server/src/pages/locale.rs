//! Numbers, dates and times as each language writes them (ICU4X): grouped digits (Persian
//! digits on Persian pages), and dates in the Solar Hijri calendar on Persian pages (with
//! the Gregorian instant on hover), in the reader's time zone.

use chrono::{DateTime, Datelike, Timelike, Utc};
use helpdesk::domain::Language;
use icu_calendar::Date;
use icu_calendar::cal::Persian;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_locale_core::Locale;
use maud::{Markup, html};

/// A language's number formatters: grouped (counts) and plain (years, days, hours).
struct Digits {
    grouped: DecimalFormatter,
    plain: DecimalFormatter,
}

fn formatters(lang: Language) -> Digits {
    let locale: Locale = lang.code().parse().unwrap_or(Locale::UNKNOWN);
    let make = |grouping| {
        let mut options = DecimalFormatterOptions::default();
        options.grouping_strategy = Some(grouping);
        DecimalFormatter::try_new(locale.clone().into(), options)
            .or_else(|_| DecimalFormatter::try_new(Locale::UNKNOWN.into(), options))
            .expect("the root locale's decimal data is compiled in")
    };
    Digits {
        grouped: make(GroupingStrategy::Auto),
        plain: make(GroupingStrategy::Never),
    }
}

thread_local! {
    /// The formatters of the four languages, made once per thread (ICU4X's data handles are
    /// not shared between threads).
    static DIGITS: [Digits; 4] = Language::ALL.map(formatters);
}

/// `n` written by `lang`'s grouped (`grouped`) or plain formatter.
fn with_digits(lang: Language, grouped: bool, n: &Decimal) -> String {
    let index = Language::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    DIGITS.with(|all| {
        let digits = &all[index];
        let formatter = if grouped {
            &digits.grouped
        } else {
            &digits.plain
        };
        formatter.format(n).to_string()
    })
}

/// A whole number as `lang` writes it: `12,345` in English, `۱۲٬۳۴۵` in Persian.
pub fn number(lang: Language, n: i64) -> String {
    with_digits(lang, true, &Decimal::from(n))
}

/// A number without grouping, zero-padded to `width` digits, in `lang`'s digits.
fn padded(lang: Language, n: i64, width: i16) -> String {
    let mut decimal = Decimal::from(n);
    decimal.absolute.pad_start(width);
    with_digits(lang, false, &decimal)
}

/// The reader's time zone for the pages (their own setting, else UTC).
pub type Zone = chrono_tz::Tz;

/// An instant as text in `lang` and `zone`: `2026-12-05 07:21 UTC` in English,
/// `05.12.2026 07:21 UTC` in Romanian and Russian, `۱۴۰۵/۰۹/۱۴ ۰۷:۲۱ UTC` (Solar Hijri,
/// Persian digits, the zone's name isolated so it keeps its direction) in Persian.
pub fn instant_text(lang: Language, zone: Zone, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&zone);
    let zone_name = zone.name();
    let (hour, minute) = (i64::from(local.hour()), i64::from(local.minute()));
    match lang {
        Language::English => local.format("%Y-%m-%d %H:%M ").to_string() + zone_name,
        Language::Romanian | Language::Russian => {
            local.format("%d.%m.%Y %H:%M ").to_string() + zone_name
        }
        Language::Persian => {
            let (year, month, day) = solar_hijri(local.year(), local.month(), local.day());
            format!(
                "{}/{}/{} {}:{} \u{2068}{zone_name}\u{2069}",
                padded(lang, year, 4),
                padded(lang, month, 2),
                padded(lang, day, 2),
                padded(lang, hour, 2),
                padded(lang, minute, 2),
            )
        }
    }
}

/// The Solar Hijri (Persian) date of a Gregorian one: year, month, day.
pub fn solar_hijri(year: i32, month: u32, day: u32) -> (i64, i64, i64) {
    let month = u8::try_from(month).unwrap_or(1);
    let day = u8::try_from(day).unwrap_or(1);
    match Date::try_new_iso(year, month, day) {
        Ok(iso) => {
            let persian = iso.to_calendar(Persian);
            (
                i64::from(persian.year().extended_year()),
                i64::from(persian.month().ordinal),
                i64::from(persian.day_of_month().0),
            )
        }
        Err(_) => (i64::from(year), i64::from(month), i64::from(day)),
    }
}

/// An instant on a page: a `<time>` with the machine-readable instant, the Gregorian date
/// and time in UTC on hover, isolated from the text around it (a Persian date stays whole in
/// a left-to-right line and the other way round), in the page's direction.
pub fn instant(lang: Language, zone: Zone, at: DateTime<Utc>) -> Markup {
    let dir = if lang.is_rtl() { "rtl" } else { "ltr" };
    html! {
        bdi dir=(dir) {
            time datetime=(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                title=(at.format("%Y-%m-%d %H:%M UTC")) {
                (instant_text(lang, zone, at))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// Persian pages write dates in the Solar Hijri calendar and Persian digits; others
    /// in the Gregorian calendar and Latin digits.
    #[test]
    fn persian_dates_are_solar_hijri_in_persian_digits() {
        let at = Utc.with_ymd_and_hms(2026, 12, 5, 7, 21, 0).unwrap();
        assert_eq!(
            instant_text(Language::Persian, chrono_tz::UTC, at),
            "۱۴۰۵/۰۹/۱۴ ۰۷:۲۱ \u{2068}UTC\u{2069}"
        );
        assert_eq!(
            instant_text(Language::English, chrono_tz::UTC, at),
            "2026-12-05 07:21 UTC"
        );
        assert_eq!(
            instant_text(Language::Russian, chrono_tz::UTC, at),
            "05.12.2026 07:21 UTC"
        );
        // Nowruz: the first day of the year 1405 is 21 March 2026.
        assert_eq!(solar_hijri(2026, 3, 21), (1405, 1, 1));
        assert_eq!(solar_hijri(2026, 3, 20), (1404, 12, 29));
    }

    /// The reader's zone moves the day and the hour.
    #[test]
    fn instants_are_shown_in_the_zone_given() {
        let at = Utc.with_ymd_and_hms(2026, 12, 5, 23, 30, 0).unwrap();
        let tehran: Zone = "Asia/Tehran".parse().unwrap();
        assert_eq!(
            instant_text(Language::Persian, tehran, at),
            "۱۴۰۵/۰۹/۱۵ ۰۳:۰۰ \u{2068}Asia/Tehran\u{2069}"
        );
        let bucharest: Zone = "Europe/Bucharest".parse().unwrap();
        assert_eq!(
            instant_text(Language::Romanian, bucharest, at),
            "06.12.2026 01:30 Europe/Bucharest"
        );
    }

    /// Counts are grouped as each language groups them.
    #[test]
    fn numbers_are_grouped_in_the_digits_of_the_language() {
        assert_eq!(number(Language::English, 12345), "12,345");
        assert_eq!(number(Language::Persian, 12345), "۱۲٬۳۴۵");
        assert_eq!(number(Language::Persian, 7), "۷");
    }
}
