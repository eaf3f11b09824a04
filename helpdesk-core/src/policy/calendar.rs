//! Working calendars and business-time arithmetic: a time zone, weekly working hours (several
//! ranges a day), holidays (yearly fixed dates and one-off dates), or 24/7.
//!
//! All arithmetic happens on real instants: a working range is the stretch of real time
//! between its wall-clock start and end on that local date, so a DST change makes that day's
//! range an hour shorter or longer, a start that falls in a spring-forward gap begins when the
//! gap ends, and an end that falls in a fall-back overlap ends at its later occurrence.

use std::collections::BTreeSet;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

/// A stretch of a working day, `[start, end)` in minutes after local midnight (end ≤ 1440).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "(u16, u16)", into = "(u16, u16)")]
pub struct WorkingRange {
    start: u16,
    end: u16,
}

impl WorkingRange {
    /// From `HH:MM` to `HH:MM` (the end may be `24:00`); the end must be after the start.
    ///
    /// ```
    /// use helpdesk_core::policy::WorkingRange;
    /// assert!(WorkingRange::parse("09:00", "18:00").is_ok());
    /// assert!(WorkingRange::parse("14:00", "24:00").is_ok());
    /// assert!(WorkingRange::parse("18:00", "09:00").is_err());
    /// ```
    pub fn parse(start: &str, end: &str) -> Result<Self, ValidationError> {
        let minutes = |s: &str| -> Result<u16, ValidationError> {
            let bad = || ValidationError::new("working_hours", format!("{s:?} is not HH:MM"));
            let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
            let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
            if m >= 60 || h > 24 || (h == 24 && m != 0) {
                return Err(bad());
            }
            Ok(h * 60 + m)
        };
        Self::from_minutes(minutes(start)?, minutes(end)?)
    }

    /// From minutes after midnight.
    pub fn from_minutes(start: u16, end: u16) -> Result<Self, ValidationError> {
        if start >= end || end > 1440 {
            return Err(ValidationError::new(
                "working_hours",
                "a range must end after it starts, by 24:00",
            ));
        }
        Ok(Self { start, end })
    }

    /// Minutes after midnight when it starts.
    pub fn start(&self) -> u16 {
        self.start
    }

    /// Minutes after midnight when it ends.
    pub fn end(&self) -> u16 {
        self.end
    }
}

impl TryFrom<(u16, u16)> for WorkingRange {
    type Error = ValidationError;
    fn try_from((s, e): (u16, u16)) -> Result<Self, Self::Error> {
        Self::from_minutes(s, e)
    }
}

impl From<WorkingRange> for (u16, u16) {
    fn from(r: WorkingRange) -> (u16, u16) {
        (r.start, r.end)
    }
}

/// When a calendar is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// Always: 24 hours, 7 days, no holidays (seed 000: technical support).
    AlwaysOpen,
    /// These ranges on each weekday, Monday first; ranges are sorted and do not overlap.
    Weekly([Vec<WorkingRange>; 7]),
}

/// A working calendar. Build one with [`Calendar::always_open`] or [`Calendar::weekly`].
///
/// ```
/// use chrono::Duration;
/// use helpdesk_core::policy::{Calendar, WorkingRange};
/// // Seed 000: billing works 09:00–18:00 Moscow time, Monday to Friday.
/// let nine_to_six = vec![WorkingRange::parse("09:00", "18:00").unwrap()];
/// let billing = Calendar::weekly(chrono_tz::Europe::Moscow, [
///     nine_to_six.clone(), nine_to_six.clone(), nine_to_six.clone(),
///     nine_to_six.clone(), nine_to_six, vec![], vec![],
/// ]).unwrap();
/// // Friday 17:00 Moscow (14:00 UTC) plus two business hours is Monday 10:00 Moscow.
/// let friday = "2026-01-09T14:00:00Z".parse().unwrap();
/// let due = billing.add(friday, Duration::hours(2)).unwrap();
/// assert_eq!(due.to_rfc3339(), "2026-01-12T07:00:00+00:00");
/// assert_eq!(billing.between(friday, due), Duration::hours(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    zone: Tz,
    schedule: Schedule,
    yearly_holidays: BTreeSet<(u32, u32)>,
    holidays: BTreeSet<NaiveDate>,
}

