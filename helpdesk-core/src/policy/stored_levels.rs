//! The service levels as a desk keeps them in its store (setting `service_levels`): named
//! business-hours calendars, which calendar each department works on, and the SLA policies
//! with their match rules. Every process that opens the store applies the same ones.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{Calendar, ServiceLevels, SlaCondition, SlaPolicy, WorkingRange};
use crate::domain::{
    CustomerId, CustomerKind, DepartmentId, Name, Priority, SlaTarget, TicketType,
};
use crate::error::ValidationError;

/// The most minutes a target may be: a year.
pub const MAX_TARGET_MINUTES: u32 = 366 * 24 * 60;

/// The service levels kept in the store. An empty value (the default) means the desk's
/// levels are those its opener passed in code, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceLevelSettings {
    /// Business-hours calendars by name.
    #[serde(default)]
    pub calendars: BTreeMap<Name, Calendar>,
    /// The calendar of departments without their own (`None`: open around the clock).
    #[serde(default)]
    pub default_calendar: Option<Name>,
    /// The calendar each department works on.
    #[serde(default)]
    pub department_calendars: BTreeMap<DepartmentId, Name>,
    /// The SLA policies in order: the first that matches a ticket applies.
    #[serde(default)]
    pub policies: Vec<SlaPolicySetting>,
}

/// An SLA policy as stored: its match rule (an empty list matches everything), its targets
/// in business minutes, and the calendar its clocks run on (default: the department's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SlaPolicySetting {
    /// Its name, unique on the desk.
    pub name: Name,
    /// Tickets of any of these priorities.
    #[serde(default)]
    pub priorities: Vec<Priority>,
    /// In any of these departments.
    #[serde(default)]
    pub departments: Vec<DepartmentId>,
    /// Of any of these types.
    #[serde(default)]
    pub ticket_types: Vec<TicketType>,
    /// For any of these kinds of customer.
    #[serde(default)]
    pub customer_kinds: Vec<CustomerKind>,
    /// For customers of any of these organisations (the organisation or a member).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<CustomerId>,
    /// Business minutes to the first public reply.
    #[serde(default)]
    pub first_response_minutes: Option<u32>,
    /// Business minutes from a customer message to the next public reply.
    #[serde(default)]
    pub next_response_minutes: Option<u32>,
    /// Business minutes to the solution.
    #[serde(default)]
    pub resolution_minutes: Option<u32>,
    /// The calendar the clocks run on instead of the department's.
    #[serde(default)]
    pub calendar: Option<Name>,
    /// The share of a target spent when the desk warns (1–99, default 80).
    #[serde(default)]
    pub warn_percent: Option<u8>,
}

impl SlaPolicySetting {
    /// A policy named `name` matching every ticket, with no targets yet.
    pub fn new(name: Name) -> Self {
        Self {
            name,
            priorities: Vec::new(),
            departments: Vec::new(),
            ticket_types: Vec::new(),
            customer_kinds: Vec::new(),
            organisations: Vec::new(),
            first_response_minutes: None,
            next_response_minutes: None,
            resolution_minutes: None,
            calendar: None,
            warn_percent: None,
        }
    }

    /// The targets it sets.
    fn targets(&self) -> impl Iterator<Item = (SlaTarget, u32)> {
        [
            (SlaTarget::FirstResponse, self.first_response_minutes),
            (SlaTarget::NextResponse, self.next_response_minutes),
            (SlaTarget::Resolution, self.resolution_minutes),
        ]
        .into_iter()
        .filter_map(|(t, m)| m.map(|m| (t, m)))
    }

    /// The policy the desk runs, its calendar looked up in `calendars`.
    fn to_policy(
        &self,
        calendars: &BTreeMap<Name, Calendar>,
    ) -> Result<SlaPolicy, ValidationError> {
        let condition = SlaCondition {
            priorities: self.priorities.clone(),
            departments: self.departments.clone(),
            ticket_types: self.ticket_types.clone(),
            customer_kinds: self.customer_kinds.clone(),
            organisations: self.organisations.clone(),
        };
        let mut policy = SlaPolicy::new(self.name.as_str(), condition);
        let mut any = false;
        for (target, minutes) in self.targets() {
            if minutes > MAX_TARGET_MINUTES {
                return Err(ValidationError::new(
                    "sla",
                    format!("a target is at most {MAX_TARGET_MINUTES} minutes"),
                ));
            }
            policy = policy.target(target, Duration::minutes(i64::from(minutes)))?;
            any = true;
        }
        if !any {
            return Err(ValidationError::new(
                "sla",
                format!("policy {} sets no target", self.name.as_str()),
            ));
        }
        if let Some(percent) = self.warn_percent {
            policy = policy.warn_at_percent(percent)?;
        }
        if let Some(name) = &self.calendar {
            policy = policy.on_calendar(calendar_named(calendars, name)?.clone());
        }
        Ok(policy)
    }
}

