//! Prints what the workbook reader makes of a file: the records and issues as JSON, then the
//! detected mapping as TOML. For looking at a vendor workbook before importing it.
//!
//! `cargo run --example sheet_dump -- cahier.xlsx [mapping.toml]`

use std::path::Path;

use recette::import::sheet::{read_spreadsheet, Mapping, SheetOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: sheet_dump <workbook> [mapping.toml]");
        std::process::exit(2);
    };
    let mapping = match args.get(1) {
        Some(m) => Some(Mapping::from_toml(&std::fs::read_to_string(m)?, m)?),
        None => None,
    };
    let opts = SheetOptions {
        mapping,
        ..SheetOptions::default()
    };
    let (batch, mapping) = read_spreadsheet(Path::new(file), &opts)?;
    println!("{}", serde_json::to_string_pretty(&batch)?);
    for issue in &batch.issues {
        eprintln!("{issue}");
    }
    println!("{}", mapping.to_toml());
    Ok(())
}
