//! Rows and domain values: how each record is laid out in its table, and read back. One file
//! per aggregate; this one holds what they share.
//!
//! Writing turns domain values into SQL values (ids as 16-byte BLOBs, instants as
//! microseconds, enums as their [`StableText`], nested values as JSON). Reading parses every
//! column again with the domain's validated constructors; a value that does not parse is
//! [`Error::corrupt`], naming its table and column.

pub(crate) mod account;
pub(crate) mod chat;
pub(crate) mod directory;
pub(crate) mod knowledge;
pub(crate) mod message;
pub(crate) mod notification;
pub(crate) mod outbox;
pub(crate) mod saved_search;
pub(crate) mod template;
pub(crate) mod ticket;

use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

use chrono::{DateTime, Utc};
use helpdesk_core::domain::{Actor, StableText, Version};
use helpdesk_core::error::{BoxError, Error, OutOfRange};
use rusqlite::types::{FromSql, FromSqlError, ValueRef};
use rusqlite::{Connection, Params, Row, Statement};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::{Failure, Outcome};

// Writing ---------------------------------------------------------------------------------

/// A UUID as stored: its 16 bytes, big-endian, so that BLOB order is `Uuid` order.
pub(crate) fn blob(id: Uuid) -> [u8; 16] {
    id.into_bytes()
}

/// An instant as stored: whole microseconds since the epoch (the core keeps no finer ones).
pub(crate) fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// A stored enum's text as an SQL string literal, for SQL that must name the value itself
/// (a partial index applies only to a query with its condition's literal). Stable texts are
/// lower-case ASCII words, so quoting needs no escapes.
pub(crate) fn literal<T: StableText>(value: T) -> String {
    format!("'{}'", value.text())
}

/// A value as JSON text.
pub(crate) fn json<T: Serialize>(value: &T) -> Outcome<String> {
    serde_json::to_string(value).map_err(|e| unstorable(Box::new(e)))
}

/// A version as stored.
pub(crate) fn version(v: Version) -> Outcome<i64> {
    i64::try_from(v.get()).map_err(|e| unstorable(Box::new(e)))
}

/// The failure for a value SQLite cannot hold.
fn unstorable(e: BoxError) -> Failure {
    rusqlite::Error::ToSqlConversionFailure(e).into()
}

/// An actor as stored: its kind and, for people, its id.
pub(crate) fn actor(actor: Actor) -> (&'static str, Option<[u8; 16]>) {
    (actor.kind().as_str(), actor.id().map(blob))
}

/// Binds `$row`'s fields as named parameters `:field`, for a row's `params()`.
macro_rules! bind {
    ($row:expr; $($field:ident),* $(,)?) => {
        [$((
            concat!(":", stringify!($field)),
            &$row.$field as &dyn rusqlite::types::ToSql,
        )),*]
    };
}
pub(crate) use bind;

// Reading ---------------------------------------------------------------------------------

/// Every row of `sql`, read with `read`.
pub(crate) fn all<T>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    read: fn(&Row<'_>) -> Outcome<T>,
) -> Outcome<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let _names = Columns::remember(&stmt);
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(read(row)?);
    }
    Ok(out)
}

/// The first row of `sql`, if any, read with `read`.
pub(crate) fn first<T>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    read: fn(&Row<'_>) -> Outcome<T>,
) -> Outcome<Option<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let _names = Columns::remember(&stmt);
    let mut rows = stmt.query(params)?;
    match rows.next()? {
        Some(row) => Ok(Some(read(row)?)),
        None => Ok(None),
    }
}

thread_local! {
    /// The column names of the statement whose rows [`all`] or [`first`] is reading on this
    /// thread, with the statement's address: asked of SQLite once per statement run instead
    /// of once per row (a name costs ~400 instructions, a ticket row has 35 of them).
    static COLUMNS: RefCell<Option<(usize, Rc<[String]>)>> = const { RefCell::new(None) };
}

/// The column names of a statement being read, remembered for its rows' [`Reader`]s until
/// this is dropped (then those of the statement read before, if any, again: a read
/// function may run a statement of its own).
struct Columns {
    before: Option<(usize, Rc<[String]>)>,
}

impl Columns {
    fn remember(stmt: &Statement<'_>) -> Self {
        let names: Rc<[String]> = stmt.column_names().into_iter().map(str::to_owned).collect();
        let before = COLUMNS.with(|c| c.replace(Some((address(stmt), names))));
        Self { before }
    }
}

impl Drop for Columns {
    fn drop(&mut self) {
        let before = self.before.take();
        COLUMNS.with(|c| *c.borrow_mut() = before);
    }
}

