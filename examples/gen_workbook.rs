//! Writes a large, deterministic vendor workbook for timing the workbook reader: a fifth of the
//! rows are requirements, the rest test cases with four steps each (the first step on the test
//! row, three continuation rows with a blank reference), both below merged title rows.
//!
//! `cargo run --example gen_workbook -- [ROWS] [OUT.xlsx]` (default 100000 rows,
//! `target/bench/cahier_100k.xlsx`). Then time it with
//! `cargo run --release --example sheet_time -- target/bench/cahier_100k.xlsx`.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

const CRITICALITIES: [&str; 6] = [
    "Critique", "Haute", "Majeure", "moyenne", "Mineure", "Basse",
];

fn main() -> Result<(), XlsxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: u32 = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let out = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "target/bench/cahier_100k.xlsx".into());
    if let Some(dir) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(dir).map_err(XlsxError::IoError)?;
    }
    let req_rows = rows / 5;
    let test_rows = rows - req_rows;
    let title = Format::new().set_bold().set_font_size(14);
    let mut wb = Workbook::new();

    let ws = wb.add_worksheet().set_name("Exigences")?;
    ws.merge_range(
        0,
        0,
        0,
        4,
        "Cahier de recette – SIV Immatriculation",
        &title,
    )?;
    let headers = [
        "Réf.\u{a0}exigence",
        "Libellé",
        "Description",
        "Criticité",
        "Lot",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(2, c as u16, *h)?;
    }
    for i in 0..req_rows {
        let r = 3 + i;
        ws.write_string(r, 0, format!("EXI-IMM-{:06}", i + 1))?;
        ws.write_string(r, 1, format!("Exigence de test numéro {}", i + 1))?;
        ws.write_string(
            r,
            2,
            "Le système doit permettre l'opération décrite, dans les délais prévus.",
        )?;
        ws.write_string(r, 3, CRITICALITIES[(i % 6) as usize])?;
        ws.write_string(r, 4, format!("Lot {}", i % 4 + 1))?;
    }

    let ws = wb.add_worksheet().set_name("Cas de test")?;
    ws.merge_range(0, 0, 0, 6, "Fiches de test – Immatriculation", &title)?;
    let headers = [
        "Réf. test",
        "Intitulé",
        "Exigences couvertes",
        "N° étape",
        "Action",
        "Résultat attendu",
        "Type",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(2, c as u16, *h)?;
    }
    for i in 0..test_rows {
        let r = 3 + i;
        let (test, step) = (i / 4, i % 4);
        if step == 0 {
            ws.write_string(r, 0, format!("CT-IMM-{:06}", test + 1))?;
            ws.write_string(r, 1, format!("Scénario {}", test + 1))?;
            let req = |k: u32| format!("EXI-IMM-{:06}", (test * 2 + k) % req_rows.max(1) + 1);
            ws.write_string(r, 2, format!("{}, {}", req(0), req(1)))?;
            ws.write_string(
                r,
                6,
                if test % 3 == 0 {
                    "Automatique"
                } else {
                    "Manuel"
                },
            )?;
        }
        ws.write_number(r, 3, f64::from(step + 1))?;
        ws.write_string(
            r,
            4,
            format!("Action {} du scénario {}", step + 1, test + 1),
        )?;
        ws.write_string(r, 5, "L'écran attendu s'affiche sans erreur")?;
    }
    wb.save(&out)?;
    println!("{out}: {req_rows} exigences, {test_rows} lignes de cas de test");
    Ok(())
}
