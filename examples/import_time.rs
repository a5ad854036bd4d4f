//! Times the two halves of `recette import` on one workbook: reading (calamine + header
//! detection + records) and applying to a fresh store (one transaction), to see where the time
//! goes. `cargo run --release --example import_time -- target/bench/cahier_100000.xlsx`

use std::path::Path;
use std::time::Instant;

use recette::import::sheet::{read_spreadsheet, SheetOptions};
use recette::store::{ApplyOptions, Context, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(file) = std::env::args().nth(1) else {
        eprintln!("usage: import_time <workbook>");
        std::process::exit(2);
    };
    let t = Instant::now();
    let (batch, _) = read_spreadsheet(Path::new(&file), &SheetOptions::default())?;
    let read = t.elapsed();
    let dir = tempfile::tempdir()?;
    let ctx = Context {
        actor: "bench".into(),
        fixed_now: Some("2026-03-15T09:00:00Z".into()),
    };
    let mut store = Store::init(&dir.path().join("t.db"), ctx, "bench")?;
    let t = Instant::now();
    let report = store.write("import", |tx| {
        tx.apply_batch(&batch, &ApplyOptions::default())
    })?;
    let apply = t.elapsed();
    let t = Instant::now();
    let again = store.write("import", |tx| {
        tx.apply_batch(&batch, &ApplyOptions::default())
    })?;
    let reapply = t.elapsed();
    println!(
        "read {:.3} s, apply {:.3} s ({:?}), re-apply {:.3} s ({:?})",
        read.as_secs_f64(),
        apply.as_secs_f64(),
        report.totals,
        reapply.as_secs_f64(),
        again.totals
    );
    Ok(())
}