/// A statement's address: which statement, while it lives.
fn address(stmt: &Statement<'_>) -> usize {
    std::ptr::from_ref(stmt) as usize
}

/// A row's column names: those remembered for its statement, or asked of SQLite for it.
enum Names<'a> {
    Remembered(Rc<[String]>),
    Asked(Vec<&'a str>),
}

impl Names<'_> {
    fn len(&self) -> usize {
        match self {
            Names::Remembered(n) => n.len(),
            Names::Asked(n) => n.len(),
        }
    }

    fn get(&self, i: usize) -> &str {
        match self {
            Names::Remembered(n) => &n[i],
            Names::Asked(n) => n[i],
        }
    }
}

/// Reads one row of `table`, naming the column in every error.
///
/// A column is found by name among the statement's column names, asked of SQLite once per
/// statement run by [`all`] and [`first`] (else once per row), and searched from the column
/// after the last one read: a reader reading the columns in their order finds each at the
/// first try. (Asking rusqlite by name instead asks SQLite for the name of every column
/// before it, each time: for a ticket's 34 columns, ~600 calls a row.)
pub(crate) struct Reader<'a, 'stmt> {
    row: &'a Row<'stmt>,
    table: &'static str,
    names: OnceCell<Names<'a>>,
    next: Cell<usize>,
}

impl<'a, 'stmt> Reader<'a, 'stmt> {
    pub(crate) fn new(row: &'a Row<'stmt>, table: &'static str) -> Self {
        Self {
            row,
            table,
            names: OnceCell::new(),
            next: Cell::new(0),
        }
    }

    /// The position of `column` in the row (compared as SQLite compares names, ignoring
    /// ASCII case), or `None` when the row has no such column.
    fn index(&self, column: &str) -> Option<usize> {
        let row: &'a Row<'stmt> = self.row;
        let statement: &'a rusqlite::Statement<'stmt> = row.as_ref();
        let names = self.names.get_or_init(|| {
            let remembered = COLUMNS.with(|c| match &*c.borrow() {
                Some((at, names)) if *at == address(statement) => Some(Rc::clone(names)),
                _ => None,
            });
            match remembered {
                Some(names) => Names::Remembered(names),
                None => Names::Asked(statement.column_names()),
            }
        });
        let n = names.len();
        let start = self.next.get().min(n);
        let found = (start..n).chain(0..start).find(|&i| {
            // Spelled as the reader spells it, almost always: the exact comparison first.
            let name = names.get(i);
            name == column || name.eq_ignore_ascii_case(column)
        })?;
        self.next.set(found + 1);
        Some(found)
    }

    /// The failure for a value of `column` that does not parse.
    pub(crate) fn corrupt(&self, column: &'static str, source: impl Into<BoxError>) -> Failure {
        Error::corrupt(self.table, column, source).into()
    }

