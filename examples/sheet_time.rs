//! Times the workbook reader on one file and prints what it read (a rough measure until the
//! real bench exists).
//!
//! `cargo run --release --example sheet_time -- target/bench/cahier_100k.xlsx`

use std::path::Path;
use std::time::Instant;

use recette::import::sheet::{read_spreadsheet_with_progress, SheetOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(file) = std::env::args().nth(1) else {
        eprintln!("usage: sheet_time <workbook>");
        std::process::exit(2);
    };
    let start = Instant::now();
    let mut rows = 0;
    let (batch, _) =
        read_spreadsheet_with_progress(Path::new(&file), &SheetOptions::default(), &mut |n| {
            rows = n
        })?;
    let took = start.elapsed();
    let steps: usize = batch
        .test_cases
        .iter()
        .filter_map(|t| t.steps.as_ref())
        .map(Vec::len)
        .sum();
    println!(
        "{file}: {rows} rows in {:.2} s — {} requirements, {} test cases, {steps} steps, {} issues",
        took.as_secs_f64(),
        batch.requirements.len(),
        batch.test_cases.len(),
        batch.issues.len()
    );
    Ok(())
}
