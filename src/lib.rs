//! recette — test qualification and acceptance management.
//!
//! The flow is import -> store -> trace -> report: importers read vendor files into records
//! ([`import`]), the [`store`] persists them in one SQLite file, [`trace`] computes coverage and
//! statuses, [`verdict`] evaluates exit criteria, and [`report`] renders what people sign.
//! The binary (`src/main.rs` and [`cli`]) is a thin layer of commands over this library.

pub mod access;
#[cfg(feature = "web")]
pub mod accounts;
pub mod cli;
pub mod dates;
pub mod demo;
pub mod entities;
pub mod error;
pub mod execution;
pub mod export;
pub mod i18n;
pub mod import;
pub mod indicators;
pub mod interop;
pub mod model;
pub mod ops;
pub mod params;
pub mod report;
pub mod settings;
pub mod signoff;
pub mod store;
pub mod trace;
pub mod vendor;
pub mod verdict;
#[cfg(feature = "web")]
pub mod web;

pub use error::{Error, Result};