/// The calendar called `name`, or a validation error naming it.
fn calendar_named<'a>(
    calendars: &'a BTreeMap<Name, Calendar>,
    name: &Name,
) -> Result<&'a Calendar, ValidationError> {
    calendars
        .get(name)
        .ok_or_else(|| ValidationError::new("calendar", format!("no calendar {}", name.as_str())))
}

impl ServiceLevelSettings {
    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Checks that every calendar named exists and policy names are unique.
    ///
    /// # Errors
    ///
    /// The first problem found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.apply(&ServiceLevels::default()).map(drop)
    }

    /// Whether the calendar `name` is used by a department, the default or a policy.
    pub fn calendar_in_use(&self, name: &Name) -> bool {
        self.default_calendar.as_ref() == Some(name)
            || self.department_calendars.values().any(|c| c == name)
            || self
                .policies
                .iter()
                .any(|p| p.calendar.as_ref() == Some(name))
    }

    /// The levels the desk runs: these, with `base`'s auto-close. When nothing is stored,
    /// `base` itself.
    ///
    /// # Errors
    ///
    /// A calendar named that does not exist, two policies of one name, or a policy without a
    /// target.
    pub fn apply(&self, base: &ServiceLevels) -> Result<ServiceLevels, ValidationError> {
        if self.is_empty() {
            return Ok(base.clone());
        }
        let mut levels = ServiceLevels::default().with_auto_close(base.auto_close());
        if let Some(name) = &self.default_calendar {
            levels = levels.with_default_calendar(calendar_named(&self.calendars, name)?.clone());
        }
        for (department, name) in &self.department_calendars {
            let calendar = calendar_named(&self.calendars, name)?.clone();
            levels = levels.with_department_calendar(*department, calendar);
        }
        let mut names = BTreeSet::new();
        for policy in &self.policies {
            if !names.insert(&policy.name) {
                return Err(ValidationError::new(
                    "sla",
                    format!("two policies are called {}", policy.name.as_str()),
                ));
            }
            levels = levels.with_policy(policy.to_policy(&self.calendars)?);
        }
        Ok(levels)
    }
}

/// A business-hours calendar as people write it: a time zone, weekly hours such as
/// `mon-fri 09:00-18:00` or `sat 10:00-14:00`, one-off holidays (`2026-12-25`) and yearly
/// ones (`01-01`).
///
/// ```
/// use helpdesk_core::policy::CalendarSpec;
/// let spec = CalendarSpec {
///     zone: "Europe/Bucharest".into(),
///     hours: vec!["mon-fri 09:00-18:00".into()],
///     holidays: vec!["2026-12-25".parse().unwrap()],
///     yearly_holidays: vec!["01-01".into()],
/// };
/// let calendar = spec.to_calendar().unwrap();
/// assert!(calendar.is_holiday("2026-12-25".parse().unwrap()));
/// assert!(calendar.is_holiday("2027-01-01".parse().unwrap()));
/// assert!(!calendar.is_working_day("2026-12-26".parse().unwrap()));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarSpec {
    /// An IANA time zone, e.g. `Europe/Bucharest`.
    pub zone: String,
    /// Weekly hours: days (`mon`, `mon-fri`, `mon,wed`) and one or more `HH:MM-HH:MM`.
    #[serde(default)]
    pub hours: Vec<String>,
    /// One-off holidays.
    #[serde(default)]
    pub holidays: Vec<NaiveDate>,
    /// Holidays every year, `MM-DD`.
    #[serde(default)]
    pub yearly_holidays: Vec<String>,
}

/// The weekday names, Monday first.
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The index (Monday = 0) of a day name.
fn day(name: &str) -> Result<usize, ValidationError> {
    let lower = name.trim().to_ascii_lowercase();
    DAYS.iter()
        .position(|d| lower.starts_with(d) && lower.len() >= 3)
        .ok_or_else(|| ValidationError::new("hours", format!("{name:?} is not a weekday")))
}

/// The days `mon`, `mon-fri`, `sat,sun` name.
fn days(text: &str) -> Result<Vec<usize>, ValidationError> {
    let mut out = Vec::new();
    for part in text.split(',') {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (day(from)?, day(to)?);
                if from > to {
                    return Err(ValidationError::new(
                        "hours",
                        format!("{part:?} runs backwards"),
                    ));
                }
                out.extend(from..=to);
            }
            None => out.push(day(part)?),
        }
    }
    Ok(out)
}