/// How far ahead business-time arithmetic looks for working time before giving up.
const HORIZON_DAYS: i64 = 366 * 10;

impl Calendar {
    /// Open around the clock, every day.
    pub fn always_open() -> Self {
        Self {
            zone: Tz::UTC,
            schedule: Schedule::AlwaysOpen,
            yearly_holidays: BTreeSet::new(),
            holidays: BTreeSet::new(),
        }
    }

    /// Open in `ranges[d]` on weekday `d` (Monday = 0) in `zone`. At least one day must have
    /// a range; a day's ranges must not overlap.
    pub fn weekly(zone: Tz, ranges: [Vec<WorkingRange>; 7]) -> Result<Self, ValidationError> {
        let mut ranges = ranges;
        for day in &mut ranges {
            day.sort();
            if day.windows(2).any(|w| w[0].end > w[1].start) {
                return Err(ValidationError::new(
                    "working_hours",
                    "ranges of a day overlap",
                ));
            }
        }
        if ranges.iter().all(Vec::is_empty) {
            return Err(ValidationError::new(
                "working_hours",
                "the calendar is never open",
            ));
        }
        Ok(Self {
            zone,
            schedule: Schedule::Weekly(ranges),
            yearly_holidays: BTreeSet::new(),
            holidays: BTreeSet::new(),
        })
    }

    /// Adds a holiday on `month`/`day` every year (e.g. 1 January).
    pub fn with_yearly_holiday(mut self, month: u32, day: u32) -> Result<Self, ValidationError> {
        if NaiveDate::from_ymd_opt(2024, month, day).is_none() {
            return Err(ValidationError::new(
                "holiday",
                format!("{month}/{day} is not a date"),
            ));
        }
        self.yearly_holidays.insert((month, day));
        Ok(self)
    }

    /// Adds a one-off holiday.
    pub fn with_holiday(mut self, date: NaiveDate) -> Self {
        self.holidays.insert(date);
        self
    }

