//! Dates as people type them (`AAAA-MM-JJ`, `JJ/MM/AAAA`, ISO date-times), stored in ISO form.

use crate::error::{Error, Result};

/// Accepts `AAAA-MM-JJ`, `JJ/MM/AAAA` and ISO date-times; returns the ISO form.
pub fn parse_date(s: &str) -> Result<String> {
    let t = s.trim();
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d.format("%Y-%m-%d").to_string());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%d/%m/%Y") {
        return Ok(d.format("%Y-%m-%d").to_string());
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(t.trim_end_matches('Z'), f) {
            return Ok(d.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    Err(Error::input(
        format!("date invalide « {s} » : attendu AAAA-MM-JJ, JJ/MM/AAAA ou AAAA-MM-JJTHH:MM:SS"),
        format!("invalid date \"{s}\": expected YYYY-MM-DD, DD/MM/YYYY or YYYY-MM-DDTHH:MM:SS"),
    ))
}

/// [`parse_date`] of an optional value.
pub fn opt_date(s: Option<String>) -> Result<Option<String>> {
    s.as_deref().map(parse_date).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_french_and_iso_forms() {
        assert_eq!(parse_date("03/02/2026").unwrap(), "2026-02-03");
        assert_eq!(parse_date(" 2026-02-03 ").unwrap(), "2026-02-03");
        assert_eq!(
            parse_date("2026-02-03 14:05").unwrap(),
            "2026-02-03T14:05:00"
        );
        assert_eq!(
            parse_date("2026-02-03T14:05:09Z").unwrap(),
            "2026-02-03T14:05:09"
        );
        assert!(parse_date("31/02/2026").is_err());
        assert!(parse_date("demain").is_err());
    }
}
