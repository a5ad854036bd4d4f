//! Importers: each reads one kind of file and yields records with their origin; none touches
//! the database.

pub mod records;
pub mod sheet;
