//! Importers: each reads one kind of file and yields records with their origin; none touches
//! the database. `automated` links automated results to the model and hands them to the store.

pub mod automated;
pub mod input;
pub mod records;
pub mod results;
pub mod sheet;

pub use input::display_name;