    /// When it is open.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// The time zone.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Whether `date` is a holiday.
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&date) || self.yearly_holidays.contains(&(date.month(), date.day()))
    }

    /// The working intervals of local `date`, as real instants, in order.
    fn intervals(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let Schedule::Weekly(week) = &self.schedule else {
            let start = self.instant(date, 0, true);
            return vec![(start, self.instant(date, 1440, false))];
        };
        if self.is_holiday(date) {
            return Vec::new();
        }
        let day = date.weekday().num_days_from_monday() as usize;
        week[day]
            .iter()
            .filter_map(|r| {
                let start = self.instant(date, r.start, true);
                let end = self.instant(date, r.end, false);
                (start < end).then_some((start, end))
            })
            .collect()
    }

    /// The real instant of `minutes` after local midnight of `date`: in a gap, when the gap
    /// ends; in an overlap, the earlier occurrence for a start and the later for an end.
    fn instant(&self, date: NaiveDate, minutes: u16, is_start: bool) -> DateTime<Utc> {
        let midnight = date.and_time(NaiveTime::MIN);
        let mut local = midnight + Duration::minutes(i64::from(minutes));
        loop {
            match self.zone.from_local_datetime(&local) {
                LocalResult::Single(t) => return t.with_timezone(&Utc),
                LocalResult::Ambiguous(early, late) => {
                    return if is_start { early } else { late }.with_timezone(&Utc);
                }
                // Inside a spring-forward gap: the first minute that exists.
                LocalResult::None => local += Duration::minutes(1),
            }
        }
    }

    /// `start` plus `duration` of working time: the instant at which that much working time
    /// has passed. `None` if the calendar has no working time within ten years.
    pub fn add(&self, start: DateTime<Utc>, duration: Duration) -> Option<DateTime<Utc>> {
        if duration <= Duration::zero() {
            return Some(start);
        }
        if self.schedule == Schedule::AlwaysOpen {
            return start.checked_add_signed(duration);
        }
        let mut left = duration;
        let first = start.with_timezone(&self.zone).date_naive() - Duration::days(1);
        for offset in 0..HORIZON_DAYS {
            let date = first + Duration::days(offset);
            for (from, to) in self.intervals(date) {
                let from = from.max(start);
                if from >= to {
                    continue;
                }
                let span = to - from;
                if span >= left {
                    return Some(from + left);
                }
                left -= span;
            }
        }
        None
    }

    /// The working time in `[from, to)`; zero when `to` is not after `from`.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        if self.schedule == Schedule::AlwaysOpen {
            return to - from;
        }
        let mut total = Duration::zero();
        let mut date = from.with_timezone(&self.zone).date_naive() - Duration::days(1);
        let last = to.with_timezone(&self.zone).date_naive() + Duration::days(1);
        while date <= last {
            for (a, b) in self.intervals(date) {
                let (a, b) = (a.max(from), b.min(to));
                if a < b {
                    total += b - a;
                }
            }
            date += Duration::days(1);
        }
        total
    }

    /// Whether local `date` has working time.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.schedule {
            Schedule::AlwaysOpen => true,
            Schedule::Weekly(_) => !self.intervals(date).is_empty(),
        }
    }

    /// The same local time of day as `start`, `days` working days later: working days are
    /// dates with working time (every date when always open). `None` if there are not that
    /// many within ten years.
    ///
    /// ```
    /// use helpdesk_core::policy::{Calendar, WorkingRange, weekdays};
    /// let office = Calendar::weekly(chrono_tz::UTC, weekdays(vec![WorkingRange::parse("09:00", "18:00").unwrap()])).unwrap();
    /// // Friday 15:00 plus 5 working days is the next Friday 15:00.
    /// let friday = "2026-01-09T15:00:00Z".parse().unwrap();
    /// assert_eq!(office.add_working_days(friday, 5).unwrap().to_rfc3339(), "2026-01-16T15:00:00+00:00");
    /// ```
    pub fn add_working_days(&self, start: DateTime<Utc>, days: u32) -> Option<DateTime<Utc>> {
        let local = start.with_timezone(&self.zone);
        let time = local.time();
        let mut date = local.date_naive();
        let mut left = days;
        for _ in 0..HORIZON_DAYS {
            if left == 0 {
                let of_day = chrono::Timelike::num_seconds_from_midnight(&time);
                let at = self.instant(date, (of_day / 60) as u16, true);
                let seconds = Duration::seconds(i64::from(of_day % 60))
                    + Duration::nanoseconds(i64::from(chrono::Timelike::nanosecond(&time)));
                return Some(at + seconds);
            }
            date += Duration::days(1);
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        None
    }

    /// Whether `at` falls in working time.
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        self.between(at, at + Duration::seconds(1)) > Duration::zero()
    }
}