    /// A column as SQLite converts it: a value of another type, or out of `T`'s range, is
    /// corrupt.
    pub(crate) fn get<T: FromSql>(&self, column: &'static str) -> Outcome<T> {
        let value = match self.index(column) {
            Some(i) => self.row.get(i),
            None => self.row.get(column),
        };
        value.map_err(|e| match e {
            rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..)
            | rusqlite::Error::FromSqlConversionFailure(..) => self.corrupt(column, e),
            other => other.into(),
        })
    }

    /// A column's value as SQLite holds it, borrowed from the row: read without a copy.
    fn value(&self, column: &'static str) -> Outcome<ValueRef<'_>> {
        let value = match self.index(column) {
            Some(i) => self.row.get_ref(i),
            None => self.row.get_ref(column),
        };
        value.map_err(Into::into)
    }

    /// A nullable text column, borrowed from the row; a value of another type is corrupt.
    fn str_opt(&self, column: &'static str) -> Outcome<Option<&str>> {
        match self.value(column)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(bytes) => std::str::from_utf8(bytes)
                .map(Some)
                .map_err(|e| self.corrupt(column, e)),
            // The error the copying read gives.
            _ => match self.get::<Option<String>>(column) {
                Err(e) => Err(e),
                Ok(_) => Err(self.corrupt(column, FromSqlError::InvalidType)),
            },
        }
    }

    /// A text column, borrowed from the row, parsed by `parse`; NULL is corrupt.
    fn parse_str<T, E: Into<BoxError>>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Outcome<T> {
        match self.str_opt(column)? {
            Some(text) => parse(text).map_err(|e| self.corrupt(column, e)),
            // NULL: the error the copying read gives.
            None => (self.get::<String>(column))
                .and_then(|text| parse(&text).map_err(|e| self.corrupt(column, e))),
        }
    }

    /// A nullable text column, borrowed from the row, parsed by `parse`: NULL is `None`.
    fn parse_str_opt<T, E: Into<BoxError>>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Outcome<Option<T>> {
        (self.str_opt(column)?)
            .map(|t| parse(t).map_err(|e| self.corrupt(column, e)))
            .transpose()
    }

    /// A column parsed by `parse`.
    pub(crate) fn parse<T, E: Into<BoxError>>(
        &self,
        column: &'static str,
        parse: impl FnOnce(String) -> Result<T, E>,
    ) -> Outcome<T> {
        let text: String = self.get(column)?;
        parse(text).map_err(|e| self.corrupt(column, e))
    }

    /// A nullable column parsed by `parse`.
    pub(crate) fn parse_opt<T, E: Into<BoxError>>(
        &self,
        column: &'static str,
        parse: impl FnOnce(String) -> Result<T, E>,
    ) -> Outcome<Option<T>> {
        let text: Option<String> = self.get(column)?;
        text.map(|t| parse(t).map_err(|e| self.corrupt(column, e)))
            .transpose()
    }

    /// A column holding a [`StableText`] value, parsed exactly.
    pub(crate) fn text<T: StableText>(&self, column: &'static str) -> Outcome<T> {
        self.parse_str(column, T::from_text)
    }

    /// A nullable column holding a [`StableText`] value: NULL is `None`.
    pub(crate) fn text_opt<T: StableText>(&self, column: &'static str) -> Outcome<Option<T>> {
        self.parse_str_opt(column, T::from_text)
    }

    /// A JSON column.
    pub(crate) fn json<T: DeserializeOwned>(&self, column: &'static str) -> Outcome<T> {
        self.parse_str(column, |text| serde_json::from_str(text))
    }

    /// A nullable JSON column: NULL is `None`.
    pub(crate) fn json_opt<T: DeserializeOwned>(&self, column: &'static str) -> Outcome<Option<T>> {
        self.parse_str_opt(column, |text| serde_json::from_str(text))
    }

    /// A nullable id column.
    pub(crate) fn uuid_opt(&self, column: &'static str) -> Outcome<Option<Uuid>> {
        match self.value(column)? {
            ValueRef::Null => Ok(None),
            ValueRef::Blob(b) => Uuid::from_slice(b)
                .map(Some)
                .map_err(|e| self.corrupt(column, e)),
            // The error the copying read gives.
            _ => match self.get::<Option<Vec<u8>>>(column) {
                Err(e) => Err(e),
                Ok(_) => Err(self.corrupt(column, FromSqlError::InvalidType)),
            },
        }
    }

    /// An id column.
    pub(crate) fn uuid(&self, column: &'static str) -> Outcome<Uuid> {
        self.uuid_opt(column)?
            .ok_or_else(|| self.corrupt(column, out_of_range("id", "NULL")))
    }

    /// A nullable instant column.
    pub(crate) fn instant_opt(&self, column: &'static str) -> Outcome<Option<DateTime<Utc>>> {
        let micros: Option<i64> = self.get(column)?;
        micros
            .map(|m| {
                DateTime::from_timestamp_micros(m)
                    .ok_or_else(|| self.corrupt(column, out_of_range("instant in microseconds", m)))
            })
            .transpose()
    }

    /// An instant column.
    pub(crate) fn instant(&self, column: &'static str) -> Outcome<DateTime<Utc>> {
        self.instant_opt(column)?
            .ok_or_else(|| self.corrupt(column, out_of_range("instant", "NULL")))
    }

    /// A boolean column: 0 or 1.
    pub(crate) fn bool(&self, column: &'static str) -> Outcome<bool> {
        match self.get::<i64>(column)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.corrupt(column, out_of_range("boolean", other))),
        }
    }

    /// A count column.
    pub(crate) fn u32(&self, column: &'static str) -> Outcome<u32> {
        let n: i64 = self.get(column)?;
        u32::try_from(n).map_err(|e| self.corrupt(column, e))
    }

    /// A version column.
    pub(crate) fn version(&self, column: &'static str) -> Outcome<Version> {
        let v: i64 = self.get(column)?;
        u64::try_from(v)
            .map(Version::new)
            .map_err(|e| self.corrupt(column, e))
    }

    /// An actor from its kind and id columns.
    pub(crate) fn actor(&self, kind: &'static str, id: &'static str) -> Outcome<Actor> {
        let actor = Actor::from_parts(self.text(kind)?, self.uuid_opt(id)?);
        actor.map_err(|e| self.corrupt(kind, e))
    }
}

/// A value outside what `what` allows.
fn out_of_range(what: &'static str, value: impl ToString) -> OutOfRange {
    OutOfRange {
        what,
        value: value.to_string(),
    }
}
