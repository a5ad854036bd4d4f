//! Multi-row INSERTs for bulk writers (imports): one statement per `ROWS` rows instead of one
//! per row, the statement texts built once per table and size.

use std::sync::OnceLock;

use rusqlite::{Connection, ToSql};

use crate::error::{Error, Result};

/// Rows per full multi-row INSERT.
pub(crate) const ROWS: usize = 64;
/// Row counts of the multi-row INSERTs: a full batch is one statement, the rest of a write at
/// most one statement per smaller power of two.
const SIZES: [usize; 7] = [ROWS, 32, 16, 8, 4, 2, 1];

/// A multi-row INSERT into one table, its texts (one per size of `SIZES`) built once.
pub(crate) struct MultiInsert {
    /// `INSERT INTO table(columns) VALUES `.
    head: &'static str,
    /// One row's values: `(?,?,...)`.
    row: &'static str,
    texts: OnceLock<Vec<String>>,
}

/// Binds the values of consecutive rows of a multi-row statement.
pub(crate) struct Binder<'s, 'c> {
    stmt: &'s mut rusqlite::Statement<'c>,
    next: usize,
}

impl Binder<'_, '_> {
    pub(crate) fn put<T: ToSql + ?Sized>(&mut self, value: &T) -> rusqlite::Result<()> {
        self.next += 1;
        self.stmt.raw_bind_parameter(self.next, value)
    }
}

impl MultiInsert {
    pub(crate) const fn new(head: &'static str, row: &'static str) -> MultiInsert {
        MultiInsert {
            head,
            row,
            texts: OnceLock::new(),
        }
    }

    /// Writes `rows` in order (rows without an explicit id get ascending ids in this order);
    /// `bind` binds one row's values.
    pub(crate) fn write<T>(
        &self,
        conn: &Connection,
        rows: &[T],
        bind: impl Fn(&mut Binder<'_, '_>, &T) -> rusqlite::Result<()>,
    ) -> Result<()> {
        self.write_ids(conn, rows, bind, |_| None)
    }

    /// [`MultiInsert::write`] for rows whose id SQLite gives: `id` is the id a row must get
    /// (checked after each statement).
    pub(crate) fn write_ids<T>(
        &self,
        conn: &Connection,
        rows: &[T],
        bind: impl Fn(&mut Binder<'_, '_>, &T) -> rusqlite::Result<()>,
        id: impl Fn(&T) -> Option<i64>,
    ) -> Result<()> {
        let texts = self.texts.get_or_init(|| {
            SIZES
                .iter()
                .map(|&n| format!("{}{}", self.head, vec![self.row; n].join(",")))
                .collect()
        });
        let mut rest = rows;
        for (size, sql) in SIZES.iter().zip(texts) {
            while rest.len() >= *size {
                let (group, tail) = rest.split_at(*size);
                let mut stmt = conn.prepare_cached(sql)?;
                let mut binder = Binder {
                    stmt: &mut stmt,
                    next: 0,
                };
                for row in group {
                    bind(&mut binder, row)?;
                }
                stmt.raw_execute()?;
                if let Some(expected) = group.last().and_then(&id) {
                    let given = conn.last_insert_rowid();
                    if given != expected {
                        return Err(Error::Other(format!(
                            "{}: id {given} au lieu de {expected}",
                            self.head.trim_end()
                        )));
                    }
                }
                rest = tail;
            }
        }
        Ok(())
    }
}