/// Monday to Friday with the same ranges each day, a common shape.
pub fn weekdays(ranges: Vec<WorkingRange>) -> [Vec<WorkingRange>; 7] {
    let mut week: [Vec<WorkingRange>; 7] = Default::default();
    for day in [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ] {
        week[day.num_days_from_monday() as usize] = ranges.clone();
    }
    week
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn split_day(zone: Tz) -> Calendar {
        Calendar::weekly(
            zone,
            weekdays(vec![
                WorkingRange::parse("09:00", "13:00").unwrap(),
                WorkingRange::parse("14:00", "18:00").unwrap(),
            ]),
        )
        .unwrap()
        .with_yearly_holiday(1, 1)
        .unwrap()
        .with_yearly_holiday(12, 25)
        .unwrap()
    }

    #[test]
    fn lunch_breaks_nights_weekends_and_holidays_are_not_counted() {
        let cal = split_day(Tz::UTC);
        // Wednesday 12:00 + 2h: one hour before lunch, one after.
        assert_eq!(
            cal.add(at("2026-01-07T12:00:00Z"), Duration::hours(2)),
            Some(at("2026-01-07T15:00:00Z"))
        );
        // Friday 17:00 + 2h → Monday 10:00.
        assert_eq!(
            cal.add(at("2026-01-09T17:00:00Z"), Duration::hours(2)),
            Some(at("2026-01-12T10:00:00Z"))
        );
        // Over the year end: Wed 31 Dec 2025 17:00 + 2h skips 1 Jan (holiday) → Fri 2 Jan 10:00.
        assert_eq!(
            cal.add(at("2025-12-31T17:00:00Z"), Duration::hours(2)),
            Some(at("2026-01-02T10:00:00Z"))
        );
        // Starting at night counts from the next opening.
        assert_eq!(
            cal.add(at("2026-01-07T22:00:00Z"), Duration::minutes(30)),
            Some(at("2026-01-08T09:30:00Z"))
        );
        assert_eq!(
            cal.between(at("2026-01-09T12:00:00Z"), at("2026-01-12T12:00:00Z")),
            Duration::hours(8)
        );
    }

    #[test]
    fn dst_days_count_real_time() {
        // Europe/Bucharest springs forward on 29 March 2026 at 03:00 → 04:00 local.
        let night = Calendar::weekly(
            chrono_tz::Europe::Bucharest,
            [0, 1, 2, 3, 4, 5, 6].map(|_| vec![WorkingRange::parse("02:00", "06:00").unwrap()]),
        )
        .unwrap();
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let (a, b) = night.intervals(sunday)[0];
        assert_eq!(
            b - a,
            Duration::hours(3),
            "the spring-forward night is an hour shorter"
        );
        // Fall back on 25 October 2026 at 04:00 → 03:00 local.
        let autumn = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
        let (a, b) = night.intervals(autumn)[0];
        assert_eq!(
            b - a,
            Duration::hours(5),
            "the fall-back night is an hour longer"
        );
        // A start inside the gap (03:30 does not exist) begins when the gap ends.
        let gap = Calendar::weekly(
            chrono_tz::Europe::Bucharest,
            [0, 1, 2, 3, 4, 5, 6].map(|_| vec![WorkingRange::parse("03:30", "05:00").unwrap()]),
        )
        .unwrap();
        let (a, b) = gap.intervals(sunday)[0];
        assert_eq!(a, at("2026-03-29T01:00:00Z"));
        assert_eq!(b - a, Duration::hours(1));
    }

    #[test]
    fn moscow_billing_hours_from_seed_000() {
        let billing = Calendar::weekly(
            chrono_tz::Europe::Moscow,
            weekdays(vec![WorkingRange::parse("09:00", "18:00").unwrap()]),
        )
        .unwrap();
        // 18:30 Moscow on a Monday is closed; 10:00 Moscow is open.
        assert!(!billing.is_open(at("2026-01-05T15:30:00Z")));
        assert!(billing.is_open(at("2026-01-05T07:00:00Z")));
        assert!(Calendar::always_open().is_open(at("2026-01-04T03:00:00Z")));
    }

    #[test]
    fn a_calendar_that_is_never_open_is_refused_and_one_all_holiday_gives_none() {
        assert!(Calendar::weekly(Tz::UTC, Default::default()).is_err());
        let mut cal = Calendar::weekly(
            Tz::UTC,
            [0, 1, 2, 3, 4, 5, 6].map(|_| vec![WorkingRange::parse("09:00", "10:00").unwrap()]),
        )
        .unwrap();
        for m in 1..=12 {
            for d in 1..=31 {
                if let Ok(c) = cal.clone().with_yearly_holiday(m, d) {
                    cal = c;
                }
            }
        }
        assert_eq!(
            cal.add(at("2026-01-01T00:00:00Z"), Duration::hours(1)),
            None
        );
    }

    fn zones() -> impl Strategy<Value = Tz> {
        prop_oneof![
            Just(Tz::UTC),
            Just(chrono_tz::Europe::Moscow),
            Just(chrono_tz::Europe::Bucharest),
            Just(chrono_tz::Asia::Tehran),
            Just(chrono_tz::America::New_York),
        ]
    }

    fn calendars() -> impl Strategy<Value = Calendar> {
        let day = proptest::collection::vec((0u16..1440, 1u16..600), 0..3).prop_map(|raw| {
            let mut ranges: Vec<WorkingRange> = Vec::new();
            let mut cursor = 0u16;
            for (gap, len) in raw {
                let start = cursor.saturating_add(gap % 480);
                let end = start.saturating_add(len).min(1440);
                if start < end && end <= 1440 {
                    ranges.push(WorkingRange::from_minutes(start, end).unwrap());
                    cursor = end;
                }
            }
            ranges
        });
        (
            zones(),
            proptest::array::uniform7(day),
            proptest::collection::vec(0u32..365, 0..6),
        )
            .prop_filter_map("never open", |(zone, week, holidays)| {
                let mut cal = Calendar::weekly(zone, week).ok()?;
                for h in holidays {
                    let date = NaiveDate::from_yo_opt(2026, h + 1)?;
                    cal = cal.with_holiday(date);
                }
                Some(cal)
            })
    }

    fn instants() -> impl Strategy<Value = DateTime<Utc>> {
        // 2025-12-01 .. 2027-01-31, minute resolution: spans DST changes and a year end.
        (0i64..(427 * 24 * 60)).prop_map(|m| at("2025-12-01T00:00:00Z") + Duration::minutes(m))
    }

    proptest! {
        #[test]
        fn adding_then_measuring_gives_the_duration_back(
            cal in calendars(), start in instants(), minutes in 0i64..(40 * 60)
        ) {
            let d = Duration::minutes(minutes);
            match cal.add(start, d) {
                Some(due) => {
                    prop_assert!(due >= start);
                    prop_assert_eq!(cal.between(start, due), d);
                }
                // Only a calendar with less working time than that in ten years gives up.
                None => prop_assert!(cal.between(start, start + Duration::days(HORIZON_DAYS - 2)) < d),
            }
        }

        #[test]
        fn adding_is_monotonic(
            cal in calendars(), start in instants(), a in 0i64..3000, b in 0i64..3000
        ) {
            let (lo, hi) = (a.min(b), a.max(b));
            match (cal.add(start, Duration::minutes(lo)), cal.add(start, Duration::minutes(hi))) {
                (Some(x), Some(y)) => prop_assert!(x <= y),
                (x, None) => prop_assert!(x.is_none() || lo < hi),
                (None, Some(_)) => prop_assert!(false, "a shorter duration gave up where a longer did not"),
            }
        }

        #[test]
        fn measuring_is_additive_and_bounded_by_wall_time(
            cal in calendars(), a in instants(), b in instants(), c in instants()
        ) {
            let mut v = [a, b, c];
            v.sort();
            let [a, b, c] = v;
            prop_assert_eq!(cal.between(a, b) + cal.between(b, c), cal.between(a, c));
            prop_assert!(cal.between(a, c) <= c - a);
        }

        #[test]
        fn holidays_and_closed_hours_are_never_counted(
            cal in calendars(), day in 0u32..365, minute in 0i64..1440
        ) {
            let date = NaiveDate::from_yo_opt(2026, day + 1).unwrap();
            let local = date.and_time(NaiveTime::MIN) + Duration::minutes(minute);
            let zone = cal.zone();
            // Minutes next to a DST change have no single wall-clock reading; the DST test covers them.
            let (Some(a), Some(b)) = (
                zone.from_local_datetime(&local).single(),
                zone.from_local_datetime(&(local + Duration::minutes(1))).single(),
            ) else {
                return Ok(());
            };
            prop_assume!(b - a == Duration::minutes(1));
            let Schedule::Weekly(week) = cal.schedule() else { unreachable!() };
            let by_table = !cal.is_holiday(date)
                && week[date.weekday().num_days_from_monday() as usize]
                    .iter()
                    .any(|r| i64::from(r.start()) <= minute && minute < i64::from(r.end()));
            prop_assert_eq!(cal.between(a.with_timezone(&Utc), b.with_timezone(&Utc)) > Duration::zero(), by_table);
            prop_assert_eq!(cal.is_open(a.with_timezone(&Utc)), by_table);
        }
    }
}