impl CalendarSpec {
    /// The calendar.
    ///
    /// # Errors
    ///
    /// An unknown time zone, a line of hours that does not parse, overlapping ranges, a
    /// calendar never open, or a yearly holiday that is not a date.
    pub fn to_calendar(&self) -> Result<Calendar, ValidationError> {
        let zone: Tz = self.zone.trim().parse().map_err(|_| {
            ValidationError::new("zone", format!("{:?} is not a time zone", self.zone))
        })?;
        let mut week: [Vec<WorkingRange>; 7] = Default::default();
        for line in &self.hours {
            let mut words = line.split_whitespace();
            let Some(day_text) = words.next() else {
                continue;
            };
            let ranges = words
                .map(|r| {
                    let (start, end) = r.split_once('-').ok_or_else(|| {
                        ValidationError::new("hours", format!("{r:?} is not HH:MM-HH:MM"))
                    })?;
                    WorkingRange::parse(start, end)
                })
                .collect::<Result<Vec<_>, _>>()?;
            if ranges.is_empty() {
                return Err(ValidationError::new(
                    "hours",
                    format!("{line:?} names no hours"),
                ));
            }
            for d in days(day_text)? {
                week[d].extend(ranges.iter().copied());
            }
        }
        let mut calendar = Calendar::weekly(zone, week)?;
        for date in &self.holidays {
            calendar = calendar.with_holiday(*date);
        }
        for text in &self.yearly_holidays {
            let parsed = text
                .split_once('-')
                .and_then(|(m, d)| Some((m.trim().parse().ok()?, d.trim().parse().ok()?)));
            let Some((month, day)) = parsed else {
                return Err(ValidationError::new(
                    "holiday",
                    format!("{text:?} is not MM-DD"),
                ));
            };
            calendar = calendar.with_yearly_holiday(month, day)?;
        }
        Ok(calendar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(hours: &[&str]) -> CalendarSpec {
        CalendarSpec {
            zone: "Europe/Moscow".into(),
            hours: hours.iter().map(|h| (*h).to_owned()).collect(),
            ..CalendarSpec::default()
        }
    }

    #[test]
    fn weekday_ranges_parse_into_the_days_they_name() {
        let calendar = spec(&["mon-fri 09:00-13:00 14:00-18:00", "sat 10:00-12:00"])
            .to_calendar()
            .unwrap();
        let super::super::Schedule::Weekly(week) = calendar.schedule() else {
            panic!("weekly expected");
        };
        assert_eq!(week[0].len(), 2);
        assert_eq!(week[4].len(), 2);
        assert_eq!(
            week[5],
            vec![WorkingRange::parse("10:00", "12:00").unwrap()]
        );
        assert!(week[6].is_empty());
    }

    #[test]
    fn bad_calendars_are_refused_with_the_field_at_fault() {
        let bad = [
            (spec(&["fri-mon 09:00-18:00"]), "hours"),
            (spec(&["funday 09:00-18:00"]), "hours"),
            (spec(&["mon 09:00"]), "hours"),
            (spec(&["mon"]), "hours"),
            (
                spec(&["mon 09:00-12:00", "mon 11:00-13:00"]),
                "working_hours",
            ),
            (spec(&[]), "working_hours"),
            (
                CalendarSpec {
                    zone: "Mars/Olympus".into(),
                    ..spec(&["mon 09:00-10:00"])
                },
                "zone",
            ),
            (
                CalendarSpec {
                    yearly_holidays: vec!["02-30".into()],
                    ..spec(&["mon 09:00-10:00"])
                },
                "holiday",
            ),
        ];
        for (spec, field) in bad {
            let err = spec.to_calendar().unwrap_err();
            assert_eq!(err.field(), field, "{spec:?}");
        }
    }

    #[test]
    fn stored_levels_refuse_unknown_calendars_duplicate_names_and_empty_policies() {
        let name = |s: &str| Name::parse(s).unwrap();
        let mut policy = SlaPolicySetting::new(name("urgent"));
        policy.first_response_minutes = Some(60);
        let mut settings = ServiceLevelSettings {
            policies: vec![policy.clone()],
            ..ServiceLevelSettings::default()
        };
        assert!(settings.validate().is_ok());
        settings.policies.push(policy.clone());
        assert!(settings.validate().is_err(), "duplicate name");
        settings.policies.pop();
        settings.policies[0].calendar = Some(name("office"));
        assert!(settings.validate().is_err(), "unknown calendar");
        settings.policies[0].calendar = None;
        settings.policies[0].first_response_minutes = None;
        assert!(settings.validate().is_err(), "no target");
        settings.policies[0].first_response_minutes = Some(MAX_TARGET_MINUTES + 1);
        assert!(settings.validate().is_err(), "target too long");
    }
}
