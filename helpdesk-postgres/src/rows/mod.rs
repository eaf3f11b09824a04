//! Rows and domain values, both ways, split by aggregate; here, what they all use.
//!
//! Reading goes through the domain's validated constructors (`Subject::parse`,
//! `TicketNumber::new`, `Priority::from_rank`, `T::from_text` for a stored enum's stable
//! text, serde for composite jsonb values), so a stored value that is not valid becomes
//! [`Error::Backend`] with a [`CorruptValue`](helpdesk_core::error::CorruptValue) source
//! instead of an invalid domain value. Writing turns every value into a bind parameter: an
//! enum's stable text (`as_str`), `Priority::rank`, a composite value as its JSON text (cast
//! to jsonb in SQL, and back to text when read). Batches are written as parallel arrays, one
//! `UNNEST` insert per table.

use helpdesk_core::domain::{StableText, Version};
use helpdesk_core::error::{BoxError, OutOfRange};
use helpdesk_core::search::SearchField;
use helpdesk_core::{Error, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::{PgPool, Postgres, Row};

use crate::error;

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

/// A query whose parameters are bound one by one.
pub(crate) type PgQuery<'q> = Query<'q, Postgres, PgArguments>;

/// Reads the columns of one row of `table`, turning failures into backend errors.
pub(crate) struct Reader<'r> {
    row: &'r PgRow,
    table: &'static str,
}

impl<'r> Reader<'r> {
    /// A reader of `row`, read from `table` (named in corrupt-value errors).
    pub(crate) fn new(row: &'r PgRow, table: &'static str) -> Self {
        Self { row, table }
    }

    /// A column as its Rust type; a decode failure is sqlx's own error.
    pub(crate) fn get<T>(&self, column: &'static str) -> Result<T>
    where
        T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
    {
        self.row.try_get(column).map_err(Error::backend)
    }

    /// A text column, parsed.
    pub(crate) fn parse<T, E: Into<BoxError>>(
        &self,
        column: &'static str,
        parse: impl FnOnce(String) -> Result<T, E>,
    ) -> Result<T> {
        let raw: String = self.get(column)?;
        parse(raw).map_err(|e| self.corrupt(column, e))
    }

    /// A nullable text column, parsed when present.
    pub(crate) fn parse_opt<T, E: Into<BoxError>>(
        &self,
        column: &'static str,
        parse: impl FnOnce(String) -> Result<T, E>,
    ) -> Result<Option<T>> {
        let raw: Option<String> = self.get(column)?;
        raw.map(parse)
            .transpose()
            .map_err(|e| self.corrupt(column, e))
    }

    /// A bigint column holding a count or version, as `T` (a value outside `T` is corrupt).
    pub(crate) fn number<T: TryFrom<i64>>(&self, column: &'static str) -> Result<T> {
        let n: i64 = self.get(column)?;
        T::try_from(n).map_err(|_| {
            self.corrupt(
                column,
                OutOfRange {
                    what: column,
                    value: n.to_string(),
                },
            )
        })
    }

    /// A bigint column holding a version.
    pub(crate) fn version(&self, column: &'static str) -> Result<Version> {
        self.number(column).map(Version::new)
    }

    /// A text column holding a stored enum's stable text ([`StableText`]), exactly.
    pub(crate) fn text<T: StableText>(&self, column: &'static str) -> Result<T> {
        self.parse(column, |s| T::from_text(&s))
    }

    /// A nullable text column holding a stored enum's stable text.
    pub(crate) fn text_opt<T: StableText>(&self, column: &'static str) -> Result<Option<T>> {
        self.parse_opt(column, |s| T::from_text(&s))
    }

    /// A jsonb column (selected as text) holding a composite value.
    pub(crate) fn json<T: DeserializeOwned>(&self, column: &'static str) -> Result<T> {
        self.parse(column, |s| serde_json::from_str(&s))
    }

    /// A nullable jsonb column (selected as text) holding a composite value.
    pub(crate) fn json_opt<T: DeserializeOwned>(&self, column: &'static str) -> Result<Option<T>> {
        self.parse_opt(column, |s| serde_json::from_str(&s))
    }

    /// A corrupt value of `column` of this row's table.
    pub(crate) fn corrupt(&self, column: &'static str, e: impl Into<BoxError>) -> Error {
        Error::corrupt(self.table, column, e)
    }
}

/// The JSON text of a composite value, for a jsonb parameter.
pub(crate) fn json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(Error::backend)
}

/// Converts a non-negative domain count to a bigint parameter.
pub(crate) fn to_i64(value: u64) -> Result<i64> {
    i64::try_from(value).map_err(Error::backend)
}

/// The longest lexeme kept in a tsvector, in bytes (PostgreSQL refuses more than 2047).
/// Longer words are cut there, at a character boundary; queries cut their words alike and
/// look for them as prefixes, and the exact check on `words` decides.
pub(crate) const MAX_LEXEME: usize = 2000;

/// `word` cut to at most [`MAX_LEXEME`] bytes, and whether it was cut.
pub(crate) fn lexeme(word: &str) -> (&str, bool) {
    if word.len() <= MAX_LEXEME {
        return (word, false);
    }
    let mut end = MAX_LEXEME;
    while !word.is_char_boundary(end) {
        end -= 1;
    }
    (&word[..end], true)
}

/// A text's columns in a search table: folded, its words joined with spaces (which no word
/// contains: words are runs of letters and digits), and its distinct lexemes (words cut to
/// [`MAX_LEXEME`]) joined alike, for `string_to_array` and `array_to_tsvector` in SQL. The
/// library folds and splits ([`SearchField::new`]), never PostgreSQL.
pub(crate) struct SearchText {
    pub(crate) folded: String,
    pub(crate) words: String,
    pub(crate) lexemes: String,
    /// The stem keys of the words (migration 0028), joined alike.
    pub(crate) stems: String,
}

impl SearchText {
    /// The columns of `text`.
    pub(crate) fn of(text: &str) -> Self {
        let field = SearchField::new(text);
        let mut lexemes: Vec<&str> = field.words.iter().map(|w| lexeme(w).0).collect();
        lexemes.sort_unstable();
        lexemes.dedup();
        Self {
            lexemes: lexemes.join(" "),
            words: field.words.join(" "),
            stems: field.stems.join(" "),
            folded: field.folded,
        }
    }
}

/// The row `query` selects, if any, read with `read`.
pub(crate) async fn optional<T>(
    pool: &PgPool,
    query: PgQuery<'_>,
    read: fn(&PgRow) -> Result<T>,
) -> Result<Option<T>> {
    let row = query.fetch_optional(pool).await.map_err(error::db)?;
    row.as_ref().map(read).transpose()
}

/// The rows `query` selects, in order, each read with `read`.
pub(crate) async fn all<T>(
    pool: &PgPool,
    query: PgQuery<'_>,
    read: fn(&PgRow) -> Result<T>,
) -> Result<Vec<T>> {
    let rows = query.fetch_all(pool).await.map_err(error::db)?;
    rows.iter().map(read).collect()
}

/// Runs a write; how many rows it changed.
pub(crate) async fn execute(pool: &PgPool, query: PgQuery<'_>) -> Result<u64> {
    let done = query.execute(pool).await.map_err(error::db)?;
    Ok(done.rows_affected())
}
